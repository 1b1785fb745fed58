namespace Integrations.Sdk.Trello.Webhooks;

/// <summary>
/// Receives Trello webhooks: <c>X-Trello-Webhook</c> = Base64(HMAC-SHA1(the Power-Up's secret, raw body + the callback
/// URL)). Trello signs no timestamp, so a replayed delivery is caught by the inbox's dedupe on the action id. Each
/// delivery carries one action; Trello's <c>HEAD</c> check of the callback URL, when a webhook is created, is answered 200.
/// </summary>
public sealed class TrelloWebhookSource : HmacWebhookSource, IWebhookHandshake
{
    /// <summary>The signature header.</summary>
    public const string SignatureHeader = "X-Trello-Webhook";

    private static readonly HmacSignatureScheme TrelloScheme = new()
    {
        SignatureHeader = SignatureHeader,
        Hash = HmacHash.Sha1,
        Encoding = SignatureEncoding.Base64,
        SignedContent = [SignedPart.Body, SignedPart.Url],
        SecretName = "Power-Up secret",
    };

    private readonly IOptions<TrelloOptions> _options;

    /// <summary>Creates the source.</summary>
    /// <param name="options">The connector's options; the secret is read on each verification.</param>
    public TrelloWebhookSource(IOptions<TrelloOptions> options)
        : base(TrelloConnector.ConnectorName, TrelloScheme, $"{nameof(TrelloOptions)}.{nameof(TrelloOptions.WebhookSecret)}", timeProvider: null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <inheritdoc />
    protected override string? Secret => _options.Value.WebhookSecret;

    /// <inheritdoc />
    public WebhookResponse? Handshake(WebhookRequest request, WebhookVerification verification)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Method == HttpMethod.Head.Method ? new WebhookResponse(200) : null;
    }

    /// <inheritdoc />
    public override IReadOnlyList<WebhookEvent> Parse(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var document = WebhookJson.Parse(request.Body, "Trello");
        if (!PlatformJson.TryGet(document.RootElement, "action", out var action) || action.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("The Trello webhook body has no action object.");
        }

        var id = PlatformJson.Required(action, "id", "action");
        var type = PlatformJson.Required(action, "type", "action");
        DateTimeOffset? at = DateTimeOffset.TryParse(PlatformJson.Text(action, "date"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? date
            : null;
        return [new WebhookEvent(id, type, document.RootElement.GetRawText(), at)];
    }
}
