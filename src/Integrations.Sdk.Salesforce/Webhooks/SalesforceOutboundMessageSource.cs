using System.Xml;
using System.Xml.Linq;

namespace Integrations.Sdk.Salesforce.Webhooks;

/// <summary>
/// Receives Salesforce outbound messages: a SOAP <c>notifications</c> envelope (namespace
/// <c>http://soap.sforce.com/2005/09/outbound</c>) with <c>OrganizationId</c>, <c>ActionId</c> and up to 100
/// <c>Notification</c> elements, each an <c>Id</c> and an <c>sObject</c> whose fields are <c>sf:</c>-namespaced elements.
/// Each notification is one <see cref="WebhookEvent"/>: id the notification's <c>Id</c> (a resend repeats it, so the
/// inbox drops it), type the sObject's type (<c>Opportunity</c>), payload the sObject's fields as a JSON object of
/// texts (<c>xsi:nil</c> fields as <see langword="null"/>). Outbound messages are unsigned: a delivery is accepted only
/// when its <c>OrganizationId</c> is <see cref="SalesforceOptions.OrganizationId"/> (restrict the endpoint further with
/// TLS and the URL, see docs/connectors/salesforce.md). Once stored, the delivery is answered with the SOAP
/// <c>notificationsResponse</c> <c>Ack</c> true that stops Salesforce resending it.
/// </summary>
public sealed class SalesforceOutboundMessageSource : IWebhookSource, IWebhookAcknowledgement
{
    /// <summary>The outbound messaging namespace.</summary>
    public const string OutboundNamespace = "http://soap.sforce.com/2005/09/outbound";

    private const string SoapEnvelopeNamespace = "http://schemas.xmlsoap.org/soap/envelope/";
    private const string XsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";

    private static readonly XNamespace Outbound = OutboundNamespace;
    private static readonly XNamespace Xsi = XsiNamespace;

    private static readonly string AckBody =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" +
        $"<soapenv:Envelope xmlns:soapenv=\"{SoapEnvelopeNamespace}\"><soapenv:Body>" +
        $"<notificationsResponse xmlns=\"{OutboundNamespace}\"><Ack>true</Ack></notificationsResponse>" +
        "</soapenv:Body></soapenv:Envelope>";

    private readonly IOptions<SalesforceOptions> _options;

