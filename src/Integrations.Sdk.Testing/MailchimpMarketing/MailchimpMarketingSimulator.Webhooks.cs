namespace Integrations.Sdk.Testing.MailchimpMarketing;

/// <summary>A list webhook's delivery, recorded when the member change happened.</summary>
/// <param name="WebhookId">The webhook's id.</param>
/// <param name="Url">Where it goes: the webhook's URL as registered (its secret in the query).</param>
/// <param name="Type">The event: <c>subscribe</c>, <c>unsubscribe</c>, <c>profile</c>, <c>upemail</c>, <c>cleaned</c>.</param>
/// <param name="Body">The <c>application/x-www-form-urlencoded</c> body.</param>
/// <param name="Delivered">Whether <see cref="MailchimpMarketingSimulator.DeliverWebhooksAsync"/> has posted it.</param>
public sealed record SimulatedMailchimpWebhookDelivery(string WebhookId, string Url, string Type, string Body, bool Delivered);

/// <summary>List webhooks: creation with Mailchimp's validation GET, events recorded from member changes, deliveries.</summary>
public sealed partial class MailchimpMarketingSimulator
{
    private static readonly string[] EventTypes = ["subscribe", "unsubscribe", "profile", "cleaned", "upemail", "campaign"];
    private static readonly string[] SourceTypes = ["user", "admin", "api"];
    private readonly List<SimulatedMailchimpWebhookDelivery> _deliveries = [];
    private int _nextWebhook;

    /// <summary>Every webhook delivery recorded, delivered or not, in order.</summary>
    public IReadOnlyList<SimulatedMailchimpWebhookDelivery> WebhookDeliveries => Locked(() => _deliveries.ToList());

