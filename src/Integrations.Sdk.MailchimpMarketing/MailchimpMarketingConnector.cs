using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Integrations.Sdk.MailchimpMarketing.Internal;
using Integrations.Sdk.MailchimpMarketing.Models;
using Polly;
using Polly.Retry;

namespace Integrations.Sdk.MailchimpMarketing;

/// <summary>
/// The Mailchimp Marketing connector (Marketing API 3.0): list members (upsert by subscriber hash, merge fields, tags),
/// Customer Journey triggers, and batch operations for backfills. Thread-safe; resolve it after <c>AddMailchimpMarketing</c>.
/// </summary>
/// <remarks>
/// The member upsert (<c>PUT</c> by subscriber hash) and the tag update are natural upserts: repeating them changes
/// nothing. The journey trigger is not: Mailchimp keeps no key, so <see cref="TriggerJourney"/> is
/// <see cref="WriteSafety.Unsafe"/>, and a trigger whose answer is lost ends the record <c>Ambiguous</c>. An answer saying
/// the contact is already in the journey counts as applied (<see cref="JourneyTriggerResult.AlreadyInJourney"/>). That a
/// contact enters a journey once ever is the sync's guarantee (its step memo keyed by journey and email), not this class's.
/// </remarks>
public sealed class MailchimpMarketingConnector
{
    /// <summary>The connector's name: it names its HTTP options, budget, telemetry and webhook route.</summary>
    public const string ConnectorName = "mailchimp-marketing";

    /// <summary>The named <see cref="HttpClient"/> that downloads batch results (no Mailchimp credentials: the archive is on another host).</summary>
    public const string BatchResultsClientName = "Integrations.mailchimp-marketing.batch-results";

    /// <summary>The statuses a new member may get (<see cref="MemberUpsert.StatusIfNew"/>).</summary>
    public static readonly IReadOnlyList<string> MemberStatuses = ["subscribed", "unsubscribed", "cleaned", "pending", "transactional"];

    /// <summary>How often <see cref="WaitForBatchAsync"/> asks for a batch's status by default: every 10 seconds.</summary>
    public static readonly TimeSpan DefaultBatchPollInterval = TimeSpan.FromSeconds(10);

    /// <summary>How long <see cref="WaitForBatchAsync"/> waits for a batch by default: 1 hour.</summary>
    public static readonly TimeSpan DefaultBatchTimeout = TimeSpan.FromHours(1);

    private const string Platform = "Mailchimp Marketing";
    private static readonly string[] AlreadyPhrases = ["already in", "already entered", "already been triggered", "already triggered", "already been added"];

    private static readonly string[] JourneyWords = ["journey", "step", "workflow", "automation"];

    private readonly Func<IMailchimpMarketingApi> _api;
    private readonly TimeProvider _time;
    private readonly Func<HttpClient> _resultsClient;

    internal MailchimpMarketingConnector(Func<IMailchimpMarketingApi> api, TimeProvider time, Func<HttpClient> resultsClient)
    {
        _api = api;
        _time = time;
        _resultsClient = resultsClient;
        UpsertMember = SinkOperation.NaturalUpsert<MemberUpsert, MailchimpMember>(UpsertMemberAsync, ValidateMember);
        UpdateTags = SinkOperation.NaturalUpsert<MemberTagsUpdate, MemberTagsUpdate>(UpdateTagsAsync, ValidateTags);
        TriggerJourney = SinkOperation.Unsafe<JourneyTrigger, JourneyTriggerResult>((input, _, ct) => TriggerJourneyAsync(input, ct), ValidateTrigger);
    }

    /// <summary>
    /// Creates or updates a list member by email: <c>PUT /lists/{list_id}/members/{subscriber_hash}</c> with
    /// <c>email_address</c>, <c>status_if_new</c> and <c>merge_fields</c> (a natural upsert). An existing member keeps its
    /// status; merge fields not sent keep their values. Returns the member.
    /// </summary>
    public ISinkOperation<MemberUpsert, MailchimpMember> UpsertMember { get; }

    /// <summary>
    /// Sets tags on a member: <c>POST /lists/{list_id}/members/{subscriber_hash}/tags</c> with
    /// <c>tags: [{ name, status: active|inactive }]</c> (204; a natural upsert: a tag already active stays so). Returns
    /// the update. The member must exist (upsert it first): otherwise Mailchimp answers 404.
    /// </summary>
    public ISinkOperation<MemberTagsUpdate, MemberTagsUpdate> UpdateTags { get; }

