using Refit;

namespace Integrations.Sdk.LoadBench;

/// <summary>The sink's typed client for the SDK path (Refit, source-generated), registered with AddConnectorClient.</summary>
public interface IBooksApi
{
    [Get("/v3/company/" + Sink.Realm + "/customers")]
    Task<CustomerEnvelope> FindCustomerAsync([Query] string email, CancellationToken cancellationToken);

    [Post("/v3/company/" + Sink.Realm + "/customer")]
    Task<CustomerEnvelope> CreateCustomerAsync([Body] CustomerDraft customer, [Query] string requestid, CancellationToken cancellationToken);

    [Post("/v3/company/" + Sink.Realm + "/invoice")]
    Task<InvoiceEnvelope> CreateInvoiceAsync([Body] InvoiceDraft invoice, [Query] string requestid, CancellationToken cancellationToken);
}
