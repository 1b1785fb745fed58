using Integrations.Sdk.Connectors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Integrations.Sdk.MultiProcess.Worker;

/// <summary>
/// A webhook host: Stripe's endpoint (<c>POST /webhooks/stripe</c>, signature checked, events stored in the inbox
/// before the 200) and the inbox processor, which applies each event once to the sink through the <c>effects</c> sync.
/// Listens on a free port of 127.0.0.1, prints <c>ready &lt;address&gt;</c>, runs until killed.
/// </summary>
internal static class WebhookHostMode
{
    public static async Task<int> RunAsync(Uri sink, string webhookSecret, StateArguments state)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Error);
        var integrations = state.Apply(builder.Services.AddIntegrations());
        integrations.AddStripe(o =>
        {
            o.ApiKey = "sk_test_crash";
            o.WebhookSecret = webhookSecret;
        });
        integrations.ConfigureWebhooks(o =>
        {
            // A killed host's claimed messages come back after the lease: short, so the next host picks them up soon.
            o.Lease = TimeSpan.FromSeconds(3);
            o.PollInterval = TimeSpan.FromMilliseconds(50);
            o.Concurrency = 4;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(200);
            o.RetryMaxDelay = TimeSpan.FromSeconds(1);
        });
        integrations.AddConnectorClient<ISinkApi>("sink", (_, o) =>
        {
            o.BaseAddress = sink;
            o.AttemptTimeout = TimeSpan.FromSeconds(5);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
            o.RateLimit = new Transport.RateLimitOptions { PermitsPerWindow = 100_000, Window = TimeSpan.FromSeconds(1) };
        });
        integrations.AddSync<EffectEvent>("effects", sync => sync
            .FromEvents()
            .Key(e => "event:" + e.EventId)
            .WithConcurrency(4)
            .Step("apply", WriteSafety.IdempotencyKey, (e, step, ct) => step.Get<ISinkApi>().ApplyAsync(step.IdempotencyKey, new EffectBody(e.EventId, "webhook-host"), ct)));
        integrations.AddWebhookRoute<EffectEvent>("stripe", "effects", e => new EffectEvent(e.EventId));

        await using var app = builder.Build();
        app.MapIntegrationWebhooks();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Console.WriteLine($"ready {address}");
        await app.WaitForShutdownAsync();
        return 0;
    }
}
