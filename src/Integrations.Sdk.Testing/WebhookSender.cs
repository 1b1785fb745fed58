namespace Integrations.Sdk.Testing;

/// <summary>What a delivery round got back from the receiving endpoint.</summary>
/// <param name="Sent">Requests sent.</param>
/// <param name="Accepted">Requests answered 2xx.</param>
/// <param name="Refused">Requests answered 4xx or 5xx.</param>
public readonly record struct WebhookDeliveryResult(int Sent, int Accepted, int Refused);

/// <summary>
/// Delivers signed webhooks the way platforms do: each one several times, in shuffled order, mixed with any forged
/// ones you add, so a receiver's dedupe and verification can be tested.
/// </summary>
public static class WebhookSender
{
    /// <summary>
    /// Posts every webhook <paramref name="copies"/> times, plus <paramref name="extra"/> as they are, in an order
    /// shuffled by <paramref name="seed"/>, one after another.
    /// </summary>
    /// <param name="client">The HTTP client (from IHttpClientFactory, or a test server's).</param>
    /// <param name="target">The receiving endpoint.</param>
    /// <param name="webhooks">The genuine webhooks.</param>
    /// <param name="copies">How often each genuine webhook is delivered (at least once).</param>
    /// <param name="extra">Webhooks to mix in once each (forged, stale).</param>
    /// <param name="seed">Seeds the shuffle, so a run can be repeated.</param>
    /// <param name="cancellationToken">Stops the deliveries.</param>
    public static async Task<WebhookDeliveryResult> DeliverAsync(
        HttpClient client,
        Uri target,
        IEnumerable<SignedWebhook> webhooks,
        int copies = 1,
        IEnumerable<SignedWebhook>? extra = null,
        int seed = 0,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(webhooks);
        ArgumentOutOfRangeException.ThrowIfLessThan(copies, 1);
        var random = new Random(seed);
        var deliveries = webhooks.SelectMany(w => Enumerable.Repeat(w, copies)).Concat(extra ?? []).OrderBy(_ => random.Next()).ToList();
        int accepted = 0, refused = 0;
        foreach (var webhook in deliveries)
        {
            using var response = await webhook.PostAsync(client, target, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                accepted++;
            }
            else
            {
                refused++;
            }
        }

        return new WebhookDeliveryResult(deliveries.Count, accepted, refused);
    }
}
