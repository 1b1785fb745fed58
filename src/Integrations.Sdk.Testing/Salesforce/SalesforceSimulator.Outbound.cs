using System.Net.Http.Headers;
using System.Xml;
using System.Xml.Linq;

namespace Integrations.Sdk.Testing.Salesforce;

/// <summary>Outbound messages: SOAP <c>notifications</c> posted on opportunity stage changes, resent until acknowledged.</summary>
public sealed partial class SalesforceSimulator
{
    private static readonly XNamespace SoapEnvelope = "http://schemas.xmlsoap.org/soap/envelope/";
    private static readonly XNamespace Outbound = "http://soap.sforce.com/2005/09/outbound";
    private static readonly XNamespace SObject = "urn:sobject.enterprise.soap.sforce.com";
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";
    private static readonly string[] NotifiedFields = ["Id", "AccountId", "Amount", "CloseDate", "IsClosed", "IsWon", "LastModifiedDate", "Name", "OwnerId", "StageName", "SystemModstamp"];
    private readonly List<Notification> _pending = [];
    private readonly Dictionary<string, int> _sendsPerNotification = new(StringComparer.Ordinal);
    private string? _actionId;
    private int _deliveries;
    private int _acks;
    private int _queued;

    /// <summary>
    /// Where outbound messages go (the endpoint URL of the outbound message rule "Opportunity: stage changed"). While
    /// set, each change of an opportunity's stage, through the API or <see cref="SetDealOutcome"/>, and each
    /// opportunity created through the API, queues a notification. <value>Default: <see langword="null"/>: no rule,
    /// nothing queued.</value>
    /// </summary>
    public Uri? OutboundMessageEndpoint { get; set; }

    /// <summary>Whether the messages carry a <c>SessionId</c> (the rule's "Send Session ID"). <value>Default: <see langword="false"/> (<c>xsi:nil</c>).</value></summary>
    public bool OutboundMessageSendsSessionId { get; set; }

    /// <summary>Notifications queued since the simulator was created.</summary>
    public int OutboundNotificationsQueued => Locked(() => _queued);

    /// <summary>Notifications queued and not yet acknowledged.</summary>
    public int OutboundNotificationsPending => Locked(() => _pending.Count);

    /// <summary>SOAP messages posted (each attempt counts, resends too).</summary>
    public int OutboundMessageDeliveries => Locked(() => _deliveries);

    /// <summary>SOAP messages answered with <c>&lt;Ack&gt;true&lt;/Ack&gt;</c>.</summary>
    public int OutboundMessageAcks => Locked(() => _acks);

    /// <summary>Notifications sent more than once (same notification id): resends of unacknowledged ones.</summary>
    public int OutboundNotificationsResent => Locked(() => _sendsPerNotification.Count(s => s.Value > 1));

    /// <summary>
    /// Posts the pending notifications to <see cref="OutboundMessageEndpoint"/>, up to 100 per SOAP message, as
    /// Salesforce does: <c>Content-Type: text/xml</c>, <c>SOAPAction: ""</c>, a <c>notifications</c> body with
    /// <c>OrganizationId</c>, <c>ActionId</c>, <c>SessionId</c>, <c>EnterpriseUrl</c>, <c>PartnerUrl</c> and one
    /// <c>Notification</c> (<c>Id</c>, <c>sObject xsi:type="sf:Opportunity"</c>) each. A message is delivered only when
    /// the answer is a 2xx whose body is a SOAP <c>notificationsResponse</c> with <c>Ack</c> true; otherwise (any other
    /// answer, an error, a timeout) its notifications stay pending and the next call sends them again, with the same
    /// notification ids. Call it again (Salesforce retries for up to 24 hours) until
    /// <see cref="OutboundNotificationsPending"/> is 0.
    /// </summary>
    /// <param name="client">The client to post with (for example a test server's); a new one for this call when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the delivery.</param>
    /// <returns>The number of notifications acknowledged by this call.</returns>
    /// <exception cref="InvalidOperationException"><see cref="OutboundMessageEndpoint"/> is not set.</exception>
    public async Task<int> DeliverOutboundMessagesAsync(HttpClient? client = null, CancellationToken cancellationToken = default)
    {
        var endpoint = OutboundMessageEndpoint ?? throw new InvalidOperationException("Set OutboundMessageEndpoint first.");
        List<List<Notification>> batches;
        string? session = null;
        lock (Gate)
        {
            batches = [.. _pending.Chunk(100).Select(c => c.ToList())];
            if (OutboundMessageSendsSessionId && batches.Count > 0)
            {
                session = Issue(_integrationUserId)["access_token"]!.ToString();
            }
        }

        var http = client ?? CreateCallbackClient();
        var acknowledged = 0;
        foreach (var batch in batches)
        {
            var body = Envelope(batch, session);
            lock (Gate)
            {
                _deliveries++;
                foreach (var n in batch)
                {
                    _sendsPerNotification[n.Id] = _sendsPerNotification.GetValueOrDefault(n.Id) + 1;
                }
            }

            bool acked;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body, Encoding.UTF8) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
                request.Headers.TryAddWithoutValidation("SOAPAction", "\"\"");
                using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                acked = response.IsSuccessStatusCode && IsAck(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                acked = false;
            }

            if (acked)
            {
                lock (Gate)
                {
                    _acks++;
                    _pending.RemoveAll(p => batch.Exists(b => b.Id == p.Id));
                }

                acknowledged += batch.Count;
            }
        }

