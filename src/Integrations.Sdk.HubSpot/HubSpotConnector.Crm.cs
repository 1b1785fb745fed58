using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Integrations.Sdk.Crm;
using Integrations.Sdk.HubSpot.Internal;
using Integrations.Sdk.HubSpot.Models;

namespace Integrations.Sdk.HubSpot;

/// <summary>The portal as an <see cref="ICrmConnector"/>: deals, their outcome, their contacts, the pipelines.</summary>
public sealed partial class HubSpotConnector
{
    /// <summary>How long the deal pipelines read are trusted before they are read again (a stage not in them is read again at once).</summary>
    public static readonly TimeSpan PipelinesCacheDuration = TimeSpan.FromMinutes(10);

    /// <summary>The most results HubSpot's search pages through in one query (CRM search guide, Limitations).</summary>
    private const int MaxSearchResults = 10_000;

    /// <summary>The most inputs a batch read takes.</summary>
    private const int BatchReadSize = 100;

    /// <summary>The most associations a v4 page holds.</summary>
    private const int AssociationPageSize = 500;

    private static readonly IReadOnlyList<string> CrmContactProperties = ["email", "firstname", "lastname"];

    private readonly TimeProvider _time;
    private readonly TimeSpan _dealOverlap;
    private readonly string _primaryContactLabel;
    private readonly IRecordSource<CrmDeal> _crmDeals;
    private readonly SemaphoreSlim _pipelinesGate = new(1, 1);
    private readonly ConcurrentDictionary<string, string?> _ownerNames = new(StringComparer.Ordinal);
    private volatile PipelineCache? _pipelines;

    /// <inheritdoc />
    string ICrmConnector.Platform => ConnectorName;

    /// <summary>
    /// Every deal, oldest change first, incrementally by <c>hs_lastmodifieddate</c> (CRM search, <c>GTE</c>, sorted
    /// ascending). Each read starts <see cref="HubSpotOptions.SearchIndexLag"/> before the checkpoint's stamp, so a
    /// change that reached HubSpot's search index late is still found, and drops the deals it already gave at that
    /// stamp (stamps are not unique). The checkpoint is opaque text: <c>{stamp in ms}:{id},{id}...</c>. Past 10,000
    /// results (HubSpot's cap on one search) it searches again from the newest stamp.
    /// </summary>
    IRecordSource<CrmDeal> ICrmConnector.Deals => _crmDeals;

