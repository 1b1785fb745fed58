using System.Net;
using System.Runtime.CompilerServices;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Stripe.Internal;
using Integrations.Sdk.Stripe.Models;
using Integrations.Sdk.Transport;

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
        CreateCustomer = new CreateCustomerOperation(this);
        UpdateCustomerMetadata = new UpdateCustomerMetadataOperation(this);
        Events = new EventSource(this);
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

    internal async Task<StripeCustomer> CreateCustomerAsync(StripeCustomerDraft draft, string key, CancellationToken cancellationToken)
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

    internal async Task<StripeCustomer> UpdateMetadataAsync(StripeMetadataUpdate update, string key, CancellationToken cancellationToken)
    {
        // A null value removes the key: Stripe clears metadata keys sent with an empty value.
        var metadata = update.Metadata.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value ?? string.Empty)).ToList();
        using var content = StripeForm.Content([new("metadata", metadata)]);
        return Checked(await _api().UpdateCustomerAsync(update.CustomerId, content, key, cancellationToken).ConfigureAwait(false), "customer update");
    }

    private static async IAsyncEnumerable<T> PageAsync<T>(
        Func<string?, Task<StripeList<T>>> fetch,
        Func<T, string> id,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? after = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await fetch(after).ConfigureAwait(false);
            var data = page.Data ?? [];
            foreach (var item in data)
            {
                yield return item ?? throw InvalidResponse("a list answer holds a null item", mayHaveBeenApplied: false);
            }

            if (!page.HasMore)
            {
                yield break;
            }

            if (data.Count == 0)
            {
                throw InvalidResponse("a list answer says has_more but holds no data to continue after", mayHaveBeenApplied: false);
            }

            after = id(data[^1]);
        }
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
        customer is { Id.Length: > 0 } ? customer : throw InvalidResponse($"the answer to a {what} holds no customer id", mayHaveBeenApplied: true);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static PlatformException InvalidResponse(string message, bool mayHaveBeenApplied) =>
        new(ConnectorName, HttpStatusCode.OK, "invalid_response", message, mayHaveBeenApplied: mayHaveBeenApplied);

    private static string IdempotencyKey(WriteContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(context.IdempotencyKey, nameof(context));
        if (context.IdempotencyKey.Length > MaxIdempotencyKeyLength)
        {
            throw new ArgumentException($"The idempotency key is {context.IdempotencyKey.Length} characters; Stripe accepts at most {MaxIdempotencyKeyLength}.", nameof(context));
        }

        return context.IdempotencyKey;
    }

    private sealed class CreateCustomerOperation(StripeConnector connector) : ISinkOperation<StripeCustomerDraft, StripeCustomer>
    {
        public WriteSafety Safety => WriteSafety.IdempotencyKey;

        public Task<StripeCustomer> ExecuteAsync(StripeCustomerDraft input, WriteContext context, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(input);
            return connector.CreateCustomerAsync(input, IdempotencyKey(context), cancellationToken);
        }
    }

    private sealed class UpdateCustomerMetadataOperation(StripeConnector connector) : ISinkOperation<StripeMetadataUpdate, StripeCustomer>
    {
        public WriteSafety Safety => WriteSafety.IdempotencyKey;

        public Task<StripeCustomer> ExecuteAsync(StripeMetadataUpdate input, WriteContext context, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(input);
            if (string.IsNullOrWhiteSpace(input.CustomerId))
            {
                throw new ArgumentException("A Stripe metadata update needs a customer (field CustomerId).", nameof(input));
            }

            if (input.Metadata is null || input.Metadata.Count == 0)
            {
                throw new ArgumentException("A Stripe metadata update needs at least one key (field Metadata).", nameof(input));
            }

            return connector.UpdateMetadataAsync(input, IdempotencyKey(context), cancellationToken);
        }
    }

    private sealed class EventSource(StripeConnector connector) : IRecordSource<StripeEvent>
    {
        public async IAsyncEnumerable<SourceRecord<StripeEvent>> ReadAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            if (checkpoint is null)
            {
                var all = new List<StripeEvent>();
                await foreach (var e in connector.ListEventsAsync(null, cancellationToken).ConfigureAwait(false))
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

            var cursor = checkpoint;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var page = await connector._api().ListEventsAsync(PageSize, null, cursor, null, cancellationToken).ConfigureAwait(false);
                var data = page.Data ?? [];

                // ending_before answers the events just newer than the cursor, still newest first.
                for (var i = data.Count - 1; i >= 0; i--)
                {
                    var e = data[i] ?? throw InvalidResponse("an events page holds a null event", mayHaveBeenApplied: false);
                    yield return new SourceRecord<StripeEvent>(e, e.Id);
                }

                if (!page.HasMore || data.Count == 0)
                {
                    yield break;
                }

                cursor = data[0].Id;
            }
        }
    }
}
