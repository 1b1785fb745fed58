using Integrations.Sdk.Webhooks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Routes webhook events to syncs.</summary>
public static class WebhookServiceCollectionExtensions
{
    /// <summary>
    /// Sends the events of <paramref name="source"/> (of the given types, or all) to the sync <paramref name="sync"/>:
    /// each event is converted to the sync's record type and processed with its steps, memo and outcomes. Adds the
    /// hosted processor that drains the inbox. A sync can also read a source on a schedule (<c>.Every</c>, <c>.Cron</c>,
    /// <c>.DailyAt</c>) to catch missed webhooks: polled records do not pass the inbox, so it is the record key and the
    /// step memo that make the overlap free, given the same record type and key on both paths (see
    /// <c>RecordSourceExtensions.Select</c>). The route is checked when the host starts: a sync
    /// nobody registered, a record type the sync does not take, or a webhook source nobody registered stops
    /// <c>StartAsync</c> with an <see cref="InvalidOperationException"/> naming the route and the sync.
    /// </summary>
    /// <typeparam name="TRecord">The sync's record type.</typeparam>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="source">The webhook source's name, for example <c>stripe</c>.</param>
    /// <param name="sync">The sync's name.</param>
    /// <param name="convert">Turns an event into the record (return <see langword="null"/> to ignore it); by default the payload is read as JSON.</param>
    /// <param name="eventTypes">The event types to route; none means all.</param>
    public static IIntegrationsBuilder AddWebhookRoute<TRecord>(this IIntegrationsBuilder builder, string source, string sync, Func<WebhookEvent, TRecord?>? convert = null, params string[] eventTypes)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(sync);
        ArgumentNullException.ThrowIfNull(eventTypes);
        var read = convert ?? (e => JsonSerializer.Deserialize<TRecord>(e.Payload, JsonSerializerOptions.Web));
        builder.Services.AddSingleton(new WebhookRoute(
            source,
            new HashSet<string>(eventTypes, StringComparer.Ordinal),
            sync,
            e => read(e),
            (runner, record, ct) => runner.ProcessAsync(sync, [(TRecord)record], null, ct))
        {
            RecordType = typeof(TRecord),
        });
        builder.Services.TryAddSingleton<WebhookProcessor>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, WebhookProcessor>(sp => sp.GetRequiredService<WebhookProcessor>()));
        return builder;
    }

    /// <summary>Configures how webhooks are received and processed.</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configure">Changes the options.</param>
    public static IIntegrationsBuilder ConfigureWebhooks(this IIntegrationsBuilder builder, Action<WebhookOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }
}
