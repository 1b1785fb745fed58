using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Integrations.Sdk.Testing.Trello;

/// <summary>
/// A stateful fake of the Trello REST API on 127.0.0.1, for tests and samples: boards, lists and cards in memory,
/// Trello's key and token authentication and rate limits, and signed webhooks. It speaks HTTP and JSON only (it does
/// not use the connector package). Point the connector's <c>BaseAddress</c> at <see cref="SimulatorHost.BaseAddress"/>
/// (the API lives under <c>/1/</c>, as on <c>https://api.trello.com/1/</c>; <see cref="ApiBaseAddress"/> includes it).
/// </summary>
/// <remarks>
/// <para><b>Endpoints</b>, each served through <see cref="SimulatorHost.Faults"/> under the name in brackets, before
/// anything is checked: <c>GET /1/lists/{id}/cards</c> [<c>lists.cards</c>], <c>POST /1/cards</c>
/// [<c>cards.create</c>], <c>GET /1/cards/{id}</c> [<c>cards.get</c>] and <c>POST /1/webhooks</c>
/// [<c>webhooks.create</c>].</para>
/// <para><b>Authentication</b>: the <c>key</c> and <c>token</c> query parameters (or an
/// <c>Authorization: OAuth oauth_consumer_key="...", oauth_token="..."</c> header) must be <see cref="ApiKey"/> and
/// <see cref="Token"/>; otherwise 401 with the plain-text body <c>invalid key</c> or <c>invalid token</c>.</para>
/// <para><b>Rate limits</b>: at most <see cref="KeyRateLimit"/> requests per <see cref="RateLimitWindow"/> for the
/// key and <see cref="TokenRateLimit"/> for the token (300 and 100 per 10 seconds, as Trello documents), on the
/// simulator's clock; over them, 429 with <c>{"error":"API_KEY_LIMIT_EXCEEDED"|"API_TOKEN_LIMIT_EXCEEDED","message":"Rate limit exceeded"}</c>.
/// Refused requests do not count.</para>
/// <para><b>Cards</b>: <c>POST /1/cards</c> takes its parameters from the query string, a JSON body or a form body
/// (<c>idList</c> required; <c>name</c>, <c>desc</c>, <c>pos</c>, <c>due</c>, <c>dueComplete</c>,
/// <c>idMembers</c> comma-separated). A missing, malformed or unknown <c>idList</c> is answered 400
/// <c>invalid value for idList</c>. There is no idempotency, as on Trello: the same request twice creates two
/// cards, which <see cref="Duplicates"/> shows. Each created card records a <c>createCard</c> action, delivered to
/// the webhooks watching its board, list or card by <see cref="DeliverWebhooksAsync"/>.</para>
/// <para><b>Webhooks</b>: signed as Trello does, <c>X-Trello-Webhook</c> = Base64(HMAC-SHA1(<see cref="Secret"/>,
/// body + callbackURL)); created only if the callback answers a HEAD request with 200.</para>
/// <para><b>Faults</b>: injected 429 answers carry Trello's token-limit body; injected 5xx answers a plain-text body.
/// <see cref="FaultKind.CommitThenDrop"/> on <c>cards.create</c> creates the card, then drops the connection.</para>
/// </remarks>
public sealed partial class TrelloSimulator : SimulatorHost
{
    /// <inheritdoc />
    public override string Platform => "trello";

    /// <summary>The fault-injection name of <c>POST /1/cards</c>.</summary>
    public const string CreateCardEndpoint = "cards.create";

    /// <summary>The fault-injection name of <c>GET /1/lists/{id}/cards</c>.</summary>
    public const string ListCardsEndpoint = "lists.cards";

    /// <summary>The fault-injection name of <c>GET /1/cards/{id}</c>.</summary>
    public const string GetCardEndpoint = "cards.get";

    /// <summary>The fault-injection name of <c>POST /1/webhooks</c>.</summary>
    public const string CreateWebhookEndpoint = "webhooks.create";