    /// <summary>
    /// Enters a contact into a Customer Journey at an API starting point:
    /// <c>POST /customer-journeys/journeys/{journey_id}/steps/{step_id}/actions/trigger</c> with <c>{ "email_address" }</c>
    /// (204). <see cref="WriteSafety.Unsafe"/>. An answer that the contact is already in the journey
    /// (<see cref="IsAlreadyInJourney"/>) is a success with <see cref="JourneyTriggerResult.AlreadyInJourney"/>; any other 4xx
    /// is a permanent failure naming the field at fault; a failure with unknown effect (5xx, timeout, lost answer) is left
    /// to the runner, which sets the record aside as ambiguous.
    /// </summary>
    public ISinkOperation<JourneyTrigger, JourneyTriggerResult> TriggerJourney { get; }

    /// <summary>A member's id, <c>subscriber_hash</c>: the MD5 hash, in lower-case hex, of the trimmed, lower-cased email address.</summary>
    /// <param name="email">The email address.</param>
    /// <exception cref="ArgumentException">The address is null, empty or white space.</exception>
    public static string SubscriberHash(string email)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
#pragma warning disable CA5351 // Mailchimp's member id is defined as MD5 of the address: an identifier, not a security use.
        return Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())));
#pragma warning restore CA5351
    }

    /// <summary>
    /// Whether a refusal of a journey trigger says the contact is already in the journey, so that the trigger counts as
    /// applied: a 400, 409 or 422 whose title or detail says the contact is "already in", "already entered", "already
    /// (been) triggered" or "already been added", together with "journey", "step", "workflow" or "automation"
    /// (case-insensitive). Mailchimp does not document this answer; the rule is about the contact's presence, so that a
    /// refusal such as "this journey has already ended" is not taken for an entry.
    /// </summary>
    /// <param name="exception">The failure.</param>
    public static bool IsAlreadyInJourney(PlatformException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.StatusCode is not (HttpStatusCode.BadRequest or HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity))
        {
            return false;
        }

        var text = $"{exception.ErrorCode} {exception.PlatformMessage}";
        return AlreadyPhrases.Any(p => text.Contains(p, StringComparison.OrdinalIgnoreCase))
            && JourneyWords.Any(w => text.Contains(w, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Reads a list member by email (<c>GET /lists/{list_id}/members/{subscriber_hash}</c>).</summary>
    /// <param name="listId">The list (audience) id.</param>
    /// <param name="email">The member's email address.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The member (any status, archived included), or <see langword="null"/> when the list has none with that address (404).</returns>
    public Task<MailchimpMember?> GetMemberAsync(string listId, string email, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(listId);
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        var hash = SubscriberHash(email);
        return PlatformReads.OrNullWhenMissingAsync(ct => _api().GetMemberAsync(listId.Trim(), hash, ct), cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Starts a batch request (<c>POST /batches</c>): Mailchimp runs the operations in the background. Not replayed after
    /// an unknown outcome (a second batch could start); batches of member upserts and tag updates are safe to submit
    /// again. Then <see cref="WaitForBatchAsync"/> and <see cref="ReadBatchResultsAsync(MailchimpBatch, CancellationToken)"/>.
    /// </summary>
    /// <param name="operations">The operations, at least one.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The batch, usually <c>pending</c>.</returns>
    /// <exception cref="ArgumentException">No operation, or one without a method or path (the message names it).</exception>
    public async Task<MailchimpBatch> StartBatchAsync(IReadOnlyList<MailchimpBatchOperation> operations, CancellationToken cancellationToken = default)
    {
        Require.Items(operations, $"{Platform}: a batch needs at least one operation", nameof(operations));
        var wire = new List<WireBatchOperation>(operations.Count);
        for (var i = 0; i < operations.Count; i++)
        {
            var op = operations[i] ?? throw new ArgumentException($"{Platform}: operations[{i}] is null.", nameof(operations));
            var method = Require.Text(op.Method, $"{Platform}: operations[{i}] needs a method", nameof(op.Method)).ToUpperInvariant();
            if (method is not ("GET" or "POST" or "PUT" or "PATCH" or "DELETE"))
            {
                throw new ArgumentException($"{Platform}: operations[{i}].Method must be GET, POST, PUT, PATCH or DELETE, not '{op.Method}'.", nameof(operations));
            }

            var path = Require.Text(op.Path, $"{Platform}: operations[{i}] needs a path", nameof(op.Path));
            if (!path.StartsWith('/') || path.Contains("://", StringComparison.Ordinal))
            {
                throw new ArgumentException($"{Platform}: operations[{i}].Path must be relative to /3.0 and start with '/', not '{path}'.", nameof(operations));
            }

            wire.Add(new WireBatchOperation(method, path, op.Params is { Count: > 0 } p ? p : null, op.Body, op.OperationId));
        }

        var batch = await _api().StartBatchAsync(new WireBatch(wire), cancellationToken).ConfigureAwait(false);
        return batch is { Id.Length: > 0 }
            ? batch
            : throw PlatformException.InvalidResponse(ConnectorName, "the answer to a batch request holds no batch id", mayHaveBeenApplied: true);
    }

    /// <summary>Reads a batch's status (<c>GET /batches/{batch_id}</c>).</summary>
    /// <param name="batchId">The batch's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public Task<MailchimpBatch> GetBatchAsync(string batchId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(batchId);
        return _api().GetBatchAsync(batchId.Trim(), cancellationToken);
    }

    /// <summary>
    /// Waits until a batch has finished, asking for its status every <paramref name="pollInterval"/> (a Polly retry on the
    /// answer, on the SDK's <see cref="TimeProvider"/>). Failures of a status read propagate (the transport has already
    /// retried them).
    /// </summary>
    /// <param name="batchId">The batch's id.</param>
    /// <param name="pollInterval">Between two reads. <value>Default: <see cref="DefaultBatchPollInterval"/>.</value></param>
    /// <param name="timeout">How long at most. <value>Default: <see cref="DefaultBatchTimeout"/>.</value></param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The finished batch.</returns>
    /// <exception cref="TimeoutException">The batch had not finished in time (the message says its last status and counts).</exception>
    public async Task<MailchimpBatch> WaitForBatchAsync(string batchId, TimeSpan? pollInterval = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(batchId);
        var interval = pollInterval ?? DefaultBatchPollInterval;
        var limit = timeout ?? DefaultBatchTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero, nameof(pollInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, TimeSpan.Zero, nameof(timeout));
        var reads = (int)Math.Min(int.MaxValue - 1, Math.Floor(limit / interval));
        var polling = new ResiliencePipelineBuilder<MailchimpBatch> { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions<MailchimpBatch>
            {
                ShouldHandle = new PredicateBuilder<MailchimpBatch>().HandleResult(b => !b.IsFinished),
                MaxRetryAttempts = Math.Max(1, reads),
                Delay = interval,
                BackoffType = DelayBackoffType.Constant,
                UseJitter = false,
            })
            .Build();
        var batch = await polling.ExecuteAsync(async ct => await GetBatchAsync(batchId, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return batch.IsFinished
            ? batch
            : throw new TimeoutException(
                $"{Platform}: batch {batchId} had not finished after {limit}: status '{batch.Status}', {batch.FinishedOperations} of {batch.TotalOperations} operations finished.");
    }

    /// <summary>
    /// Downloads a finished batch's results (its <c>response_body_url</c>, without Mailchimp's credentials) and reads them
    /// (<see cref="ParseBatchResultsAsync"/>).
    /// </summary>
    /// <param name="batch">A finished batch.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>One result per operation, in the archive's order.</returns>
    /// <exception cref="InvalidOperationException">The batch has not finished.</exception>
    /// <exception cref="PlatformException">The archive could not be downloaded or read.</exception>
    public async Task<IReadOnlyList<MailchimpBatchOperationResult>> ReadBatchResultsAsync(MailchimpBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!batch.IsFinished)
        {
            throw new InvalidOperationException($"{Platform}: batch {batch.Id} is '{batch.Status}', not finished: wait for it with {nameof(WaitForBatchAsync)} first.");
        }

        if (string.IsNullOrWhiteSpace(batch.ResponseBodyUrl))
        {
            return batch.TotalOperations == 0
                ? []
                : throw PlatformException.InvalidResponse(ConnectorName, $"finished batch {batch.Id} has no response_body_url");
        }

        if (!Uri.TryCreate(batch.ResponseBodyUrl, UriKind.Absolute, out var url)
            || !(url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)))
        {
            throw PlatformException.InvalidResponse(ConnectorName, $"the response_body_url of batch {batch.Id} is not an https address");
        }

        using var client = _resultsClient();
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // The URL is pre-signed: its query is a credential, so it is not repeated here.
            throw new PlatformException(ConnectorName, response.StatusCode, "batch_results_unavailable",
                $"the results of batch {batch.Id} could not be downloaded from {url.Host}", isRetryable: (int)response.StatusCode >= 500);
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await ParseBatchResultsAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads a batch results archive: a gzipped tar of JSON files, each an array of
    /// <c>{ "status_code", "operation_id", "response" }</c> (<c>response</c> is the operation's body as JSON text).
    /// </summary>
    /// <param name="archive">The archive (<c>.tar.gz</c>), read to its end and left open.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>One result per operation, in the archive's order.</returns>
    /// <exception cref="PlatformException">The archive is not what Mailchimp sends (<c>invalid_response</c>, naming the file and item).</exception>
    public static async Task<IReadOnlyList<MailchimpBatchOperationResult>> ParseBatchResultsAsync(Stream archive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(archive);
        var results = new List<MailchimpBatchOperationResult>();
        try
        {
            var gzip = new GZipStream(archive, CompressionMode.Decompress, leaveOpen: true);
            await using (gzip.ConfigureAwait(false))
            {
                var tar = new TarReader(gzip, leaveOpen: true);
                await using (tar.ConfigureAwait(false))
                {
                    while (await tar.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                    {
                        if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null
                            || !entry.Name.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                        {
                            continue;
                        }

                        using var document = await JsonDocument.ParseAsync(entry.DataStream, cancellationToken: cancellationToken).ConfigureAwait(false);
                        results.AddRange(ReadResultsFile(entry.Name, document.RootElement));
                    }
                }
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or JsonException or FormatException or EndOfStreamException)
        {
            throw PlatformException.InvalidResponse(ConnectorName, $"the batch results archive could not be read: {ex.Message}", innerException: ex);
        }

        return results;
    }

    internal static WireMember WireOf(MemberUpsert member) =>
        new(member.Email.Trim(), member.StatusIfNew.Trim().ToLowerInvariant(), member.MergeFields is { Count: > 0 } fields ? fields : null);

    internal static WireTags WireOf(MemberTagsUpdate tags) =>
        new([.. tags.Active.Select(t => new WireTag(t.Trim(), "active")), .. (tags.Inactive ?? []).Select(t => new WireTag(t.Trim(), "inactive"))]);

    internal static void ValidateMember(MemberUpsert member)
    {
        Require.Text(member.ListId, $"{Platform}: a member upsert needs a list", nameof(member.ListId));
        RequireEmail(member.Email, "a member upsert");
        if (!MemberStatuses.Contains(member.StatusIfNew?.Trim().ToLowerInvariant()))
        {
            throw new ArgumentException(
                $"{Platform}: StatusIfNew must be one of {string.Join(", ", MemberStatuses)}, not '{member.StatusIfNew}' (field StatusIfNew).", nameof(member.StatusIfNew));
        }

        foreach (var tag in member.MergeFields?.Keys ?? [])
        {
            if (string.IsNullOrWhiteSpace(tag) || tag.Trim() != tag)
            {
                throw new ArgumentException($"{Platform}: merge field tag '{tag}' is blank or has spaces around it (field MergeFields).", nameof(member.MergeFields));
            }
        }
    }

    internal static void ValidateTags(MemberTagsUpdate tags)
    {
        Require.Text(tags.ListId, $"{Platform}: a tag update needs a list", nameof(tags.ListId));
        RequireEmail(tags.Email, "a tag update");
        if (tags.Active is null || (tags.Active.Count + (tags.Inactive?.Count ?? 0)) == 0)
        {
            throw new ArgumentException($"{Platform}: a tag update needs at least one tag (field Active).", nameof(tags.Active));
        }

        foreach (var (name, field) in tags.Active.Select(t => (t, nameof(tags.Active))).Concat((tags.Inactive ?? []).Select(t => (t, nameof(tags.Inactive)))))
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException($"{Platform}: a tag name is blank (field {field}).", field);
            }
        }

        var both = tags.Active.Intersect(tags.Inactive ?? [], StringComparer.OrdinalIgnoreCase).FirstOrDefault();
        if (both is not null)
        {
            throw new ArgumentException($"{Platform}: tag '{both}' is both active and inactive (fields Active, Inactive).", nameof(tags.Inactive));
        }
    }

    private static void ValidateTrigger(JourneyTrigger trigger)
    {
        Require.Text(trigger.JourneyId, $"{Platform}: a journey trigger needs a journey", nameof(trigger.JourneyId));
        Require.Text(trigger.StepId, $"{Platform}: a journey trigger needs the journey's API starting step", nameof(trigger.StepId));
        RequireEmail(trigger.Email, "a journey trigger");
    }

    private static void RequireEmail(string? email, string what)
    {
        var text = Require.Text(email, $"{Platform}: {what} needs an email address", "Email");
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at < 1 || at != text.LastIndexOf('@') || at == text.Length - 1 || text.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"{Platform}: '{text}' is not an email address (field Email).", "Email");
        }
    }

    private static IEnumerable<MailchimpBatchOperationResult> ReadResultsFile(string file, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{file} is not a JSON array of operation results");
        }

        var index = 0;
        foreach (var item in root.EnumerateArray())
        {
            var at = $"{file}[{index++}]";
            if (!PlatformJson.TryGet(item, "status_code", out var status) || !status.TryGetInt32(out var code))
            {
                throw new FormatException($"{at}.status_code is missing or not a number");
            }

            var response = PlatformJson.TryGet(item, "response", out var body)
                ? body.ValueKind switch
                {
                    JsonValueKind.String => body.GetString() ?? string.Empty,
                    JsonValueKind.Null => string.Empty,
                    _ => body.GetRawText(),
                }
                : string.Empty;
            yield return new MailchimpBatchOperationResult(PlatformJson.Text(item, "operation_id"), code, response);
        }
    }

    private async Task<MailchimpMember> UpsertMemberAsync(MemberUpsert member, CancellationToken cancellationToken)
    {
        var answer = await _api().PutMemberAsync(member.ListId.Trim(), SubscriberHash(member.Email), WireOf(member), cancellationToken).ConfigureAwait(false);
        return answer is { EmailAddress.Length: > 0 }
            ? answer
            : throw PlatformException.InvalidResponse(ConnectorName, "the answer to a member upsert holds no member", mayHaveBeenApplied: true);
    }

    private async Task<MemberTagsUpdate> UpdateTagsAsync(MemberTagsUpdate tags, CancellationToken cancellationToken)
    {
        await _api().PostMemberTagsAsync(tags.ListId.Trim(), SubscriberHash(tags.Email), WireOf(tags), cancellationToken: cancellationToken).ConfigureAwait(false);
        return tags;
    }

    private async Task<JourneyTriggerResult> TriggerJourneyAsync(JourneyTrigger trigger, CancellationToken cancellationToken)
    {
        var email = trigger.Email.Trim();
        try
        {
            await _api().TriggerJourneyAsync(trigger.JourneyId.Trim(), trigger.StepId.Trim(), new WireJourneyTrigger(email), cancellationToken).ConfigureAwait(false);
            return new JourneyTriggerResult(email, AlreadyInJourney: false);
        }
        catch (PlatformException ex) when (IsAlreadyInJourney(ex))
        {
            return new JourneyTriggerResult(email, AlreadyInJourney: true);
        }
        catch (PlatformException ex) when (ex is { StatusCode: { } status, IsRetryable: false, MayHaveBeenApplied: false } && (int)status is >= 400 and < 500)
        {
            throw Refused(trigger, ex);
        }
    }

    /// <summary>A refused trigger, naming the field most likely at fault: the journey or step for a 404, else what the answer talks about.</summary>
    private static PlatformException Refused(JourneyTrigger trigger, PlatformException ex)
    {
        var text = ex.PlatformMessage;
        var field = ex.StatusCode == HttpStatusCode.NotFound
            ? "JourneyId, StepId"
            : text.Contains("step", StringComparison.OrdinalIgnoreCase) ? "StepId"
            : text.Contains("journey", StringComparison.OrdinalIgnoreCase) && !text.Contains("contact", StringComparison.OrdinalIgnoreCase) ? "JourneyId"
            : "Email";
        var why = ex.StatusCode == HttpStatusCode.NotFound
            ? $"journey {trigger.JourneyId} has no step {trigger.StepId} (or the step is not an API starting point)"
            : $"{trigger.Email.Trim()} was not entered into journey {trigger.JourneyId} step {trigger.StepId}";
        return new PlatformException(ConnectorName, ex.StatusCode, ex.ErrorCode, $"{why}: {text} (field {field})", ex.RequestId,
            isRetryable: false, mayHaveBeenApplied: false, innerException: ex);
    }
}