    /// <inheritdoc />
    async Task<CrmDeal?> ICrmConnector.GetDealAsync(string dealId, CancellationToken cancellationToken)
    {
        var deal = await GetDealAsync(dealId, cancellationToken).ConfigureAwait(false);
        return deal is null ? null : await ToCrmDealAsync(deal, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Returns the deal's contacts: its v4 contact associations (<c>GET
    /// /crm/v4/objects/deals/{dealId}/associations/contacts</c>, paged), then the contacts' <c>email</c>,
    /// <c>firstname</c> and <c>lastname</c> (<c>POST /crm/v3/objects/contacts/batch/read</c>, 100 at a time). The
    /// contact whose association carries <see cref="HubSpotOptions.PrimaryContactLabel"/> comes first; each contact
    /// once; <see cref="CrmContact.Role"/> is its association labels. A contact deleted in between is left out.
    /// </summary>
    /// <param name="dealId">The deal's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    async Task<IReadOnlyList<CrmContact>> ICrmConnector.GetDealContactsAsync(string dealId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dealId);
        var links = new List<(string Id, bool Primary, string? Role)>();
        var pages = Paging.ByCursorAsync(ConnectorName, async (after, ct) =>
        {
            var page = await _api().GetDealContactAssociationsAsync(dealId.Trim(), AssociationPageSize, after, ct).ConfigureAwait(false);
            return new Page<AssociatedObject>(page.Results, page.Paging?.Next?.After is { Length: > 0 } next ? next : null);
        }, cancellationToken);
        await foreach (var link in pages.ConfigureAwait(false))
        {
            var id = ObjectId(link.ToObjectId) ?? throw PlatformException.InvalidResponse(ConnectorName, $"an association of deal {dealId} has no toObjectId");
            if (links.Exists(l => l.Id == id))
            {
                continue;
            }

            var labels = (link.AssociationTypes ?? []).Select(t => t.Label?.Trim()).OfType<string>().Where(l => l.Length > 0).Distinct(StringComparer.Ordinal).ToList();
            links.Add((id, labels.Exists(l => string.Equals(l, _primaryContactLabel, StringComparison.OrdinalIgnoreCase)), labels.Count == 0 ? null : string.Join(", ", labels)));
        }

        var contacts = new Dictionary<string, HubSpotContact>(StringComparer.Ordinal);
        foreach (var chunk in links.Select(l => l.Id).Chunk(BatchReadSize))
        {
            var answer = await _api().ReadContactsAsync(new BatchReadRequest([.. chunk.Select(id => new BatchReadId(id))], CrmContactProperties, []), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            foreach (var contact in answer.Results ?? [])
            {
                contacts[contact.Id] = contact;
            }
        }

        return [.. links.OrderByDescending(l => l.Primary).Where(l => contacts.ContainsKey(l.Id)).Select(l => new CrmContact
        {
            Id = l.Id,
            Email = contacts[l.Id].Email?.Trim() is { Length: > 0 } email ? email : null,
            FirstName = contacts[l.Id].FirstName,
            LastName = contacts[l.Id].LastName,
            Role = l.Role,
            IsPrimary = l.Primary,
        })];
    }

    /// <summary>
    /// Returns the deal pipelines (<c>GET /crm/v3/pipelines/deals</c>), each stage's outcome from its metadata:
    /// <c>isClosed</c> <c>"true"</c> with <c>probability</c> 1.0 is won, closed otherwise lost, else open (without
    /// <c>isClosed</c>, probability 1.0 is won and 0.0 lost, as HubSpot's pipelines guide defines them). Read once and
    /// kept for <see cref="PipelinesCacheDuration"/>; archived pipelines and stages are left out.
    /// </summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    async Task<IReadOnlyList<CrmPipeline>> ICrmConnector.GetPipelinesAsync(CancellationToken cancellationToken) =>
        (await PipelinesAsync(staleBefore: null, cancellationToken).ConfigureAwait(false)).Pipelines;

    /// <summary>
    /// Reads the deal id of a <c>deal.propertyChange</c> event on <c>dealstage</c>, or of a <c>deal.creation</c>
    /// event, from <see cref="HubSpotWebhookSource"/>'s payload (the event's <c>objectId</c>).
    /// </summary>
    /// <param name="webhookEvent">The event.</param>
    /// <param name="dealId">The deal's id.</param>
    bool ICrmConnector.TryGetDealId(WebhookEvent webhookEvent, out string dealId)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        dealId = string.Empty;
        if (webhookEvent.EventType is not ("deal.propertyChange" or "deal.creation"))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(webhookEvent.Payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || (webhookEvent.EventType == "deal.propertyChange" && PlatformJson.Text(root, "propertyName") != "dealstage")
                || !root.TryGetProperty("objectId", out var objectId)
                || ObjectId(objectId) is not { } id)
            {
                return false;
            }

            dealId = id;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private async IAsyncEnumerable<SourceRecord<CrmDeal>> ReadCrmDealsAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (stamp, given) = ParseDealCheckpoint(checkpoint);
        long? from = stamp is { } s ? s - (long)_dealOverlap.TotalMilliseconds : null;
        string? after = null;
        var readInSearch = 0;
        while (true)
        {
            IReadOnlyList<Filter> filters = from is { } f ? [new Filter("hs_lastmodifieddate", "GTE", f.ToString(CultureInfo.InvariantCulture))] : [];
            var request = SearchRequest.All(filters, _dealProperties, PageSize, after, [new SearchSort("hs_lastmodifieddate", "ASCENDING")]);
            var page = await _api().SearchAsync<HubSpotDeal>("deals", request, cancellationToken: cancellationToken).ConfigureAwait(false);
            long? firstAt = null;
            long? lastAt = null;
            foreach (var deal in page.Results ?? [])
            {
                var at = (deal.LastModifiedAt ?? throw PlatformException.InvalidResponse(ConnectorName, $"deal {deal.Id} came from a search without hs_lastmodifieddate")).ToUnixTimeMilliseconds();
                firstAt ??= at;
                lastAt = at;
                if (stamp is { } current && at < current)
                {
                    // In the overlap: a change indexed late, or one given by an earlier run; the checkpoint stays.
                    yield return new SourceRecord<CrmDeal>(await ToCrmDealAsync(deal, cancellationToken).ConfigureAwait(false), FormatDealCheckpoint(current, given));
                    continue;
                }

                if (stamp == at)
                {
                    if (!given.Add(deal.Id))
                    {
                        continue;
                    }
                }
                else
                {
                    stamp = at;
                    given = new HashSet<string>(StringComparer.Ordinal) { deal.Id };
                }

                yield return new SourceRecord<CrmDeal>(await ToCrmDealAsync(deal, cancellationToken).ConfigureAwait(false), FormatDealCheckpoint(at, given));
            }

            var next = page.Paging?.Next?.After is { Length: > 0 } n ? n : null;
            if (next is null || lastAt is null)
            {
                yield break;
            }

            if (firstAt != lastAt)
            {
                // The next page is a new search from the page's last stamp, not the search's offset: a deal that changes
                // while the read pages moves to the end of the order and shifts every later deal back one place, so an
                // offset would skip the deal at the page boundary. The deals given at that stamp are dropped (or, in
                // the overlap, given again for the step memo to skip).
                from = lastAt;
                after = null;
                readInSearch = 0;
                continue;
            }

            // A whole page at one stamp: a new search from it would give the same page, so only here the offset goes on.
            readInSearch += page.Results!.Count;
            if (readInSearch + PageSize > MaxSearchResults)
            {
                throw PlatformException.InvalidResponse(ConnectorName, $"more than {MaxSearchResults} deals share hs_lastmodifieddate {lastAt}, so HubSpot's search cannot page past them");
            }

            after = next;
        }
    }

    private static (long? Stamp, HashSet<string> Given) ParseDealCheckpoint(string? checkpoint)
    {
        var given = new HashSet<string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(checkpoint))
        {
            return (null, given);
        }

        var colon = checkpoint.IndexOf(':', StringComparison.Ordinal);
        var stampText = colon < 0 ? checkpoint : checkpoint[..colon];
        if (!long.TryParse(stampText, NumberStyles.None, CultureInfo.InvariantCulture, out var stamp))
        {
            throw new FormatException($"The HubSpot CRM deal checkpoint '{checkpoint}' is not '{{hs_lastmodifieddate in ms}}:{{deal ids}}' (ICrmConnector.Deals).");
        }

        if (colon >= 0)
        {
            given.UnionWith(checkpoint[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        return (stamp, given);
    }

    private static string FormatDealCheckpoint(long stamp, IEnumerable<string> given) =>
        stamp.ToString(CultureInfo.InvariantCulture) + ":" + string.Join(',', given.Order(StringComparer.Ordinal));

    private async Task<CrmDeal> ToCrmDealAsync(HubSpotDeal deal, CancellationToken cancellationToken)
    {
        var stageId = deal.Stage ?? throw PlatformException.InvalidResponse(ConnectorName, $"deal {deal.Id} has no dealstage");
        var stage = await StageAsync(stageId, cancellationToken).ConfigureAwait(false);
        var ownerId = deal.Property("hubspot_owner_id");
        return new CrmDeal
        {
            Id = deal.Id,
            Name = deal.Name ?? string.Empty,
            PipelineId = deal.Pipeline ?? stage.PipelineId,
            StageId = stageId,
            StageLabel = stage.Label,
            Outcome = stage.Outcome,
            Amount = deal.Amount,
            OwnerId = ownerId,
            OwnerName = ownerId is null ? null : await OwnerNameAsync(ownerId, cancellationToken).ConfigureAwait(false),
            CloseDate = deal.CloseDate,
            LastModified = deal.LastModifiedAt ?? throw PlatformException.InvalidResponse(ConnectorName, $"deal {deal.Id} has no hs_lastmodifieddate"),
        };
    }

    /// <summary>A stage by id, from the cached pipelines; one not there makes the pipelines be read again once, and is Open if still not there.</summary>
    private async Task<(string PipelineId, string Label, CrmDealOutcome Outcome)> StageAsync(string stageId, CancellationToken cancellationToken)
    {
        var cache = await PipelinesAsync(staleBefore: null, cancellationToken).ConfigureAwait(false);
        if (cache.Stages.TryGetValue(stageId, out var stage))
        {
            return stage;
        }

        cache = await PipelinesAsync(staleBefore: cache.ReadAt, cancellationToken).ConfigureAwait(false);
        // A stage in none of the pipelines (an archived stage or pipeline, which the pipelines read leaves out) has no
        // metadata to call it won or lost: the deal is Open, and the feed goes on (failing it would stop every run).
        return cache.Stages.TryGetValue(stageId, out stage) ? stage : (string.Empty, stageId, CrmDealOutcome.Open);
    }

    /// <summary>The cached pipelines; read again when older than <see cref="PipelinesCacheDuration"/> or read at or before <paramref name="staleBefore"/>.</summary>
    private async Task<PipelineCache> PipelinesAsync(DateTimeOffset? staleBefore, CancellationToken cancellationToken)
    {
        bool Fresh(PipelineCache? c) => c is not null && (staleBefore is null || c.ReadAt > staleBefore) && _time.GetUtcNow() - c.ReadAt < PipelinesCacheDuration;

        if (_pipelines is { } cached && Fresh(cached))
        {
            return cached;
        }

        await _pipelinesGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_pipelines is { } again && Fresh(again))
            {
                return again; // another caller read them meanwhile
            }

            var answer = await _api().GetDealPipelinesAsync(cancellationToken).ConfigureAwait(false);
            var pipelines = new List<CrmPipeline>();
            var stages = new Dictionary<string, (string, string, CrmDealOutcome)>(StringComparer.Ordinal);
            foreach (var pipeline in (answer.Results ?? []).Where(p => !p.Archived).OrderBy(p => p.DisplayOrder ?? int.MaxValue))
            {
                var list = new List<CrmStage>();
                foreach (var stage in (pipeline.Stages ?? []).Where(s => !s.Archived).OrderBy(s => s.DisplayOrder ?? int.MaxValue))
                {
                    var outcome = Outcome(stage);
                    list.Add(new CrmStage(stage.Id, stage.Label ?? stage.Id, outcome));
                    stages[stage.Id] = (pipeline.Id, stage.Label ?? stage.Id, outcome);
                }

                pipelines.Add(new CrmPipeline(pipeline.Id, pipeline.Label ?? pipeline.Id, list));
            }

            var cache = new PipelineCache(pipelines, stages, _time.GetUtcNow());
            _pipelines = cache;
            return cache;
        }
        finally
        {
            _pipelinesGate.Release();
        }
    }

    /// <summary>A stage's outcome from its metadata (strings on the wire; numbers and booleans are read too).</summary>
    private static CrmDealOutcome Outcome(StageItem stage)
    {
        string? Meta(string name) => stage.Metadata is { } m && m.TryGetValue(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
            _ => null,
        } : null;

        decimal? probability = decimal.TryParse(Meta("probability"), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) ? p : null;
        var closed = Meta("isClosed") is { } text ? string.Equals(text.Trim(), "true", StringComparison.OrdinalIgnoreCase) : probability is 0m or 1m;
        return !closed ? CrmDealOutcome.Open : probability >= 1m ? CrmDealOutcome.Won : CrmDealOutcome.Lost;
    }

    /// <summary>An owner's name (<c>GET /crm/v3/owners/{ownerId}</c>), kept per connector; an owner HubSpot does not have reads as <see langword="null"/>.</summary>
    private async Task<string?> OwnerNameAsync(string ownerId, CancellationToken cancellationToken)
    {
        if (_ownerNames.TryGetValue(ownerId, out var known))
        {
            return known;
        }

        var owner = await PlatformReads.OrNullWhenMissingAsync(ct => _api().GetOwnerAsync(ownerId, ct), cancellationToken: cancellationToken).ConfigureAwait(false);
        var name = owner is null ? null : ($"{owner.FirstName} {owner.LastName}".Trim() is { Length: > 0 } full ? full : owner.Email);
        _ownerNames[ownerId] = name;
        return name;
    }

    /// <summary>An object id sent as a string or a number.</summary>
    private static string? ObjectId(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String when value.GetString() is { Length: > 0 } text => text.Trim(),
        JsonValueKind.Number => value.GetRawText(),
        _ => null,
    };

    private sealed record PipelineCache(IReadOnlyList<CrmPipeline> Pipelines, Dictionary<string, (string PipelineId, string Label, CrmDealOutcome Outcome)> Stages, DateTimeOffset ReadAt);
}