    private readonly Dictionary<string, SimulatedTrelloBoard> _boards = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimulatedTrelloList> _lists = new(StringComparer.Ordinal);
    private readonly List<SimulatedTrelloCard> _cards = [];
    private readonly List<SimulatedTrelloWebhook> _webhooks = [];
    private readonly List<SimulatedTrelloAction> _actions = [];
    private readonly Queue<DateTimeOffset> _keyRequests = new();
    private readonly Queue<DateTimeOffset> _tokenRequests = new();
    private int _requests;

    /// <summary>Creates the simulator (not started), with new random credentials.</summary>
    /// <param name="timeProvider">The platform's clock (rate-limit windows, dates). The system clock by default.</param>
    /// <param name="seed">Seeds random faults.</param>
    public TrelloSimulator(TimeProvider? timeProvider = null, int seed = 0)
        : base(timeProvider, seed)
    {
        MemberId = NewId();
    }

    /// <summary>The API key accepted as <c>key</c> (32 hexadecimal characters, as Trello issues them). <value>Default: a random one.</value></summary>
    public string ApiKey { get; set; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The token accepted as <c>token</c> (64 hexadecimal characters). <value>Default: a random one.</value></summary>
    public string Token { get; set; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>The application's secret, which signs webhooks (<c>X-Trello-Webhook</c>). <value>Default: a random one.</value></summary>
    public string Secret { get; set; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>The id of the token's member: the <c>idMemberCreator</c> of the actions it makes.</summary>
    public string MemberId { get; private set; }

    /// <summary>The token's member's username, in actions' <c>memberCreator</c>. <value>Default: <c>simulated-member</c>.</value></summary>
    public string MemberUsername { get; set; } = "simulated-member";

    /// <summary>Requests per <see cref="RateLimitWindow"/> allowed for the API key. <value>Default: 300, as Trello documents.</value></summary>
    public int KeyRateLimit { get; set; } = 300;

    /// <summary>Requests per <see cref="RateLimitWindow"/> allowed for the token. <value>Default: 100, as Trello documents.</value></summary>
    public int TokenRateLimit { get; set; } = 100;

    /// <summary>The rate-limit window, on the simulator's clock. <value>Default: 10 seconds, as Trello documents.</value></summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The client that sends the creation's HEAD check and webhook deliveries. <value>Default: a shared client.</value></summary>
    public HttpClient? CallbackClient { get; set; }

    /// <summary>The API root, once started: <c>http://127.0.0.1:port/1/</c>.</summary>
    public Uri ApiBaseAddress => new(BaseAddress, "1/");

    /// <summary>Requests received on the API (faulted and refused ones included).</summary>
    public int RequestCount => Volatile.Read(ref _requests);

    /// <summary>The boards.</summary>
    public IReadOnlyList<SimulatedTrelloBoard> Boards => Locked(() => _boards.Values.ToList());

    /// <summary>The lists.</summary>
    public IReadOnlyList<SimulatedTrelloList> Lists => Locked(() => _lists.Values.ToList());

    /// <summary>Every card, in creation order.</summary>
    public IReadOnlyList<SimulatedTrelloCard> Cards => Locked(() => _cards.ToList());

    /// <summary>The registered webhooks.</summary>
    public IReadOnlyList<SimulatedTrelloWebhook> Webhooks => Locked(() => _webhooks.ToList());

    /// <summary>The recorded actions (<c>createCard</c>), in order.</summary>
    public IReadOnlyList<SimulatedTrelloAction> Actions => Locked(() => _actions.ToList());

    /// <summary>Cards beyond the first with the same list, name and description: a correct integration leaves this empty.</summary>
    public IReadOnlyList<SimulatedTrelloCard> Duplicates =>
        [.. Cards.GroupBy(c => (c.IdList, c.Name, c.Desc)).SelectMany(g => g.Skip(1))];

    /// <summary>How many cards are <see cref="Duplicates"/>.</summary>
    public int DuplicateCount => Duplicates.Count;

    /// <summary>The cards of a list (archived ones included), by position.</summary>
    /// <param name="idList">The list's id.</param>
    public IReadOnlyList<SimulatedTrelloCard> CardsInList(string idList) =>
        Locked(() => _cards.Where(c => string.Equals(c.IdList, idList, StringComparison.Ordinal)).OrderBy(c => c.Pos).ToList());

    /// <summary>Adds a board.</summary>
    /// <param name="name">Its name.</param>
    /// <returns>The board.</returns>
    public SimulatedTrelloBoard AddBoard(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var board = new SimulatedTrelloBoard(NewId(), name, NewShortLink());
        lock (Gate)
        {
            _boards.Add(board.Id, board);
        }

        return board;
    }

    /// <summary>Adds a list at the end of a board.</summary>
    /// <param name="idBoard">The board's id (<see cref="AddBoard"/>).</param>
    /// <param name="name">The list's name.</param>
    /// <returns>The list.</returns>
    /// <exception cref="ArgumentException">No such board.</exception>
    public SimulatedTrelloList AddList(string idBoard, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idBoard);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (Gate)
        {
            if (!_boards.ContainsKey(idBoard))
            {
                throw new ArgumentException($"No board {idBoard} on the simulator.", nameof(idBoard));
            }

            var last = _lists.Values.Where(l => l.IdBoard == idBoard).Select(l => l.Pos).DefaultIfEmpty(0).Max();
            var list = new SimulatedTrelloList(NewId(), name, idBoard, last + 65536);
            _lists.Add(list.Id, list);
            return list;
        }
    }

    /// <summary>Adds a board and one list on it, the usual start of a test.</summary>
    /// <param name="listName">The list's name.</param>
    /// <param name="boardName">The board's name.</param>
    /// <returns>The list.</returns>
    public SimulatedTrelloList AddBoardWithList(string listName = "To Do", string boardName = "Simulated board") => AddList(AddBoard(boardName).Id, listName);

    /// <inheritdoc />
    protected override void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        Map(endpoints, "GET", "/1/lists/{id}/cards", ListCardsAsync);
        Map(endpoints, "POST", "/1/cards", CreateCardAsync);
        Map(endpoints, "GET", "/1/cards/{id}", GetCardAsync);
        Map(endpoints, "POST", "/1/webhooks", CreateWebhookAsync); // also /1/webhooks/ (the spec's path): routing ignores a trailing slash

        // Trello answers a route it does not have with 404 and a plain-text "Cannot METHOD /path" (see docs/testing.md).
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapFallback("{**path}", (HttpContext context) =>
            Text(StatusCodes.Status404NotFound, $"Cannot {context.Request.Method} {context.Request.Path}"));
    }

    /// <inheritdoc />
    protected override IResult FaultAnswer(HttpContext context, int status) => status == StatusCodes.Status429TooManyRequests
        ? Json(status, LimitBody("API_TOKEN_LIMIT_EXCEEDED"))
        : Results.Text("Internal Server Error", "text/plain", Encoding.UTF8, status);

    private Task<IResult> ListCardsAsync(HttpContext context) => ReadAsync(context, ListCardsEndpoint, "list", (id, options) =>
    {
        if (!_lists.ContainsKey(id))
        {
            return Text(StatusCodes.Status404NotFound, "The requested resource was not found.");
        }

        var cards = _cards.Where(c => c.IdList == id && !c.Closed).OrderBy(c => c.Pos).Select(c => ReadCard(c, options));
        return Json(StatusCodes.Status200OK, new JsonArray([.. cards]));
    });

    private Task<IResult> GetCardAsync(HttpContext context) => ReadAsync(context, GetCardEndpoint, "card", (id, options) =>
        _cards.FirstOrDefault(c => c.Id == id) is { } card
            ? Json(StatusCodes.Status200OK, ReadCard(card, options))
            : Text(StatusCodes.Status404NotFound, "The requested resource was not found."));

    /// <summary>
    /// A read of the model named <paramref name="model"/> by the id in the route, as Trello checks it: key and token,
    /// then the id's form, then the read parameters; <paramref name="read"/> answers under the lock.
    /// </summary>
    private Task<IResult> ReadAsync(HttpContext context, string endpoint, string model, Func<string, CardReadOptions, IResult> read)
    {
        Interlocked.Increment(ref _requests);
        var id = (string?)context.Request.RouteValues["id"] ?? string.Empty;
        return WithFaultsAsync(context, endpoint, () =>
        {
            if (Refuse(context, model) is { } refused)
            {
                return refused;
            }

            if (!IsTrelloId(id))
            {
                return Text(StatusCodes.Status400BadRequest, "invalid id");
            }

            if (!CardReadOptions.TryParse(context.Request.Query, out var options, out var invalid))
            {
                return Text(StatusCodes.Status400BadRequest, invalid);
            }

            lock (Gate)
            {
                return read(id, options);
            }
        });
    }

    private async Task<IResult> CreateCardAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var (parameters, invalid) = await ReadParametersAsync(context).ConfigureAwait(false);
        return await WithFaultsAsync(context, CreateCardEndpoint, () => Refuse(context, null)
            ?? (invalid is not null ? Text(StatusCodes.Status400BadRequest, invalid) : CreateCard(parameters))).ConfigureAwait(false);
    }

