using Microsoft.Extensions.Logging;

namespace Integrations.Sdk.Telemetry;

/// <summary>The SDK's log messages, with stable event ids. None carries a payload or a secret.</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Warning, "{Connector}: retrying {Method} {Path} (attempt {Attempt}) in {Delay} after {Reason}")]
    public static partial void Retrying(ILogger logger, string connector, string method, string path, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(1002, LogLevel.Error, "{Connector}: circuit opened for {BreakDuration} after repeated failures; requests are refused without being sent until {Until} (UTC), then the next one probes the platform. Syncs defer the records that meet it and webhook events wait in the inbox: nothing to do")]
    public static partial void CircuitOpened(ILogger logger, string connector, TimeSpan breakDuration, DateTimeOffset until);

    [LoggerMessage(1003, LogLevel.Information, "{Connector}: circuit closed, requests flow again")]
    public static partial void CircuitClosed(ILogger logger, string connector);

    [LoggerMessage(1004, LogLevel.Information, "{Connector}: OAuth token refreshed for account {Account}, valid until {ExpiresAt}")]
    public static partial void TokenRefreshed(ILogger logger, string connector, string account, DateTimeOffset expiresAt);

    [LoggerMessage(1005, LogLevel.Debug, "{Connector}: {Method} {Path} answered {Status} in {Elapsed}")]
    public static partial void HttpAttempt(ILogger logger, string connector, string method, string path, int status, TimeSpan elapsed);

    [LoggerMessage(1006, LogLevel.Debug, "{Connector}: {Method} {Path} failed without a response: {Error}")]
    public static partial void HttpAttemptFailed(ILogger logger, string connector, string method, string path, string error);

    [LoggerMessage(3001, LogLevel.Warning, "Webhook from {Source} rejected: {Reason}")]
    public static partial void WebhookRejected(ILogger logger, string source, string? reason);

    [LoggerMessage(3002, LogLevel.Error, "Webhook from {Source} is signed but unreadable; stored as dead-lettered: {Reason}")]
    public static partial void WebhookUnreadable(ILogger logger, string source, string reason);

    [LoggerMessage(3003, LogLevel.Warning, "Inbox message {Id} ({Source} {EventType}) failed attempt {Attempt}; retrying at {DueAt}: {Error}")]
    public static partial void InboxRetry(ILogger logger, string id, string source, string eventType, int attempt, DateTimeOffset dueAt, string error);

    [LoggerMessage(3004, LogLevel.Error, "Inbox message {Id} ({Source} {EventType}) dead-lettered after {Attempts} attempt(s): {Reason}")]
    public static partial void InboxDeadLettered(ILogger logger, string id, string source, string eventType, int attempts, string reason);

    [LoggerMessage(3005, LogLevel.Warning, "Inbox message {Id} ({Source} {EventType}): attempt {Attempt} could not {Change} it, its claim had passed on (the lease ran out and the message was claimed again); the change was not applied")]
    public static partial void InboxClaimLost(ILogger logger, string id, string source, string eventType, int attempt, string change);

    [LoggerMessage(2001, LogLevel.Information, "Sync {Sync}: run {RunId} started (dry run: {DryRun}, checkpoint: {Checkpoint})")]
    public static partial void RunStarted(ILogger logger, string sync, string runId, bool dryRun, string? checkpoint);

    [LoggerMessage(2002, LogLevel.Information, "Sync {Sync}: run {RunId} {Status}: read={Read} completed={Completed} skipped={Skipped} filtered={Filtered} dead-lettered={DeadLettered} ambiguous={Ambiguous}")]
    public static partial void RunFinished(ILogger logger, string sync, string runId, string status, int read, int completed, int skipped, int filtered, int deadLettered, int ambiguous);

    [LoggerMessage(2003, LogLevel.Error, "Sync {Sync}: run {RunId} failed: {Error}")]
    public static partial void RunFailed(ILogger logger, string sync, string runId, string error);

    [LoggerMessage(2004, LogLevel.Warning, "Sync {Sync}: record {RecordKey} dead-lettered at step {Step} after {Attempts} attempt(s): {Reason}")]
    public static partial void DeadLettered(ILogger logger, string sync, string recordKey, string? step, int attempts, string reason);

    [LoggerMessage(2005, LogLevel.Error, "Sync {Sync}: record {RecordKey} is AMBIGUOUS at step {Step}: the write may or may not have happened; set aside for review. {Reason}")]
    public static partial void Ambiguous(ILogger logger, string sync, string recordKey, string step, string reason);

    [LoggerMessage(2006, LogLevel.Debug, "Sync {Sync}: record {RecordKey} step {Step} attempt {Attempt} failed ({Kind}): {Reason}")]
    public static partial void StepFailed(ILogger logger, string sync, string recordKey, string step, int attempt, string kind, string reason);

    [LoggerMessage(2051, LogLevel.Debug, "Sync {Sync}: record {RecordKey} step {Step} waits {Wait} before its lookup, for the platform to make the earlier attempt's write findable")]
    public static partial void WaitingForFindable(ILogger logger, string sync, string recordKey, string step, TimeSpan wait);

    [LoggerMessage(2007, LogLevel.Information, "Sync {Sync}: dead letter {Id} for record {RecordKey} replayed: {Outcome}")]
    public static partial void Replayed(ILogger logger, string sync, string id, string recordKey, string outcome);

    [LoggerMessage(2008, LogLevel.Error, "Scheduled run of sync {Sync} failed: {Error}")]
    public static partial void ScheduledRunFailed(ILogger logger, string sync, string error);

    [LoggerMessage(2009, LogLevel.Information, "Sync {Sync}: run not started, another instance holds the sync's lock")]
    public static partial void RunHeldElsewhere(ILogger logger, string sync);

    [LoggerMessage(2010, LogLevel.Warning, "Sync {Sync}: run {RunId} stopped because its lock was lost (the lock's connection broke); another instance may take over")]
    public static partial void RunLockLost(ILogger logger, string sync, string runId);

    [LoggerMessage(2020, LogLevel.Warning, "Sync {Sync}: record {RecordKey} deferred at step {Step}: {Connector} is unavailable; left for the next run, not dead-lettered: {Error}")]
    public static partial void RecordDeferred(ILogger logger, string sync, string recordKey, string step, string connector, string error);

    [LoggerMessage(2021, LogLevel.Warning, "Sync {Sync}: run {RunId} paused, {Deferred} record(s) left for the next run: {Reason}")]
    public static partial void RunPaused(ILogger logger, string sync, string runId, int deferred, string reason);

    [LoggerMessage(3010, LogLevel.Warning, "Inbox message {Id} ({Source} {EventType}) waits for an outage to end; due again at {DueAt}: {Reason}")]
    public static partial void InboxDeferred(ILogger logger, string id, string source, string eventType, DateTimeOffset dueAt, string reason);
}