    /// <summary>Creates the source.</summary>
    /// <param name="options">The connector's options; <see cref="SalesforceOptions.OrganizationId"/> is read on each verification.</param>
    public SalesforceOutboundMessageSource(IOptions<SalesforceOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <inheritdoc />
    public string Name => SalesforceConnector.ConnectorName;

    /// <summary>
    /// Accepts the delivery when its <c>notifications/OrganizationId</c> names the configured org (a 15-character id
    /// and its 18-character form are the same org); the failure names the element, never the configured id.
    /// </summary>
    /// <param name="request">The delivery.</param>
    /// <remarks>When <see cref="SalesforceOptions.OrganizationId"/> is not set, every delivery is refused, with a reason saying so.</remarks>
    public WebhookVerification Verify(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var expected = _options.Value.OrganizationId?.Trim();
        if (string.IsNullOrEmpty(expected))
        {
            // Refused (401), not a server error: nothing is stored until the org id is configured, and the reason is logged.
            return WebhookVerification.Invalid(
                $"{nameof(SalesforceOptions)}.{nameof(SalesforceOptions.OrganizationId)} is not set (the org id, 00D...), so the sender of an outbound message cannot be checked");
        }

        XElement notifications;
        try
        {
            notifications = Notifications(request);
        }
        catch (FormatException ex)
        {
            return WebhookVerification.Invalid(ex.Message);
        }

        var org = notifications.Element(Outbound + "OrganizationId")?.Value.Trim();
        if (string.IsNullOrEmpty(org))
        {
            return WebhookVerification.Invalid("the notifications element has no OrganizationId element");
        }

        return SameId(org, expected)
            ? WebhookVerification.Valid
            : WebhookVerification.Invalid("the OrganizationId element does not name the configured org (SalesforceOptions.OrganizationId)");
    }

    /// <inheritdoc />
    public IReadOnlyList<WebhookEvent> Parse(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var notifications = Notifications(request);
        var events = new List<WebhookEvent>();
        var i = 0;
        foreach (var notification in notifications.Elements(Outbound + "Notification"))
        {
            var id = notification.Element(Outbound + "Id")?.Value.Trim();
            if (string.IsNullOrEmpty(id))
            {
                throw new FormatException($"Notification[{i}] has no Id element.");
            }

            var sobject = notification.Element(Outbound + "sObject")
                ?? throw new FormatException($"Notification[{i}] (Id {id}) has no sObject element.");
            var type = TypeName(sobject) ?? throw new FormatException($"Notification[{i}] (Id {id}): its sObject element has no xsi:type.");
            var fields = new JsonObject();
            foreach (var field in sobject.Elements())
            {
                fields[field.Name.LocalName] = IsNil(field) ? null : JsonValue.Create(field.Value);
            }

            DateTimeOffset? at = Stamp(fields, "SystemModstamp") ?? Stamp(fields, "LastModifiedDate");
            events.Add(new WebhookEvent(id, type, fields.ToJsonString(), at));
            i++;
        }

        return events.Count > 0 ? events : throw new FormatException("The notifications element holds no Notification element.");
    }

    /// <summary>The documented answer that acknowledges the delivery: <c>notificationsResponse</c> with <c>Ack</c> true, as <c>text/xml</c>.</summary>
    /// <param name="request">The delivery.</param>
    public WebhookResponse Acknowledge(WebhookRequest request) => new(200, AckBody, "text/xml; charset=utf-8");

    /// <summary>Whether two org or record ids name the same record: equal, or the 15-character (case-sensitive) id of an 18-character one.</summary>
    internal static bool SameId(string a, string b)
    {
        if (!SalesforceOptions.IsRecordId(a) || !SalesforceOptions.IsRecordId(b))
        {
            return false;
        }

        // 18-character ids are case-safe (that is what the suffix is for); 15-character ones are case-sensitive.
        return a.Length == b.Length
            ? string.Equals(a, b, a.Length == 18 ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)
            : string.Equals(a[..15], b[..15], StringComparison.Ordinal)
                && (a.Length == 15 || string.Equals(a[15..], Suffix(a[..15]), StringComparison.OrdinalIgnoreCase))
                && (b.Length == 15 || string.Equals(b[15..], Suffix(b[..15]), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The 3 characters Salesforce appends to a 15-character id: each encodes which of 5 characters are upper case.</summary>
    internal static string Suffix(string id15)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
        var suffix = new char[3];
        for (var chunk = 0; chunk < 3; chunk++)
        {
            var bits = 0;
            for (var i = 0; i < 5; i++)
            {
                if (char.IsAsciiLetterUpper(id15[(chunk * 5) + i]))
                {
                    bits |= 1 << i;
                }
            }

            suffix[chunk] = Alphabet[bits];
        }

        return new string(suffix);
    }

    private static DateTimeOffset? Stamp(JsonObject fields, string name) =>
        fields[name] is JsonValue value && Internal.SalesforceJson.TryParse(value.ToString(), out var at) ? at : null;

    private static bool IsNil(XElement element) =>
        string.Equals((string?)element.Attribute(Xsi + "nil"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The sObject's type from <c>xsi:type="sf:Opportunity"</c>, without its prefix.</summary>
    private static string? TypeName(XElement sobject)
    {
        var type = ((string?)sobject.Attribute(Xsi + "type"))?.Trim();
        if (string.IsNullOrEmpty(type))
        {
            return null;
        }

        var colon = type.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 ? type[(colon + 1)..] : type;
    }

    private static XElement Notifications(WebhookRequest request)
    {
        XDocument document;
        try
        {
            // No DTDs, no external entities: the body comes from outside.
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
            using var stream = new MemoryStream(request.Body.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, settings);
            document = XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            throw new FormatException($"The Salesforce outbound message is not XML: {ex.Message}");
        }

        return document.Descendants(Outbound + "notifications").FirstOrDefault()
            ?? throw new FormatException($"The Salesforce outbound message has no notifications element (namespace {OutboundNamespace}).");
    }
}
