using Integrations.Sdk.Stripe.Models;
using Refit;

namespace Integrations.Sdk.Stripe.Internal;

/// <summary>
/// The Stripe v1 endpoints the connector uses: reads take cursor parameters (null ones are left out); writes take a
/// form body (<see cref="StripeForm"/>) and the step's <c>Idempotency-Key</c>.
/// </summary>
[Headers("Accept: application/json")]
internal interface IStripeApi
{
    [Get("/v1/customers/{id}")]
    Task<StripeCustomer> GetCustomerAsync(string id, CancellationToken cancellationToken = default);

    [Get("/v1/customers")]
    Task<StripeList<StripeCustomer>> ListCustomersAsync(
        [AliasAs("limit")] int limit,
        [AliasAs("starting_after")] string? startingAfter,
        [AliasAs("email")] string? email,
        CancellationToken cancellationToken = default);

    [Post("/v1/customers")]
    Task<StripeCustomer> CreateCustomerAsync(
        [Body] HttpContent form,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken = default);

    [Post("/v1/customers/{id}")]
    Task<StripeCustomer> UpdateCustomerAsync(
        string id,
        [Body] HttpContent form,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken = default);

    [Get("/v1/invoices/{id}")]
    Task<StripeInvoice> GetInvoiceAsync(string id, CancellationToken cancellationToken = default);

    [Get("/v1/invoices")]
    Task<StripeList<StripeInvoice>> ListInvoicesAsync(
        [AliasAs("limit")] int limit,
        [AliasAs("starting_after")] string? startingAfter,
        [AliasAs("customer")] string? customer,
        [AliasAs("status")] string? status,
        CancellationToken cancellationToken = default);

    [Get("/v1/subscriptions/{id}")]
    Task<StripeSubscription> GetSubscriptionAsync(string id, CancellationToken cancellationToken = default);

    [Get("/v1/subscriptions")]
    Task<StripeList<StripeSubscription>> ListSubscriptionsAsync(
        [AliasAs("limit")] int limit,
        [AliasAs("starting_after")] string? startingAfter,
        [AliasAs("customer")] string? customer,
        [AliasAs("status")] string? status,
        CancellationToken cancellationToken = default);

    [Get("/v1/events")]
    Task<StripeList<StripeEvent>> ListEventsAsync(
        [AliasAs("limit")] int limit,
        [AliasAs("starting_after")] string? startingAfter,
        [AliasAs("ending_before")] string? endingBefore,
        [AliasAs("type")] string? type,
        CancellationToken cancellationToken = default);
}
