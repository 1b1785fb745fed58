using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Integrations.Sdk.Webhooks;

/// <summary>What the receiver did with a request, and what to answer the platform.</summary>
/// <param name="Response">The answer.</param>
/// <param name="Accepted">Events stored in the inbox.</param>
/// <param name="Duplicates">Events already in the inbox (redeliveries), not stored again.</param>
/// <param name="Rejected">Whether the request was refused (bad signature, unknown source).</param>
internal sealed record WebhookReceipt(WebhookResponse Response, int Accepted, int Duplicates, bool Rejected);

/// <summary>
/// Receives a webhook request for a source: verifies it, answers handshakes, dedupes events by id and stores them
/// in the inbox before the platform gets its 2xx. Host-agnostic: the ASP.NET Core endpoint calls it.
/// </summary>
internal sealed class WebhookReceiver
{
    private readonly Dictionary<string, IWebhookSource> _sources;
    private readonly IWebhookInbox _inbox;
    private readonly TimeProvider _time;
    private readonly IntegrationsMetrics _metrics;
    private readonly SecretRedactor _redactor;
    private readonly ILogger _logger;

    /// <summary>Creates the receiver (resolved from DI).</summary>
    /// <param name="sources">The registered webhook sources.</param>
    /// <param name="inbox">The inbox.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="metrics">The SDK's metrics.</param>
    /// <param name="redactor">The secret redactor.</param>
    /// <param name="logger">The logger.</param>
    public WebhookReceiver(IEnumerable<IWebhookSource> sources, IWebhookInbox inbox, TimeProvider timeProvider, IntegrationsMetrics metrics, SecretRedactor redactor, ILogger<WebhookReceiver> logger)
    {
        ArgumentNullException.ThrowIfNull(sources);
        _sources = sources.ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);
        _inbox = inbox ?? throw new ArgumentNullException(nameof(inbox));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _redactor = redactor ?? throw new ArgumentNullException(nameof(redactor));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Raised after events were stored, so a processor can start at once.</summary>
    internal event Action? Stored;

    /// <summary>The names of the sources that can receive webhooks.</summary>
    public IReadOnlyCollection<string> Sources => _sources.Keys;

    /// <summary>Handles one request for <paramref name="source"/>.</summary>
    /// <param name="source">The source's name (the last path segment of the endpoint).</param>
    /// <param name="request">The raw request.</param>
    /// <param name="cancellationToken">Cancels the handling.</param>
    public async Task<WebhookReceipt> ReceiveAsync(string source, WebhookRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(request);
        if (!_sources.TryGetValue(source, out var platform))
        {
            _metrics.Webhook(source, "rejected");
            return new WebhookReceipt(new WebhookResponse(404, "unknown webhook source"), 0, 0, Rejected: true);
        }

        var verification = platform.Verify(request);
        if (platform is IWebhookHandshake handshake && handshake.Handshake(request, verification) is { } answer)
        {
            _metrics.Webhook(platform.Name, "handshake");
            return new WebhookReceipt(answer, 0, 0, Rejected: answer.StatusCode >= 400);
        }

        if (!verification.IsValid)
        {
            // A forged or stale request changes nothing: not stored, not processed.
            _metrics.Webhook(platform.Name, "rejected");
            // The reason names the header at fault and never the expected signature, so the sender may see it.
            var reason = _redactor.Redact(verification.Failure ?? "the signature is not valid");
            Log.WebhookRejected(_logger, platform.Name, reason);
            return new WebhookReceipt(new WebhookResponse(401, "invalid signature: " + reason), 0, 0, Rejected: true);
        }

        IReadOnlyList<WebhookEvent> events;
        try
        {
            events = platform.Parse(request);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // Signed by the platform but not understood: kept, dead-lettered, for a person to look at.
            var now = _time.GetUtcNow();
            // This copy is never processed again (a fixed converter gets the event from a resend or a reconciliation
            // run, not from here), so unlike a pending event it is stored redacted: see docs/operations.md.
            var body = _redactor.Redact(Encoding.UTF8.GetString(request.Body.Span));
            var id = "malformed:" + Convert.ToHexStringLower(SHA256.HashData(request.Body.Span).AsSpan(0, 12));
            var reason = $"the body could not be read: {_redactor.Redact(ex.Message)}";
            await _inbox.TryAddAsync(
                new InboxMessage
                {
                    Id = InboxMessage.CreateId(platform.Name, id),
                    Source = platform.Name,
                    EventId = id,
                    EventType = "(unreadable)",
                    Payload = body,
                    ReceivedAt = now,
                    DueAt = now,
                    State = InboxState.DeadLettered,
                    Error = reason,
                },
                cancellationToken).ConfigureAwait(false);
            _metrics.Webhook(platform.Name, "dead_lettered");
            Log.WebhookUnreadable(_logger, platform.Name, reason);
            return new WebhookReceipt(Acknowledgement(platform, request) ?? new WebhookResponse(200, "stored for review"), 0, 0, Rejected: false);
        }

        var accepted = 0;
        var duplicates = 0;
        var received = _time.GetUtcNow();
        foreach (var e in events)
        {
            var added = await _inbox.TryAddAsync(
                new InboxMessage
                {
                    Id = InboxMessage.CreateId(platform.Name, e.EventId),
                    Source = platform.Name,
                    EventId = e.EventId,
                    EventType = e.EventType,
                    Payload = e.Payload,
                    OccurredAt = e.OccurredAt,
                    ReceivedAt = received,
                    DueAt = received,
                    State = InboxState.Pending,
                },
                cancellationToken).ConfigureAwait(false);
            if (added)
            {
                accepted++;
                _metrics.Webhook(platform.Name, "accepted");
            }
            else
            {
                duplicates++;
                _metrics.Webhook(platform.Name, "duplicate");
            }
        }

        if (accepted > 0)
        {
            Stored?.Invoke();
        }

        return new WebhookReceipt(Acknowledgement(platform, request) ?? new WebhookResponse(200), accepted, duplicates, Rejected: false);
    }

    /// <summary>The answer the platform expects to a stored delivery, when it expects one (<see cref="IWebhookAcknowledgement"/>).</summary>
    private static WebhookResponse? Acknowledgement(IWebhookSource platform, WebhookRequest request) =>
        platform is IWebhookAcknowledgement acknowledgement ? acknowledgement.Acknowledge(request) : null;
}
