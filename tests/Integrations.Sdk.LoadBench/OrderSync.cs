using System.Text.Json;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace Integrations.Sdk.LoadBench;

/// <summary>The SDK side: the books connector client and the order → customer + invoice sync.</summary>
public static class OrderSync
{
    public const string Connector = "books";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { TypeInfoResolver = BenchJson.Default };

    // One serializer for every client the factory builds: its metadata cache is per instance.
    private static readonly SystemTextJsonContentSerializer Serializer = new(Json);

    /// <summary>Registers the sink's typed client behind the SDK's transport, with a budget the sink never reaches.</summary>
    public static IIntegrationsBuilder AddBooks(this IIntegrationsBuilder integrations, Uri baseAddress)
    {
        integrations.AddConnectorClient<IBooksApi>(
            Connector,
            (_, http) =>
            {
                http.BaseAddress = baseAddress;
                http.RateLimit = new RateLimitOptions { PermitsPerWindow = 100_000_000, Window = TimeSpan.FromSeconds(1) };
                http.IdempotencyQueryParameters.Add("requestid");
                http.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
            },
            _ => new RefitSettings(Serializer));
        return integrations;
    }

    /// <summary>Key, filter, mapping and the two steps, after the source has been chosen.</summary>
    public static void Steps(SyncBuilder<BenchOrder> sync, int concurrency) => sync
        .Key(o => $"shop:order:{o.Id}")
        .Where(o => o.FinancialStatus == "paid")
        .WithConcurrency(concurrency)
        .WithStepRetries(3, TimeSpan.FromMilliseconds(50))
        .WithJson(Json)
        .Map(OrderMapping.MapWithSdk)
        .Step("customer", WriteSafety.NaturalUpsert, FindOrCreateCustomerAsync)
        .Step("invoice", WriteSafety.IdempotencyKey, CreateInvoiceAsync);

    private static async Task<Customer> FindOrCreateCustomerAsync(MappedOrder order, StepContext step, CancellationToken cancellationToken)
    {
        var api = step.Get<IBooksApi>();
        var found = await api.FindCustomerAsync(order.Header.CustomerEmail, cancellationToken).ConfigureAwait(false);
        if (found.Customer is { } customer)
        {
            return customer;
        }

        var draft = new CustomerDraft { DisplayName = order.Header.CustomerName, Email = order.Header.CustomerEmail };
        var created = await api.CreateCustomerAsync(draft, step.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        return created.Customer ?? throw new InvalidOperationException("the sink returned no customer");
    }

    private static async Task<Invoice> CreateInvoiceAsync(MappedOrder order, StepContext step, CancellationToken cancellationToken)
    {
        var customerId = step.ResultOf<Customer>("customer").Id;
        var created = await step.Get<IBooksApi>().CreateInvoiceAsync(OrderMapping.ToInvoice(order, customerId), step.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        return created.Invoice ?? throw new InvalidOperationException("the sink returned no invoice");
    }
}
