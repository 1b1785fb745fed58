using System.Runtime.CompilerServices;
using Integrations.Sdk.Stripe.Internal;
using Integrations.Sdk.Stripe.Models;

namespace Integrations.Sdk.Stripe;

/// <summary>
/// The Stripe connector for one account: customers, invoices, subscriptions and events, read with cursor paging
/// (<c>limit</c>, <c>starting_after</c>, <c>has_more</c>) behind <see cref="IAsyncEnumerable{T}"/>; customer writes
/// sent form-encoded with the step's idempotency key as <c>Idempotency-Key</c>, so a retry replays Stripe's first
/// answer instead of writing twice; and <see cref="Events"/>, a reconciliation source over <c>/v1/events</c>.
/// Resolve it from the services after <c>AddStripe(...)</c>; it is thread-safe.
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
        Events = RecordSource.Create<StripeEvent>(ReadEventsAsync);
    }

    /// <summary>
    /// Creates a customer (<c>POST /v1/customers</c>). Idempotent by <c>Idempotency-Key</c>
    /// (<see cref="WriteSafety.IdempotencyKey"/>): Stripe keeps the first answer for at least 24 hours.
    /// </summary>
    public ISinkOperation<StripeCustomerDraft, StripeCustomer> CreateCustomer { get; }

    /// <summary>
    /// Sets or removes keys of a customer's metadata (<c>POST /v1/customers/{id}</c> with <c>metadata[key]=value</c>).
    /// Idempotent by <c>Idempotency-Key</c>. Returns the updated customer.
    /// </summary>
    public ISinkOperation<StripeMetadataUpdate, StripeCustomer> UpdateCustomerMetadata { get; }

    /// <summary>
    /// Every event Stripe still holds (30 days), oldest first, with the event's id as checkpoint. A full read lists
    /// them all (<c>starting_after</c>, newest first) and yields them oldest first; a read from a checkpoint pages
    /// forward with <c>ending_before</c>. Reconcile with it what webhooks missed: deliveries can be late, repeated or
    /// out of order, so dedupe on the event id.
    /// </summary>
    public IRecordSource<StripeEvent> Events { get; }

    /// <summary>Returns a customer, or <see langword="null"/> when Stripe has none with this id.</summary>
    /// <param name="id">The id, <c>cus_...</c>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public Task<StripeCustomer?> GetCustomerAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return OrNullAsync(_api().GetCustomerAsync(id, cancellationToken));
    }

    /// <summary>Streams customers, newest first.</summary>
    /// <param name="email">Only customers with this email (case-sensitive, as Stripe compares); <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public IAsyncEnumerable<StripeCustomer> ListCustomersAsync(string? email = null, CancellationToken cancellationToken = default) =>
        PageAsync(after => _api().ListCustomersAsync(PageSize, after, email, cancellationToken), c => c.Id, cancellationToken);

    /// <summary>Returns an invoice, or <see langword="null"/> when Stripe has none with this id.</summary>
    /// <param name="id">The id, <c>in_...</c>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public Task<StripeInvoice?> GetInvoiceAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return OrNullAsync(_api().GetInvoiceAsync(id, cancellationToken));
    }

    /// <summary>Streams invoices, newest first.</summary>
    /// <param name="customer">Only this customer's invoices; <see langword="null"/> for all.</param>
    /// <param name="status">Only invoices in this status (<c>draft</c>, <c>open</c>, <c>paid</c>, <c>uncollectible</c>, <c>void</c>); <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public IAsyncEnumerable<StripeInvoice> ListInvoicesAsync(string? customer = null, string? status = null, CancellationToken cancellationToken = default) =>
        PageAsync(after => _api().ListInvoicesAsync(PageSize, after, customer, status, cancellationToken), i => i.Id, cancellationToken);

    /// <summary>Returns a subscription, or <see langword="null"/> when Stripe has none with this id.</summary>
    /// <param name="id">The id, <c>sub_...</c>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public Task<StripeSubscription?> GetSubscriptionAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return OrNullAsync(_api().GetSubscriptionAsync(id, cancellationToken));
    }

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
        var form = new List<KeyValuePair<string, object?>>
        {
            new("email", Blank(draft.Email)),
            new("name", Blank(draft.Name)),
            new("description", Blank(draft.Description)),
            new("phone", Blank(draft.Phone)),
            new("metadata", draft.Metadata),
        };
        using var content = StripeForm.Content(form);
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
        if (!list.HasMore)
        {
            return new Page<T>(data, null);
        }

        return data.Count > 0 && data[^1] is { } last
            ? new Page<T>(data, id(last))
            : throw PlatformException.InvalidResponse(ConnectorName, "a list answer says has_more but holds no data to continue after");
    }

    private static async Task<T?> OrNullAsync<T>(Task<T> read)
        where T : class
    {
        try
        {
            return await read.ConfigureAwait(false);
        }
        catch (PlatformException ex) when (ex.StatusCode == HttpStatusCode.NotFound && ex.ErrorCode == "resource_missing")
        {
            return null;
        }
    }

    private static StripeCustomer Checked(StripeCustomer? customer, string what) =>
        customer is { Id.Length: > 0 } ? customer : throw PlatformException.InvalidResponse(ConnectorName, $"the answer to a {what} holds no customer id", mayHaveBeenApplied: true);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private async IAsyncEnumerable<SourceRecord<StripeEvent>> ReadEventsAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (checkpoint is null)
        {
            // A full read: Stripe lists newest first; the source yields oldest first.
            var all = new List<StripeEvent>();
            await foreach (var e in ListEventsAsync(null, cancellationToken).ConfigureAwait(false))
            {
                all.Add(e);
            }

            for (var i = all.Count - 1; i >= 0; i--)
            {
                yield return new SourceRecord<StripeEvent>(all[i], all[i].Id);
            }

            yield break;
        }

        if (!checkpoint.StartsWith("evt_", StringComparison.Ordinal))
        {
            throw new ArgumentException($"A Stripe events checkpoint is an event id (evt_...), not '{checkpoint}'.", nameof(checkpoint));
        }

        var events = Paging.ByCursorAsync<StripeEvent>(
            ConnectorName,
            async (cursor, ct) =>
            {
                // ending_before answers the events just newer than the cursor, still newest first: read each page
                // backwards, and end the next one before this page's newest event.
                var page = await _api().ListEventsAsync(PageSize, null, cursor ?? checkpoint, null, ct).ConfigureAwait(false);
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
