using System.Runtime.CompilerServices;
using Integrations.Sdk.Stripe.Internal;
using Integrations.Sdk.Stripe.Models;

namespace Integrations.Sdk.Stripe;

/// <summary>
/// The Stripe connector for one account: customers, invoices, subscriptions and events read with cursor paging,
/// customer writes sent with the step's <c>Idempotency-Key</c>, and <see cref="Events"/> for reconciliation.
/// Resolve it after <c>AddStripe(...)</c>; it is thread-safe.
/// </summary>
public sealed class StripeConnector
{
    /// <summary>The connector's name: it names its HTTP options, budget and telemetry.</summary>
    public const string ConnectorName = "stripe";

    /// <summary>The page size of every list: Stripe's maximum <c>limit</c>.</summary>
    public const int PageSize = 100;

    /// <summary>The longest <c>Idempotency-Key</c> Stripe accepts.</summary>
    public const int MaxIdempotencyKeyLength = 255;

    private readonly Func<IStripeApi> _api;

    internal StripeConnector(Func<IStripeApi> api)
    {
        _api = api;
        CreateCustomer = SinkOperation.WithIdempotencyKey<StripeCustomerDraft, StripeCustomer>("Stripe", MaxIdempotencyKeyLength, CreateCustomerAsync);
        UpdateCustomerMetadata = SinkOperation.WithIdempotencyKey<StripeMetadataUpdate, StripeCustomer>("Stripe", MaxIdempotencyKeyLength, UpdateMetadataAsync, update =>
        {
            Require.Text(update.CustomerId, "A Stripe metadata update needs a customer", nameof(update.CustomerId));
            Require.Items(update.Metadata, "A Stripe metadata update needs at least one key", nameof(update.Metadata));
        });
        Events = RecordSource.Create<StripeEvent>((checkpoint, ct) => ReadEventsAsync(checkpoint, null, ct));
        InvoicePaymentFailures = RecordSource
            .Create<StripeEvent>((checkpoint, ct) => ReadEventsAsync(checkpoint, StripeInvoicePaymentFailed.EventType, ct))
            .Select(StripeInvoicePaymentFailed.From);
    }

    /// <summary>Creates a customer (<c>POST /v1/customers</c>), idempotent by <c>Idempotency-Key</c> for at least 24 hours.</summary>
    public ISinkOperation<StripeCustomerDraft, StripeCustomer> CreateCustomer { get; }

    /// <summary>Sets or removes keys of a customer's metadata (<c>metadata[key]=value</c>), idempotent by <c>Idempotency-Key</c>.</summary>
    public ISinkOperation<StripeMetadataUpdate, StripeCustomer> UpdateCustomerMetadata { get; }

    /// <summary>
    /// Every event Stripe still holds (30 days), oldest first, with the event's id as checkpoint: reconciles what
    /// webhooks missed. Deliveries can be late, repeated or out of order, so dedupe on the event id.
    /// </summary>
    public IRecordSource<StripeEvent> Events { get; }

    /// <summary>
    /// The failed invoice payments Stripe still holds events of (30 days): the <c>invoice.payment_failed</c> events,
    /// filtered by Stripe (<c>type=invoice.payment_failed</c>), oldest first, read with
    /// <see cref="StripeInvoicePaymentFailed.From"/>; the checkpoint is the last event's id, as for <see cref="Events"/>.
    /// It yields the record type <see cref="StripeWebhookSource.ReadInvoicePaymentFailed"/> gives a webhook of the same
    /// event, so one sync can read it on a schedule to catch the webhooks that never came
    /// (<c>AddStripeInvoicePaymentFailedRoute</c>), with one key for both.
    /// </summary>
    /// <remarks>
    /// An event whose object is not an invoice stops the read with <see cref="StripeInvoicePaymentFailed.From"/>'s
    /// <see cref="FormatException"/>, naming the event and the field; the checkpoint stays before it.
    /// </remarks>
    public IRecordSource<StripeInvoicePaymentFailed> InvoicePaymentFailures { get; }

    /// <summary>Returns a customer, or <see langword="null"/> when Stripe has none with this id.</summary>
    /// <param name="id">The id, <c>cus_...</c>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public Task<StripeCustomer?> GetCustomerAsync(string id, CancellationToken cancellationToken = default) =>
        GetOrNullAsync(id, (api, ct) => api.GetCustomerAsync(id, ct), cancellationToken);

    /// <summary>Streams customers, newest first.</summary>
    /// <param name="email">Only customers with this email (case-sensitive, as Stripe compares); <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public IAsyncEnumerable<StripeCustomer> ListCustomersAsync(string? email = null, CancellationToken cancellationToken = default) =>
        PageAsync(after => _api().ListCustomersAsync(PageSize, after, email, cancellationToken), c => c.Id, cancellationToken);

    /// <summary>Returns an invoice, or <see langword="null"/> when Stripe has none with this id.</summary>
    /// <param name="id">The id, <c>in_...</c>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public Task<StripeInvoice?> GetInvoiceAsync(string id, CancellationToken cancellationToken = default) =>
        GetOrNullAsync(id, (api, ct) => api.GetInvoiceAsync(id, ct), cancellationToken);

    /// <summary>Streams invoices, newest first.</summary>
    /// <param name="customer">Only this customer's invoices; <see langword="null"/> for all.</param>
    /// <param name="status">Only invoices in this status (<c>draft</c>, <c>open</c>, <c>paid</c>, <c>uncollectible</c>, <c>void</c>); <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public IAsyncEnumerable<StripeInvoice> ListInvoicesAsync(string? customer = null, string? status = null, CancellationToken cancellationToken = default) =>
        PageAsync(after => _api().ListInvoicesAsync(PageSize, after, customer, status, cancellationToken), i => i.Id, cancellationToken);

