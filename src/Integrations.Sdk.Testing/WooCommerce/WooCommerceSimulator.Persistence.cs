namespace Integrations.Sdk.Testing.WooCommerce;

/// <summary>Saving and loading the store, so a second run (or a second process) finds what the first one left.</summary>
public sealed partial class WooCommerceSimulator
{
    private static readonly SimulatorPersistence Persistence = new(
        "WooCommerce simulator",
        new JsonObject { ["format"] = "Integrations.Sdk.Testing.WooCommerceSimulator", ["version"] = 1 },
        (message, inner) => new FormatException(message, inner));

    /// <summary>
    /// Writes the store to <paramref name="path"/> as JSON: products, variations, categories, tax rates, customers,
    /// orders, refunds, webhooks and the id counters. Faults, credentials and the request count are not saved.
    /// </summary>
    /// <param name="path">The file; replaced if it exists (written to a temporary file, then moved).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public Task SaveAsync(string path, CancellationToken cancellationToken = default) => Persistence.SaveAsync(path, Locked(() => new JsonObject
    {
        ["nextId"] = _nextId,
        ["nextDelivery"] = _nextDelivery,
        ["products"] = Array(_products.Values),
        ["variations"] = new JsonObject(_variations.Select(e => KeyValuePair.Create(e.Key.ToString(CultureInfo.InvariantCulture), (JsonNode?)Array(e.Value)))),
        ["categories"] = Array(_categories.Values),
        ["taxRates"] = Array(_taxRates),
        ["customers"] = Array(_customers.Values),
        ["orders"] = Array(_orders.Values),
        ["refunds"] = new JsonObject(_refunds.Select(e => KeyValuePair.Create(e.Key.ToString(CultureInfo.InvariantCulture), (JsonNode?)Array(e.Value)))),
        ["webhooks"] = new JsonArray([.. _webhooks.Select(e => (JsonNode)new JsonObject { ["id"] = e.Key, ["topic"] = e.Value.Topic, ["secret"] = e.Value.Secret })]),
    }), cancellationToken);

    /// <summary>Loads a store saved by <see cref="SaveAsync"/>, not started.</summary>
    /// <param name="path">The file.</param>
    /// <param name="timeProvider">The new simulator's clock; the system clock by default.</param>
    /// <param name="seed">Seeds random faults.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The simulator, with the saved data.</returns>
    /// <exception cref="FormatException">The file is not a saved WooCommerce simulator, or an entry lacks its id.</exception>
    public static async Task<WooCommerceSimulator> LoadAsync(string path, TimeProvider? timeProvider = null, int seed = 0, CancellationToken cancellationToken = default)
    {
        var root = await Persistence.LoadAsync(path, cancellationToken).ConfigureAwait(false);
        var simulator = new WooCommerceSimulator(timeProvider, seed);
        long IdOf(JsonObject item, string what) =>
            item["id"] is JsonValue v && v.TryGetValue<long>(out var id) ? id : throw Persistence.Invalid(path, $"a saved {what} has no id.");
        long Key(string key, string what) =>
            long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : throw Persistence.Invalid(path, $"'{key}' is not a {what} id.");

        lock (simulator.Gate)
        {
            simulator._nextId = root["nextId"] is JsonValue n && n.TryGetValue<long>(out var next) ? next : throw Persistence.Invalid(path, "nextId is missing.");
            simulator._nextDelivery = root["nextDelivery"] is JsonValue d && d.TryGetValue<long>(out var delivery) ? delivery : 0;
            foreach (var product in Items(root["products"]))
            {
                simulator._products[IdOf(product, "product")] = product;
            }

            foreach (var (key, list) in root["variations"] as JsonObject ?? [])
            {
                simulator._variations[Key(key, "product")] = [.. Items(list)];
            }

            foreach (var category in Items(root["categories"]))
            {
                simulator._categories[Text(category["name"]) ?? throw Persistence.Invalid(path, "a saved category has no name.")] = category;
            }

            simulator._taxRates.AddRange(Items(root["taxRates"]));
            foreach (var customer in Items(root["customers"]))
            {
                simulator._customers[IdOf(customer, "customer")] = customer;
            }

            foreach (var order in Items(root["orders"]))
            {
                simulator._orders[IdOf(order, "order")] = order;
            }

            foreach (var (key, list) in root["refunds"] as JsonObject ?? [])
            {
                simulator._refunds[Key(key, "order")] = [.. Items(list)];
            }

            foreach (var hook in Items(root["webhooks"]))
            {
                simulator._webhooks[IdOf(hook, "webhook")] = (Text(hook["topic"]) ?? string.Empty, Text(hook["secret"]) ?? string.Empty);
            }
        }

        return simulator;
    }

    private static JsonArray Array(IEnumerable<JsonObject> items) => new([.. items.Select(i => (JsonNode)i.DeepClone())]);

    private static IEnumerable<JsonObject> Items(JsonNode? list) =>
        (list as JsonArray ?? []).OfType<JsonObject>().Select(i => i.DeepClone().AsObject());
}
