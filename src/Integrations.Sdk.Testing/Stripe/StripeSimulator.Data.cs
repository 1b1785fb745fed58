namespace Integrations.Sdk.Testing.Stripe;

public sealed partial class StripeSimulator
{
    private static readonly SimulatorPersistence Persistence = new(
        "Stripe simulator", new JsonObject { ["format"] = 1 }, (message, inner) => new FormatException(message, inner));

    /// <summary>Adds a customer, as if created in the Dashboard (no event is recorded).</summary>
    /// <param name="email">The email.</param>
    /// <param name="name">The name.</param>
    /// <param name="metadata">Metadata.</param>
    /// <returns>The customer's id, <c>cus_...</c>.</returns>
    public string AddCustomer(string? email, string? name = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        lock (Gate)
        {
            var customer = NewCustomer(email, name);
            foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
            {
                ((JsonObject)customer["metadata"]!)[key] = value;
            }

            var id = Text(customer, "id")!;
            _customers[id] = new Stored(++_sequence, customer);
            return id;
        }
    }

    /// <summary>Adds a subscription of a customer (no event is recorded).</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="status">Its status. <value>Default: <c>active</c>.</value></param>
    /// <param name="currency">Its currency. <value>Default: <c>usd</c>.</value></param>
    /// <returns>The subscription's id, <c>sub_...</c>.</returns>
    /// <exception cref="KeyNotFoundException">No customer has the id.</exception>
    public string AddSubscription(string customerId, string status = "active", string currency = "usd")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(status);
        lock (Gate)
        {
            RequireCustomer(customerId);
            var subscription = NewSubscription(customerId, status, currency);
            var id = Text(subscription, "id")!;
            _subscriptions[id] = new Stored(++_sequence, subscription);
            return id;
        }
    }

    /// <summary>Adds a finalized invoice of a customer, optionally billing a subscription (no event is recorded).</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="amountDue">The amount due, in the minor unit.</param>
    /// <param name="currency">The currency. <value>Default: <c>usd</c>.</value></param>
    /// <param name="subscriptionId">The subscription it bills, if any (it becomes the subscription's latest invoice).</param>
    /// <param name="status">Its status. <value>Default: <c>open</c>.</value></param>
    /// <returns>The invoice's id, <c>in_...</c>.</returns>
    /// <exception cref="KeyNotFoundException">No customer or subscription has the id.</exception>
    public string AddInvoice(string customerId, long amountDue, string currency = "usd", string? subscriptionId = null, string status = "open")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amountDue);
        ArgumentException.ThrowIfNullOrWhiteSpace(status);
        lock (Gate)
        {
            var customer = RequireCustomer(customerId);
            Stored? subscription = null;
            if (subscriptionId is not null && !_subscriptions.TryGetValue(subscriptionId, out subscription))
            {
                throw new KeyNotFoundException($"No subscription has id '{subscriptionId}'.");
            }

            var intentId = NewId("pi");
            var invoice = NewInvoice(customer.Json, amountDue, currency, subscription?.Json, status, intentId);
            var id = Text(invoice, "id")!;
            _invoices[id] = new Stored(++_sequence, invoice);
            if (status != "draft")
            {
                _paymentIntents[intentId] = new Stored(++_sequence, NewPaymentIntent(intentId, customerId, id, amountDue, currency, status == "paid"));
            }

            if (subscription is not null)
            {
                subscription.Json["latest_invoice"] = id;
            }

            return id;
        }
    }

    /// <summary>
    /// Fails a payment attempt of an open invoice, as a declined card does: the invoice's <c>attempt_count</c> grows,
    /// <c>attempted</c> becomes true, <c>next_payment_attempt</c> is set (or cleared on the final attempt); the
    /// customer becomes delinquent and its subscription <c>past_due</c>; an <c>invoice.payment_failed</c> event is recorded.
    /// </summary>
    /// <param name="invoiceId">The invoice.</param>
    /// <param name="finalAttempt">Whether Stripe stops retrying (<c>next_payment_attempt</c> null).</param>
    /// <returns>The event's id, <c>evt_...</c>.</returns>
    /// <exception cref="KeyNotFoundException">No invoice has the id.</exception>
    /// <exception cref="InvalidOperationException">The invoice is not open.</exception>
    public string FailPayment(string invoiceId, bool finalAttempt = false)
    {
        lock (Gate)
        {
            if (!_invoices.TryGetValue(invoiceId, out var stored))
            {
                throw new KeyNotFoundException($"No invoice has id '{invoiceId}'.");
            }

            var invoice = stored.Json;
            if (Text(invoice, "status") != "open")
            {
                throw new InvalidOperationException($"Invoice {invoiceId} is {Text(invoice, "status")}; only an open invoice can fail a payment.");
            }

            invoice["attempt_count"] = invoice["attempt_count"]!.GetValue<int>() + 1;
            invoice["attempted"] = true;
            invoice["next_payment_attempt"] = finalAttempt ? null : Time.GetUtcNow().AddDays(3).ToUnixTimeSeconds();
            if (Text(invoice, "customer") is { } customerId && _customers.TryGetValue(customerId, out var customer))
            {
                customer.Json["delinquent"] = true;
            }

            if (SubscriptionOf(invoice) is { } subscriptionId && _subscriptions.TryGetValue(subscriptionId, out var subscription))
            {
                subscription.Json["status"] = "past_due";
            }

            if (Text(invoice, "payment_intent") is { } intentId && _paymentIntents.TryGetValue(intentId, out var intent))
            {
                // A declined card, as Stripe reports it on the invoice's PaymentIntent.
                intent.Json["status"] = "requires_payment_method";
                intent.Json["last_payment_error"] = new JsonObject
                {
                    ["type"] = "card_error",
                    ["code"] = "card_declined",
                    ["decline_code"] = "generic_decline",
                    ["doc_url"] = "https://stripe.com/docs/error-codes/card-declined",
                    ["message"] = "Your card was declined.",
                };
            }

            return RecordEvent("invoice.payment_failed", invoice, null, null);
        }
    }

    /// <summary>Returns a customer as Stripe would render it, or <see langword="null"/>.</summary>
    /// <param name="id">The id.</param>
    public JsonObject? Customer(string id) => Snapshot(_customers, id);

    /// <summary>Returns an invoice as Stripe would render it, or <see langword="null"/>.</summary>
    /// <param name="id">The id.</param>
    public JsonObject? Invoice(string id) => Snapshot(_invoices, id);

    /// <summary>Returns a subscription as Stripe would render it, or <see langword="null"/>.</summary>
    /// <param name="id">The id.</param>
    public JsonObject? Subscription(string id) => Snapshot(_subscriptions, id);

    /// <summary>Returns a PaymentIntent (each finalized invoice has one) as Stripe would render it, or <see langword="null"/>.</summary>
    /// <param name="id">The id, <c>pi_...</c>.</param>
    public JsonObject? PaymentIntent(string id) => Snapshot(_paymentIntents, id);

    /// <summary>Returns an event, or <see langword="null"/>.</summary>
    /// <param name="id">The id.</param>
    public JsonObject? Event(string id) => Snapshot(_events, id);

    /// <summary>The ids of all customers, oldest first.</summary>
    public IReadOnlyList<string> CustomerIds => Ids(_customers);

    /// <summary>The ids of all events, oldest first.</summary>
    public IReadOnlyList<string> EventIds => Ids(_events);

    /// <summary>
    /// Builds the webhook Stripe would deliver for a recorded event: the event's JSON as body and
    /// <c>Stripe-Signature: t={timestamp},v1={hex HMAC-SHA256 of "{t}.{body}"}</c>.
    /// </summary>
    /// <param name="eventId">The event.</param>
    /// <param name="secret">Signs with another secret (a forgery); <see cref="WebhookSecret"/> by default.</param>
    /// <param name="timestamp">The signed timestamp (a stale one for replay tests); now by default.</param>
    /// <returns>The signed webhook.</returns>
    /// <exception cref="KeyNotFoundException">No event has the id.</exception>
    public SignedWebhook CreateWebhook(string eventId, string? secret = null, DateTimeOffset? timestamp = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventId);
        var stripeEvent = Event(eventId) ?? throw new KeyNotFoundException($"No event has id '{eventId}'.");
        return CreateWebhook(stripeEvent, secret, timestamp);
    }

    /// <summary>Builds and signs a webhook carrying any event JSON. See <see cref="CreateWebhook(string, string?, DateTimeOffset?)"/>.</summary>
    /// <param name="stripeEvent">The event.</param>
    /// <param name="secret">Signs with another secret; <see cref="WebhookSecret"/> by default.</param>
    /// <param name="timestamp">The signed timestamp; now by default.</param>
    /// <returns>The signed webhook.</returns>
    public SignedWebhook CreateWebhook(JsonObject stripeEvent, string? secret = null, DateTimeOffset? timestamp = null)
    {
        ArgumentNullException.ThrowIfNull(stripeEvent);
        return SignedWebhook.Create(stripeEvent, body => new Dictionary<string, string>
        {
            ["Stripe-Signature"] = Sign(body, secret ?? WebhookSecret, timestamp ?? Time.GetUtcNow()),
            ["User-Agent"] = "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        });
    }

    /// <summary>Computes a <c>Stripe-Signature</c> header value for a body, as Stripe does.</summary>
    /// <param name="body">The raw body.</param>
    /// <param name="secret">The signing secret.</param>
    /// <param name="timestamp">The timestamp to sign.</param>
    /// <returns><c>t={unix},v1={hex}</c>.</returns>
    public static string Sign(ReadOnlySpan<byte> body, string secret, DateTimeOffset timestamp)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var t = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var prefix = Encoding.UTF8.GetBytes(t + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return $"t={t},v1={Convert.ToHexStringLower(SignedWebhook.HmacSha256(secret, signed))}";
    }

    /// <summary>Saves the account (keys, customers, subscriptions, invoices, payment intents, events, idempotency keys) as JSON, so another process can load it.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public Task SaveAsync(string path, CancellationToken cancellationToken = default) => Persistence.SaveAsync(path, Locked(() => new JsonObject
    {
        ["api_key"] = ApiKey,
        ["webhook_secret"] = WebhookSecret,
        ["api_version"] = ApiVersion,
        ["sequence"] = _sequence,
        ["next_id"] = _nextId,
        ["customers"] = Dump(_customers),
        ["subscriptions"] = Dump(_subscriptions),
        ["invoices"] = Dump(_invoices),
        ["events"] = Dump(_events),
        ["payment_intents"] = Dump(_paymentIntents),
        ["idempotency"] = new JsonArray([.. _idempotency.Values.Select(a => (JsonNode)new JsonObject
        {
            ["key"] = a.Key,
            ["fingerprint"] = a.Fingerprint,
            ["status"] = a.Status,
            ["body"] = a.Body,
            ["request_id"] = a.RequestId,
            ["kept_at"] = a.KeptAt.ToUnixTimeSeconds(),
        })]),
    }), cancellationToken);

    /// <summary>Loads an account saved by <see cref="SaveAsync"/>, not started.</summary>
    /// <param name="path">The file.</param>
    /// <param name="timeProvider">The new simulator's clock; the system clock by default.</param>
    /// <param name="seed">Seeds random faults.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The simulator, with the saved data.</returns>
    /// <exception cref="FormatException">The file is not a saved Stripe simulator.</exception>
    public static async Task<StripeSimulator> LoadAsync(string path, TimeProvider? timeProvider = null, int seed = 0, CancellationToken cancellationToken = default)
    {
        var root = await Persistence.LoadAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            var simulator = new StripeSimulator(Text(root, "api_key"), Text(root, "webhook_secret"), timeProvider, seed)
            {
                ApiVersion = Text(root, "api_version") ?? DefaultApiVersion,
            };
            simulator._sequence = root["sequence"]!.GetValue<long>();
            simulator._nextId = root["next_id"]!.GetValue<long>();
            Restore(root, "customers", simulator._customers);
            Restore(root, "subscriptions", simulator._subscriptions);
            Restore(root, "invoices", simulator._invoices);
            Restore(root, "events", simulator._events);
            Restore(root, "payment_intents", simulator._paymentIntents);
            foreach (var node in root["idempotency"]?.AsArray() ?? [])
            {
                var key = Text(node, "key") ?? throw Persistence.Invalid(path, "an idempotency entry has no key.");
                simulator._idempotency[key] = new IdempotentAnswer(key, Text(node, "fingerprint")!, node!["status"]!.GetValue<int>(), Text(node, "body")!, Text(node, "request_id") ?? string.Empty,
                    node["kept_at"] is { } keptAt ? DateTimeOffset.FromUnixTimeSeconds(keptAt.GetValue<long>()) : simulator.Time.GetUtcNow());
            }

            return simulator;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NullReferenceException)
        {
            throw Persistence.Invalid(path, ex.Message, ex);
        }
    }

    private static JsonArray Dump(Dictionary<string, Stored> store) =>
        new([.. store.Values.OrderBy(s => s.Sequence).Select(s => (JsonNode)new JsonObject { ["sequence"] = s.Sequence, ["object"] = s.Json.DeepClone() })]);

    private static void Restore(JsonObject root, string name, Dictionary<string, Stored> store)
    {
        foreach (var node in root[name]?.AsArray() ?? [])
        {
            var json = (JsonObject)node!["object"]!.DeepClone();
            store[Text(json, "id")!] = new Stored(node["sequence"]!.GetValue<long>(), json);
        }
    }

    private Stored RequireCustomer(string customerId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        return _customers.TryGetValue(customerId, out var customer) ? customer : throw new KeyNotFoundException($"No customer has id '{customerId}'.");
    }

    private JsonObject? Snapshot(Dictionary<string, Stored> store, string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Locked(() => store.TryGetValue(id, out var stored) ? (JsonObject)stored.Json.DeepClone() : null);
    }

    private List<string> Ids(Dictionary<string, Stored> store) => Locked(() => store.Values.OrderBy(s => s.Sequence).Select(s => Text(s.Json, "id")!).ToList());
}