    /// <summary>Returns a subscription, or <see langword="null"/> when Stripe has none with this id.</summary>
    /// <param name="id">The id, <c>sub_...</c>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public Task<StripeSubscription?> GetSubscriptionAsync(string id, CancellationToken cancellationToken = default) =>
        GetOrNullAsync(id, (api, ct) => api.GetSubscriptionAsync(id, ct), cancellationToken);

    /// <summary>Streams subscriptions, newest first. Without <paramref name="status"/>, Stripe leaves canceled ones out.</summary>
    /// <param name="customer">Only this customer's subscriptions; <see langword="null"/> for all.</param>
    /// <param name="status">A status, or <c>all</c> to include canceled ones; <see langword="null"/> for every status but canceled.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public IAsyncEnumerable<StripeSubscription> ListSubscriptionsAsync(string? customer = null, string? status = null, CancellationToken cancellationToken = default) =>
        PageAsync(after => _api().ListSubscriptionsAsync(PageSize, after, customer, status, cancellationToken), s => s.Id, cancellationToken);

    /// <summary>Streams events, newest first (Stripe's order).</summary>
    /// <param name="type">Only events of this type (<c>invoice.payment_failed</c>, or a wildcard such as <c>invoice.*</c>); <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public IAsyncEnumerable<StripeEvent> ListEventsAsync(string? type = null, CancellationToken cancellationToken = default) =>
        PageAsync(after => _api().ListEventsAsync(PageSize, after, null, type, cancellationToken), e => e.Id, cancellationToken);

    private async Task<StripeCustomer> CreateCustomerAsync(StripeCustomerDraft draft, string key, CancellationToken cancellationToken)
    {
        using var content = StripeForm.Content(
        [
            new("email", Blank(draft.Email)),
            new("name", Blank(draft.Name)),
            new("description", Blank(draft.Description)),
            new("phone", Blank(draft.Phone)),
            new("metadata", draft.Metadata),
        ]);
        return Checked(await _api().CreateCustomerAsync(content, key, cancellationToken).ConfigureAwait(false), "customer create");
    }

    private async Task<StripeCustomer> UpdateMetadataAsync(StripeMetadataUpdate update, string key, CancellationToken cancellationToken)
    {
        // A null value removes the key: Stripe clears metadata keys sent with an empty value.
        var metadata = update.Metadata.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value ?? string.Empty)).ToList();
        using var content = StripeForm.Content([new("metadata", metadata)]);
        return Checked(await _api().UpdateCustomerAsync(update.CustomerId, content, key, cancellationToken).ConfigureAwait(false), "customer update");
    }

    private static IAsyncEnumerable<T> PageAsync<T>(Func<string?, Task<StripeList<T>>> fetch, Func<T, string> id, CancellationToken cancellationToken)
        where T : class =>
        Paging.ByCursorAsync<T>(ConnectorName, async (after, _) => Next(await fetch(after).ConfigureAwait(false), id), cancellationToken);

    /// <summary>Stripe's list as a page: the next cursor is the last item's id while <c>has_more</c> says so.</summary>
    private static Page<T> Next<T>(StripeList<T> list, Func<T, string> id)
        where T : class
    {
        var data = list.Data ?? [];
        return !list.HasMore ? new Page<T>(data, null)
            : data is [.., { } last] ? new Page<T>(data, id(last))
            : throw PlatformException.InvalidResponse(ConnectorName, "a list answer says has_more but holds no data to continue after");
    }

    /// <summary>Checks the id (throwing at once), then reads; Stripe's <c>resource_missing</c> 404 becomes <see langword="null"/>.</summary>
    private Task<T?> GetOrNullAsync<T>(string id, Func<IStripeApi, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return PlatformReads.OrNullWhenMissingAsync(ct => read(_api(), ct), "resource_missing", cancellationToken);
    }

    private static StripeCustomer Checked(StripeCustomer? customer, string what) =>
        customer is { Id.Length: > 0 } ? customer : throw PlatformException.InvalidResponse(ConnectorName, $"the answer to a {what} holds no customer id", mayHaveBeenApplied: true);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private async IAsyncEnumerable<SourceRecord<StripeEvent>> ReadEventsAsync(string? checkpoint, string? type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (checkpoint is not null && !checkpoint.StartsWith("evt_", StringComparison.Ordinal))
        {
            throw new ArgumentException($"A Stripe events checkpoint is an event id (evt_...), not '{checkpoint}'.", nameof(checkpoint));
        }

        // Stripe lists newest first: a full read is yielded reversed. From a checkpoint, ending_before answers the events
        // just newer than the cursor, still newest first: each page is read backwards, the next ends before its newest.
        var events = checkpoint is null
            ? ListEventsAsync(type, cancellationToken).Reverse()
            : Paging.ByCursorAsync<StripeEvent>(
                ConnectorName,
                async (cursor, ct) =>
                {
                    var page = await _api().ListEventsAsync(PageSize, null, cursor ?? checkpoint, type, ct).ConfigureAwait(false);
                    var data = page.Data ?? [];
                    return new Page<StripeEvent>(Enumerable.Reverse(data).ToList(), page.HasMore && data.Count > 0 ? data[0]?.Id : null);
                },
                cancellationToken);
        await foreach (var e in events.ConfigureAwait(false))
        {
            yield return new SourceRecord<StripeEvent>(e, e.Id);
        }
    }
}
