using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Integrations.Sdk.Testing.Trello;

public sealed partial class TrelloSimulator
{
    /// <summary>The header that carries a webhook's signature.</summary>
    public const string SignatureHeader = "X-Trello-Webhook";

    /// <summary>
    /// Registers a webhook as <c>POST /1/webhooks</c> does: Trello first sends HEAD to <paramref name="callbackUrl"/>
    /// and creates the webhook only if it answers 200.
    /// </summary>
    /// <param name="callbackUrl">The callback URL; kept exactly as given, since it is part of what is signed.</param>
    /// <param name="idModel">The model to watch: a board, list, card or member id.</param>
    /// <param name="description">The webhook's description.</param>
    /// <param name="cancellationToken">Cancels the HEAD check.</param>
    /// <returns>The webhook.</returns>
    /// <exception cref="InvalidOperationException">The callback did not answer HEAD with 200.</exception>
    public async Task<SimulatedTrelloWebhook> AddWebhookAsync(string callbackUrl, string idModel, string description = "", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(callbackUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(idModel);
        var refusal = await CheckCallbackAsync(callbackUrl, cancellationToken).ConfigureAwait(false);
        return refusal is null ? Register(callbackUrl, idModel, description) : throw new InvalidOperationException(refusal);
    }

    /// <summary>
    /// Builds the signed delivery of <paramref name="action"/> to <paramref name="webhook"/>, as Trello posts it:
    /// <c>{"action": {...}, "model": {...}, "webhook": {...}}</c> with <c>X-Trello-Webhook</c> =
    /// Base64(HMAC-SHA1(<see cref="Secret"/>, body + callbackURL)).
    /// </summary>
    /// <param name="action">The action (see <see cref="Actions"/>).</param>
    /// <param name="webhook">The webhook (see <see cref="Webhooks"/>).</param>
    /// <returns>The signed webhook; post it to <see cref="SimulatedTrelloWebhook.CallbackUrl"/>.</returns>
    public SignedWebhook CreateWebhookDelivery(SimulatedTrelloAction action, SimulatedTrelloWebhook webhook)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(webhook);
        var payload = Locked(() => new JsonObject
        {
            ["action"] = ActionJson(action),
            ["model"] = ModelJson(webhook.IdModel),
            ["webhook"] = WebhookJson(webhook),
        });
        var secret = Secret;
        return SignedWebhook.Create(payload, body => new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [SignatureHeader] = Sign(secret, body, webhook.CallbackUrl),
        });
    }

    /// <summary>
    /// Delivers every action not yet delivered to each active webhook watching its board, list, card or member,
    /// signed, through <see cref="WebhookSender"/>, then marks the actions delivered.
    /// </summary>
    /// <param name="copies">How often each delivery is sent (Trello may deliver more than once).</param>
    /// <param name="seed">Seeds the delivery order.</param>
    /// <param name="cancellationToken">Stops the deliveries.</param>
    /// <returns>What the callbacks answered, summed over the webhooks.</returns>
    public async Task<WebhookDeliveryResult> DeliverWebhooksAsync(int copies = 1, int seed = 0, CancellationToken cancellationToken = default)
    {
        var (actions, webhooks) = Locked(() => (_actions.Where(a => !a.Delivered).ToList(), _webhooks.Where(w => w.Active).ToList()));
        int sent = 0, accepted = 0, refused = 0;
        foreach (var webhook in webhooks)
        {
            var deliveries = actions.Where(a => Watches(webhook, a)).Select(a => CreateWebhookDelivery(a, webhook)).ToList();
            if (deliveries.Count == 0)
            {
                continue;
            }

            var result = await WebhookSender.DeliverAsync(CallbackClient ?? CreateCallbackClient(), new Uri(webhook.CallbackUrl), deliveries, copies, seed: seed,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            sent += result.Sent;
            accepted += result.Accepted;
            refused += result.Refused;
        }

        lock (Gate)
        {
            var delivered = actions.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
            for (var i = 0; i < _actions.Count; i++)
            {
                if (delivered.Contains(_actions[i].Id))
                {
                    _actions[i] = _actions[i] with { Delivered = true };
                }
            }
        }

        return new WebhookDeliveryResult(sent, accepted, refused);
    }

    /// <summary>Trello's signature: Base64(HMAC-SHA1(secret, body + callbackURL)), the URL exactly as registered.</summary>
    /// <param name="secret">The application's secret.</param>
    /// <param name="body">The raw body.</param>
    /// <param name="callbackUrl">The callback URL as registered.</param>
    /// <returns>The <c>X-Trello-Webhook</c> value.</returns>
    public static string Sign(string secret, ReadOnlySpan<byte> body, string callbackUrl)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(callbackUrl);
        var url = Encoding.UTF8.GetBytes(callbackUrl);
        var content = new byte[body.Length + url.Length];
        body.CopyTo(content);
        url.CopyTo(content.AsSpan(body.Length));
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), content));
    }

    private async Task<IResult> CreateWebhookAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var (parameters, invalid) = await ReadParametersAsync(context).ConfigureAwait(false);
        return await WithFaultsAsync(context, CreateWebhookEndpoint, async () =>
        {
            if (Refuse(context, null) is { } refused)
            {
                return refused;
            }

            if (invalid is not null)
            {
                return Text(StatusCodes.Status400BadRequest, invalid);
            }

            var idModel = parameters.GetValueOrDefault("idModel");
            if (!IsTrelloId(idModel) || !Locked(() => Known(idModel!)))
            {
                return Text(StatusCodes.Status400BadRequest, "invalid value for idModel");
            }

            if (parameters.GetValueOrDefault("callbackURL") is not { Length: > 0 } callbackUrl
                || !Uri.TryCreate(callbackUrl, UriKind.Absolute, out _))
            {
                return Text(StatusCodes.Status400BadRequest, "invalid value for callbackURL");
            }

            if (await CheckCallbackAsync(callbackUrl, context.RequestAborted).ConfigureAwait(false) is { } refusal)
            {
                return Text(StatusCodes.Status400BadRequest, refusal);
            }

            var description = parameters.GetValueOrDefault("description") ?? string.Empty;
            if (description.Length > 16384)
            {
                return Text(StatusCodes.Status400BadRequest, "invalid value for description");
            }

            var active = true;
            if (parameters.GetValueOrDefault("active") is { Length: > 0 } activeText && !bool.TryParse(activeText, out active))
            {
                return Text(StatusCodes.Status400BadRequest, "invalid value for active");
            }

            var webhook = Register(callbackUrl, idModel!, description, active);
            return Json(StatusCodes.Status200OK, WebhookJson(webhook));
        }).ConfigureAwait(false);
    }

    private async Task<string?> CheckCallbackAsync(string callbackUrl, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Head, callbackUrl);
            using var response = await (CallbackClient ?? CreateCallbackClient()).SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.StatusCode == System.Net.HttpStatusCode.OK
                ? null
                : $"URL ({callbackUrl}) did not return 200 status code, got {(int)response.StatusCode}";
        }
        catch (HttpRequestException ex)
        {
            return $"URL ({callbackUrl}) could not be reached: {ex.Message}";
        }
    }

    private SimulatedTrelloWebhook Register(string callbackUrl, string idModel, string description, bool active = true)
    {
        var webhook = new SimulatedTrelloWebhook(NewId(), idModel, callbackUrl, description, active);
        lock (Gate)
        {
            _webhooks.Add(webhook);
        }

        return webhook;
    }

    private bool Known(string id) => _boards.ContainsKey(id) || _lists.ContainsKey(id) || _cards.Any(c => c.Id == id) || id == MemberId;

    private static bool Watches(SimulatedTrelloWebhook webhook, SimulatedTrelloAction action) =>
        webhook.IdModel == action.IdBoard || webhook.IdModel == action.IdList || webhook.IdModel == action.IdCard || webhook.IdModel == action.IdMemberCreator;

    private JsonObject ActionJson(SimulatedTrelloAction action)
    {
        var card = _cards.FirstOrDefault(c => c.Id == action.IdCard);
        var list = _lists.GetValueOrDefault(action.IdList);
        var board = _boards.GetValueOrDefault(action.IdBoard);
        return new JsonObject
        {
            ["id"] = action.Id,
            ["idMemberCreator"] = action.IdMemberCreator,
            ["type"] = action.Type,
            ["date"] = Date(action.Date),
            ["data"] = new JsonObject
            {
                ["card"] = new JsonObject
                {
                    ["id"] = action.IdCard,
                    ["name"] = card?.Name,
                    ["idShort"] = card?.IdShort,
                    ["shortLink"] = card?.ShortLink,
                },
                ["list"] = new JsonObject { ["id"] = action.IdList, ["name"] = list?.Name },
                ["board"] = new JsonObject { ["id"] = action.IdBoard, ["name"] = board?.Name, ["shortLink"] = board?.ShortLink },
            },
            ["memberCreator"] = new JsonObject
            {
                ["id"] = action.IdMemberCreator,
                ["username"] = MemberUsername,
                ["fullName"] = MemberUsername,
            },
        };
    }

    private JsonObject ModelJson(string idModel)
    {
        if (_boards.TryGetValue(idModel, out var board))
        {
            return new JsonObject
            {
                ["id"] = board.Id,
                ["name"] = board.Name,
                ["desc"] = string.Empty,
                ["closed"] = false,
                ["shortLink"] = board.ShortLink,
                ["shortUrl"] = board.ShortUrl,
                ["url"] = board.ShortUrl,
            };
        }

        if (_lists.TryGetValue(idModel, out var list))
        {
            return new JsonObject { ["id"] = list.Id, ["name"] = list.Name, ["closed"] = list.Closed, ["idBoard"] = list.IdBoard, ["pos"] = list.Pos };
        }

        return _cards.FirstOrDefault(c => c.Id == idModel) is { } card
            ? CardJson(card)
            : new JsonObject { ["id"] = idModel, ["username"] = MemberUsername };
    }

    private static JsonObject WebhookJson(SimulatedTrelloWebhook webhook) => new()
    {
        ["id"] = webhook.Id,
        ["description"] = webhook.Description,
        ["idModel"] = webhook.IdModel,
        ["callbackURL"] = webhook.CallbackUrl,
        ["active"] = webhook.Active,
        ["consecutiveFailures"] = 0,
        ["firstConsecutiveFailDate"] = null,
    };
}