    /// <summary>
    /// Posts every delivery not yet delivered to its webhook's URL as Mailchimp does (a form POST, unsigned), each
    /// <paramref name="copies"/> times in an order shuffled by <paramref name="seed"/>, then marks them delivered.
    /// </summary>
    /// <param name="copies">How often each is sent (a receiver must tolerate repeats).</param>
    /// <param name="seed">Seeds the order.</param>
    /// <param name="cancellationToken">Stops the deliveries.</param>
    /// <returns>What the receivers answered.</returns>
    public async Task<WebhookDeliveryResult> DeliverWebhooksAsync(int copies = 1, int seed = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(copies, 1);
        var pending = Locked(() => _deliveries.Select((d, i) => (d, i)).Where(x => !x.d.Delivered).ToList());
        var random = new Random(seed);
        var sends = pending.SelectMany(x => Enumerable.Repeat(x.d, copies)).OrderBy(_ => random.Next()).ToList();
        var client = CallbackClient ?? CreateCallbackClient();
        int accepted = 0, refused = 0;
        foreach (var delivery in sends)
        {
            try
            {
                using var content = new StringContent(delivery.Body, Encoding.UTF8);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
                using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = content };
                request.Headers.UserAgent.ParseAdd("MailChimp");
                using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    accepted++;
                }
                else
                {
                    refused++;
                }
            }
            catch (HttpRequestException)
            {
                refused++;
            }
        }

        lock (Gate)
        {
            foreach (var (d, i) in pending)
            {
                _deliveries[i] = d with { Delivered = true };
            }
        }

        return new WebhookDeliveryResult(sends.Count, accepted, refused);
    }

    private async Task<ApiResult> CreateWebhookAsync(string listId, JsonNode? body, CancellationToken cancellationToken)
    {
        if (!Locked(() => _lists.ContainsKey(listId)))
        {
            return NotFound();
        }

        if (body is not JsonObject input || Str(input["url"]) is not { Length: > 0 } url)
        {
            return Invalid(("", "Required fields were not provided: url"));
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return Invalid(("url", "Invalid URL"));
        }

        var withoutQuery = uri.GetLeftPart(UriPartial.Path);
        if (Locked(() => _lists[listId].Webhooks.Any(w => new Uri(w.Url).GetLeftPart(UriPartial.Path) == withoutQuery)))
        {
            return Problem(400, "Invalid Resource", "Sorry, you can't use this URL. A webhook with this URL already exists for this list.");
        }

        var status = await ValidateUrlAsync(uri, cancellationToken).ConfigureAwait(false);
        if (status != 200)
        {
            return Problem(400, "Invalid Resource", $"We couldn't verify the URL is working. Please double check and try again. HTTP Code: {status}");
        }

        var events = Flags(input["events"] as JsonObject, EventTypes, _ => true);
        var sources = Flags(input["sources"] as JsonObject, SourceTypes, s => s != "api");
        lock (Gate)
        {
            var webhook = new SimWebhook(ShortId("webhook|" + _nextWebhook++), url, events, sources);
            _lists[listId].Webhooks.Add(webhook);
            return Ok(WebhookJson(listId, webhook));
        }
    }

    private async Task<int> ValidateUrlAsync(Uri uri, CancellationToken cancellationToken)
    {
        var client = CallbackClient;
        if (client is null)
        {
            client = CreateCallbackClient();
            client.Timeout = TimeSpan.FromSeconds(10);
        }

        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.UserAgent.ParseAdd("MailChimp.com WebHook Validator");
            using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return (int)response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }

    private static Dictionary<string, bool> Flags(JsonObject? given, string[] names, Func<string, bool> byDefault) =>
        names.ToDictionary(n => n, n => given?[n] is JsonValue v && v.TryGetValue<bool>(out var on) ? on : (given is null && byDefault(n)), StringComparer.Ordinal);

    private static ApiResult WebhooksJson(SimList list) => Ok(new JsonObject
    {
        ["webhooks"] = new JsonArray([.. list.Webhooks.Select(w => (JsonNode)WebhookJson(list.Id, w))]),
        ["list_id"] = list.Id,
        ["total_items"] = list.Webhooks.Count,
        ["_links"] = new JsonArray(),
    });

    private static JsonObject WebhookJson(string listId, SimWebhook webhook) => new()
    {
        ["id"] = webhook.Id,
        ["url"] = webhook.Url,
        ["events"] = new JsonObject(webhook.Events.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
        ["sources"] = new JsonObject(webhook.Sources.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
        ["list_id"] = listId,
        ["_links"] = new JsonArray(),
    };

    /// <summary>Records the delivery of a member change to each webhook of the list that wants its event and source (under the lock).</summary>
    private void RecordEvent(SimList list, SimMember member, string type, string source, string? oldEmail)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("type", type),
            new("fired_at", Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
        };
        if (type == "upemail")
        {
            fields.Add(new("data[list_id]", list.Id));
            fields.Add(new("data[new_id]", member.UniqueEmailId));
            fields.Add(new("data[new_email]", member.Email));
            fields.Add(new("data[old_email]", oldEmail ?? string.Empty));
        }
        else
        {
            if (type == "unsubscribe")
            {
                fields.Add(new("data[action]", "unsub"));
                fields.Add(new("data[reason]", "manual"));
            }

            if (type == "cleaned")
            {
                fields.Add(new("data[reason]", "hard"));
            }

            fields.Add(new("data[id]", member.UniqueEmailId));
            fields.Add(new("data[list_id]", list.Id));
            fields.Add(new("data[email]", member.Email));
            if (type != "cleaned")
            {
                fields.Add(new("data[email_type]", member.EmailType));
                fields.Add(new("data[web_id]", member.WebId.ToString(CultureInfo.InvariantCulture)));
                fields.Add(new("data[merges][EMAIL]", member.Email));
                foreach (var field in list.Fields)
                {
                    var value = member.Merge.GetValueOrDefault(field.Tag);
                    if (value is JsonObject parts)
                    {
                        foreach (var (key, part) in parts)
                        {
                            fields.Add(new($"data[merges][{field.Tag}][{key}]", Str(part) ?? string.Empty));
                        }
                    }
                    else
                    {
                        fields.Add(new($"data[merges][{field.Tag}]", Str(value) ?? string.Empty));
                    }
                }

                fields.Add(new("data[ip_opt]", string.Empty));
            }
        }

        var body = string.Join('&', fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));
        foreach (var webhook in list.Webhooks.Where(w => w.Events.GetValueOrDefault(type) && w.Sources.GetValueOrDefault(source)))
        {
            _deliveries.Add(new SimulatedMailchimpWebhookDelivery(webhook.Id, webhook.Url, type, body, Delivered: false));
        }
    }

    private sealed record SimWebhook(string Id, string Url, Dictionary<string, bool> Events, Dictionary<string, bool> Sources);
}