    private IResult CreateCard(Dictionary<string, string?> parameters)
    {
        var idList = parameters.GetValueOrDefault("idList");
        var members = (parameters.GetValueOrDefault("idMembers") ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (members.Any(m => !IsTrelloId(m)))
        {
            return Text(StatusCodes.Status400BadRequest, "invalid value for idMembers");
        }

        DateTimeOffset? due = null;
        if (parameters.GetValueOrDefault("due") is { Length: > 0 } dueText && dueText != "null")
        {
            if (!DateTimeOffset.TryParse(dueText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return Text(StatusCodes.Status400BadRequest, "invalid value for due");
            }

            due = parsed.ToUniversalTime();
        }

        DateTimeOffset? start = null;
        if (parameters.GetValueOrDefault("start") is { Length: > 0 } startText && startText != "null")
        {
            if (!DateTimeOffset.TryParse(startText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return Text(StatusCodes.Status400BadRequest, "invalid value for start");
            }

            start = parsed.ToUniversalTime();
        }

        // The simulated boards have no labels, so any label id is one Trello would not find on the board.
        if (parameters.GetValueOrDefault("idLabels") is { Length: > 0 })
        {
            return Text(StatusCodes.Status400BadRequest, "invalid value for idLabels");
        }

        if (parameters.GetValueOrDefault("dueComplete") is { Length: > 0 } dueCompleteText && !bool.TryParse(dueCompleteText, out _))
        {
            return Text(StatusCodes.Status400BadRequest, "invalid value for dueComplete");
        }

        var posText = parameters.GetValueOrDefault("pos");
        double? explicitPos = null;
        if (posText is { Length: > 0 } && posText != "top" && posText != "bottom")
        {
            if (!double.TryParse(posText, NumberStyles.Float, CultureInfo.InvariantCulture, out var pos) || pos < 0)
            {
                return Text(StatusCodes.Status400BadRequest, "invalid value for pos");
            }

            explicitPos = pos;
        }

        var now = Time.GetUtcNow();
        SimulatedTrelloCard card;
        lock (Gate)
        {
            if (idList is null || !IsTrelloId(idList) || !_lists.TryGetValue(idList, out var list))
            {
                return Text(StatusCodes.Status400BadRequest, "invalid value for idList");
            }

            var inList = _cards.Where(c => c.IdList == idList).Select(c => c.Pos).ToList();
            var position = explicitPos ?? (posText == "top"
                ? (inList.Count == 0 ? 65536 : inList.Min() / 2)
                : (inList.Count == 0 ? 65536 : inList.Max() + 65536));
            var idShort = _cards.Count(c => c.IdBoard == list.IdBoard) + 1;
            card = new SimulatedTrelloCard(NewId(), parameters.GetValueOrDefault("name") ?? string.Empty, parameters.GetValueOrDefault("desc") ?? string.Empty,
                list.Id, list.IdBoard, members, due, false, position, idShort, NewShortLink(), now)
            {
                DueComplete = string.Equals(parameters.GetValueOrDefault("dueComplete"), "true", StringComparison.OrdinalIgnoreCase),
                Start = start,
            };
            _cards.Add(card);
            _actions.Add(new SimulatedTrelloAction(NewId(), "createCard", now, MemberId, list.IdBoard, list.Id, card.Id));
        }

        return Json(StatusCodes.Status200OK, CardJson(card));
    }

    /// <summary>
    /// Checks the credentials and the rate limits; <see langword="null"/> when the request may go on. A missing or
    /// wrong key is <c>invalid key</c>; a missing token, on the simulator's private boards, is
    /// <c>unauthorized {model} permission requested</c> (<c>unauthorized permission requested</c> for writes); a wrong
    /// one <c>invalid token</c>. All 401, plain text.
    /// </summary>
    private IResult? Refuse(HttpContext context, string? model)
    {
        var (key, token) = Credentials(context.Request);
        if (!Same(key, ApiKey))
        {
            return Text(StatusCodes.Status401Unauthorized, "invalid key");
        }

        if (string.IsNullOrEmpty(token))
        {
            return Text(StatusCodes.Status401Unauthorized, model is null ? "unauthorized permission requested" : $"unauthorized {model} permission requested");
        }

        if (!Same(token, Token))
        {
            return Text(StatusCodes.Status401Unauthorized, "invalid token");
        }

        var now = Time.GetUtcNow();
        lock (Gate)
        {
            Expire(_keyRequests, now);
            Expire(_tokenRequests, now);
            if (_keyRequests.Count >= KeyRateLimit)
            {
                return Json(StatusCodes.Status429TooManyRequests, LimitBody("API_KEY_LIMIT_EXCEEDED"));
            }

            if (_tokenRequests.Count >= TokenRateLimit)
            {
                return Json(StatusCodes.Status429TooManyRequests, LimitBody("API_TOKEN_LIMIT_EXCEEDED"));
            }

            _keyRequests.Enqueue(now);
            _tokenRequests.Enqueue(now);
        }

        return null;
    }

    private void Expire(Queue<DateTimeOffset> requests, DateTimeOffset now)
    {
        while (requests.TryPeek(out var at) && now - at >= RateLimitWindow)
        {
            requests.Dequeue();
        }
    }

    private static (string? Key, string? Token) Credentials(HttpRequest request)
    {
        string? key = request.Query["key"], token = request.Query["token"];
        if ((key is null || token is null) && request.Headers.Authorization.ToString() is { Length: > 0 } header
            && header.StartsWith("OAuth ", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var part in header[6..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = part.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    continue;
                }

                var value = Uri.UnescapeDataString(part[(equals + 1)..].Trim('"'));
                switch (part[..equals].Trim())
                {
                    case "oauth_consumer_key":
                        key ??= value;
                        break;
                    case "oauth_token":
                        token ??= value;
                        break;
                }
            }
        }

        return (key, token);
    }

    private static bool Same(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    /// <summary>The request's parameters: the query string, then a JSON or form body's, which replace them.</summary>
    private static async Task<(Dictionary<string, string?> Parameters, string? Invalid)> ReadParametersAsync(HttpContext context)
    {
        var parameters = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in context.Request.Query)
        {
            parameters[name] = value.ToString();
        }

        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            foreach (var (name, value) in form)
            {
                parameters[name] = value.ToString();
            }
        }
        else if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            var (body, invalid) = await ReadJsonAsync(context).ConfigureAwait(false);
            if (invalid is not null)
            {
                return (parameters, "invalid json");
            }

            foreach (var (name, value) in body as JsonObject ?? [])
            {
                parameters[name] = value switch
                {
                    null => null,
                    JsonArray array => string.Join(',', array.Select(Str)),
                    _ => Str(value),
                };
            }
        }

        return (parameters, null);
    }

    private static string? Str(JsonNode? node) => node is JsonValue value
        ? value.TryGetValue<string>(out var s) ? s : value.ToJsonString()
        : node?.ToJsonString();

    private static JsonObject LimitBody(string error) => new() { ["error"] = error, ["message"] = "Rate limit exceeded" };

    private static IResult Text(int status, string body) => Results.Text(body, "text/plain", Encoding.UTF8, status);

    private static bool IsTrelloId(string? id) => id is { Length: 24 } && id.All(char.IsAsciiHexDigit);

    /// <summary>A new id as Trello's look: 24 hexadecimal characters, the first 8 the creation's Unix seconds.</summary>
    private string NewId() =>
        ((uint)Time.GetUtcNow().ToUnixTimeSeconds()).ToString("x8", CultureInfo.InvariantCulture) + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    private static string NewShortLink() =>
        new(RandomNumberGenerator.GetItems<char>("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 8));

    private static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