        return acknowledged;
    }

    /// <summary>The SOAP acknowledgement Salesforce expects: <c>notificationsResponse</c> (outbound namespace) holding <c>Ack</c> = true.</summary>
    private static bool IsAck(string body)
    {
        try
        {
            var document = XDocument.Parse(body);
            var ack = document.Root?.Element(SoapEnvelope + "Body")?.Element(Outbound + "notificationsResponse")?.Element(Outbound + "Ack");
            return ack is not null && XmlConvert.ToBoolean(ack.Value.Trim());
        }
        catch (Exception ex) when (ex is XmlException or FormatException)
        {
            return false;
        }
    }

    /// <summary>Queues a notification of the opportunity as it is now (the message carries the record at the time of the change).</summary>
    private void QueueNotification(SfRecord opportunity)
    {
        if (OutboundMessageEndpoint is null)
        {
            return;
        }

        _actionId ??= NewId("04k");
        var fields = NotifiedFields.Select(f => (f, opportunity.Fields.GetValueOrDefault(f)))
            .Where(p => p.Item2 is not null)
            .Select(p => (p.f, p.Item2 is JsonValue v && v.TryGetValue<string>(out var s) ? s : Xml(p.Item2!)))
            .ToList();
        _pending.Add(new Notification(NewId("04l"), fields));
        _queued++;
    }

    private static string Xml(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.ToJsonString(),
    };

    private string Envelope(List<Notification> batch, string? session)
    {
        var soapBase = BaseAddress.ToString().TrimEnd('/');
        var notifications = new XElement(Outbound + "notifications",
            new XElement(Outbound + "OrganizationId", OrganizationId),
            new XElement(Outbound + "ActionId", _actionId),
            session is null ? new XElement(Outbound + "SessionId", new XAttribute(Xsi + "nil", "true")) : new XElement(Outbound + "SessionId", session),
            new XElement(Outbound + "EnterpriseUrl", $"{soapBase}/services/Soap/c/67.0/{OrganizationId[..15]}"),
            new XElement(Outbound + "PartnerUrl", $"{soapBase}/services/Soap/u/67.0/{OrganizationId[..15]}"));
        foreach (var n in batch)
        {
            notifications.Add(new XElement(Outbound + "Notification",
                new XElement(Outbound + "Id", n.Id),
                new XElement(Outbound + "sObject",
                    new XAttribute(Xsi + "type", "sf:Opportunity"),
                    new XAttribute(XNamespace.Xmlns + "sf", SObject.NamespaceName),
                    n.Fields.Select(f => new XElement(SObject + f.Name, f.Value)))));
        }

        var envelope = new XDocument(new XDeclaration("1.0", "UTF-8", null), new XElement(SoapEnvelope + "Envelope",
            new XAttribute(XNamespace.Xmlns + "soapenv", SoapEnvelope.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "xsd", "http://www.w3.org/2001/XMLSchema"),
            new XAttribute(XNamespace.Xmlns + "xsi", Xsi.NamespaceName),
            new XElement(SoapEnvelope + "Body", notifications)));
        return envelope.Declaration + "\n" + envelope.Root!.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>A queued notification: its id (<c>04l...</c>, kept across resends) and the opportunity's fields at the change.</summary>
    private sealed record Notification(string Id, List<(string Name, string Value)> Fields);
}
