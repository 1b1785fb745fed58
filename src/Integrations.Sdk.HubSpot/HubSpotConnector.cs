using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.HubSpot.Internal;
using Integrations.Sdk.HubSpot.Models;
using Integrations.Sdk.Transport;

namespace Integrations.Sdk.HubSpot;

/// <summary>
/// The HubSpot CRM connector (v3 object APIs): contact search and natural upsert by email, property updates,
/// lookup-then-create tasks associated with a contact, and deals (get, list and search by stage, and an incremental
/// <see cref="IRecordSource{T}"/>). HubSpot has no idempotency key, so every write is safe by construction instead:
/// upserts and property sets are natural upserts, and task creation looks first. <c>after</c> paging is hidden behind
/// <see cref="IAsyncEnumerable{T}"/>. Resolve it from the services after <c>AddHubSpot(...)</c>; it is thread-safe.
/// </summary>
public sealed class HubSpotConnector
{
    /// <summary>The connector's name: it names its HTTP options, budget and telemetry, and its webhook source.</summary>
    public const string ConnectorName = "hubspot";

    /// <summary>The page size of lists and searches: the most a list page may hold (searches allow 200).</summary>
    public const int PageSize = 100;

    /// <summary>
    /// The association type id of task → contact (<c>HUBSPOT_DEFINED</c> 204), sent when a task is created.
    /// </summary>
    public const int TaskToContactAssociationTypeId = 204;

    /// <summary>The prefix of the marker line the connector appends to a task's body: <c>[integrations-ref:{marker}]</c>.</summary>
    public const string TaskMarkerPrefix = "[integrations-ref:";

    /// <summary>The contact properties read by default.</summary>
    public static readonly IReadOnlyList<string> ContactProperties = ["email", "firstname", "lastname", "phone", "company", "lifecyclestage", "hs_lastmodifieddate"];

    /// <summary>The task properties read.</summary>
    public static readonly IReadOnlyList<string> TaskProperties = ["hs_task_subject", "hs_task_body", "hs_task_status", "hs_task_priority", "hs_timestamp", "hubspot_owner_id"];

    /// <summary>The deal properties read.</summary>
    public static readonly IReadOnlyList<string> DealProperties = ["dealname", "dealstage", "pipeline", "amount", "closedate", "hs_lastmodifieddate", "hubspot_owner_id"];

    private readonly Func<IHubSpotApi> _api;

    internal HubSpotConnector(Func<IHubSpotApi> api)
    {
        _api = api;
        UpsertContact = new UpsertContactOperation(this);
        UpdateContactProperties = new UpdateContactPropertiesOperation(this);
        CreateTaskForContact = new CreateTaskOperation(this);
        Deals = new DealSource(this, stage: null);
    }

    /// <summary>
    /// Creates or updates the contact with the input's email (<c>batch/upsert</c> with <c>idProperty=email</c>).
    /// <see cref="WriteSafety.NaturalUpsert"/>: a retry updates the same contact. Returns the contact.
    /// </summary>
    public ISinkOperation<ContactUpsert, HubSpotContact> UpsertContact { get; }

    /// <summary>
    /// Sets property values on an existing contact (<c>PATCH</c>). <see cref="WriteSafety.NaturalUpsert"/>: setting a
    /// property to a value twice leaves it at that value. Returns the contact.
    /// </summary>
    public ISinkOperation<ContactPropertiesUpdate, HubSpotContact> UpdateContactProperties { get; }

    /// <summary>
    /// Creates a task associated with a contact, at most once. Lookup: the contact's tasks (search on
    /// <c>associations.contact</c>) with the same <c>hs_task_subject</c> whose body carries this task's marker line
    /// (<see cref="TaskDraft.ExternalId"/>, else the step's idempotency key); create: <c>POST</c> with the
    /// association (type <see cref="TaskToContactAssociationTypeId"/>) and the marker appended to the body.
    /// </summary>
    public ILookupThenCreateOperation<TaskDraft, HubSpotTask> CreateTaskForContact { get; }

    /// <summary>
    /// Every deal, incrementally: ordered by <c>hs_lastmodifieddate</c>, resuming after the checkpoint (that date,
    /// ISO 8601) of the last run.
    /// </summary>
    public IRecordSource<HubSpotDeal> Deals { get; }

    /// <summary>The deals in one stage, incrementally, like <see cref="Deals"/> (for example closed-won deals: <c>closedwon</c>).</summary>
    /// <param name="stage">The stage's internal id.</param>
    public IRecordSource<HubSpotDeal> DealsInStage(string stage)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stage);
        return new DealSource(this, stage);
    }

    /// <summary>Returns the contact with this email (search, <c>email EQ</c>), or <see langword="null"/>.</summary>
    /// <param name="email">The email.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    public async Task<HubSpotContact?> FindContactByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        var request = new SearchRequest([new FilterGroup([new Filter("email", "EQ", email.Trim())])], ContactProperties, 1);
        var page = await _api().SearchContactsAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        return page.Results is { Count: > 0 } results ? results[0] : null;
    }

    /// <summary>Returns the deal with this id, or <see langword="null"/> when HubSpot has none (404).</summary>
    /// <param name="dealId">The deal's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<HubSpotDeal?> GetDealAsync(string dealId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dealId);
        try
        {
            return await _api().GetDealAsync(dealId, string.Join(',', DealProperties), cancellationToken).ConfigureAwait(false);
        }
        catch (PlatformException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Streams every deal (<c>GET /crm/v3/objects/deals</c>), following <c>paging.next.after</c>.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async IAsyncEnumerable<HubSpotDeal> ListDealsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var properties = string.Join(',', DealProperties);
        string? after = null;
        do
        {
            var page = await _api().ListDealsAsync(PageSize, after, properties, cancellationToken).ConfigureAwait(false);
            foreach (var deal in page.Results ?? [])
            {
                yield return deal;
            }

            after = page.NextAfter;
        }
        while (after is not null);
    }

    /// <summary>Streams the deals in one stage (search, <c>dealstage EQ</c>), following <c>paging.next.after</c>.</summary>
    /// <param name="stage">The stage's internal id, for example <c>closedwon</c>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public IAsyncEnumerable<HubSpotDeal> SearchDealsByStageAsync(string stage, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stage);
        return SearchDealsAsync([new Filter("dealstage", "EQ", stage)], sorts: null, cancellationToken);
    }

    internal async IAsyncEnumerable<HubSpotDeal> SearchDealsAsync(
        IReadOnlyList<Filter> filters,
        IReadOnlyList<SearchSort>? sorts,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? after = null;
        do
        {
            var request = new SearchRequest(filters.Count == 0 ? [] : [new FilterGroup(filters)], DealProperties, PageSize, after, sorts);
            var page = await _api().SearchDealsAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var deal in page.Results ?? [])
            {
                yield return deal;
            }

            after = page.NextAfter;
        }
        while (after is not null);
    }

    internal async Task<HubSpotContact> UpsertContactAsync(ContactUpsert input, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(input.Email))
        {
            throw new ArgumentException("A HubSpot contact upsert needs an email (field Email).", nameof(input));
        }

        var email = input.Email.Trim();
        var properties = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in input.Properties ?? new Dictionary<string, string?>())
        {
            properties[name] = value;
        }

        properties["email"] = email;
        var answer = await _api().UpsertContactsAsync(new BatchUpsertRequest([new UpsertInput("email", email, properties)]), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        if (answer.Results is { Count: > 0 } results)
        {
            return results[0];
        }

        var detail = answer.Errors is { Count: > 0 } errors && HubSpotSignalReader.TryReadError(errors[0], out var error, out _)
            ? $": {error.Code} {error.Message}"
            : string.Empty;
        throw new PlatformException(ConnectorName, HttpStatusCode.OK, "invalid_response",
            $"the answer to a contact upsert (status {answer.Status}) holds no contact{detail}", mayHaveBeenApplied: false);
    }

    internal async Task<HubSpotContact> UpdateContactAsync(ContactPropertiesUpdate input, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(input.ContactId))
        {
            throw new ArgumentException("A HubSpot property update needs a contact (field ContactId).", nameof(input));
        }

        if (input.Properties is null || input.Properties.Count == 0)
        {
            throw new ArgumentException("A HubSpot property update needs at least one property (field Properties).", nameof(input));
        }

        return await _api().UpdateContactAsync(input.ContactId, new PropertiesInput(input.Properties), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    internal async Task<HubSpotTask?> FindTaskAsync(TaskDraft input, string marker, CancellationToken cancellationToken)
    {
        var filters = new List<Filter>
        {
            new("associations.contact", "EQ", input.ContactId),
            new("hs_task_subject", "EQ", input.Subject),
        };
        var line = MarkerLine(marker);
        string? after = null;
        do
        {
            var request = new SearchRequest([new FilterGroup(filters)], TaskProperties, PageSize, after);
            var page = await _api().SearchTasksAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (page.Results?.FirstOrDefault(t => t.Body?.Contains(line, StringComparison.Ordinal) == true) is { } found)
            {
                return found;
            }

            after = page.NextAfter;
        }
        while (after is not null);
        return null;
    }

    internal async Task<HubSpotTask> CreateTaskAsync(TaskDraft input, string marker, CancellationToken cancellationToken)
    {
        var body = string.IsNullOrEmpty(input.Body) ? MarkerLine(marker) : input.Body + "\n\n" + MarkerLine(marker);
        var properties = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["hs_task_subject"] = input.Subject,
            ["hs_task_body"] = body,
            ["hs_timestamp"] = input.DueAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["hs_task_status"] = "NOT_STARTED",
        };
        if (!string.IsNullOrWhiteSpace(input.Priority))
        {
            properties["hs_task_priority"] = input.Priority;
        }

        if (!string.IsNullOrWhiteSpace(input.OwnerId))
        {
            properties["hubspot_owner_id"] = input.OwnerId;
        }

        var association = new AssociationInput(new AssociationTarget(input.ContactId), [new AssociationType("HUBSPOT_DEFINED", TaskToContactAssociationTypeId)]);
        return await _api().CreateTaskAsync(new CreateInput(properties, [association]), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The marker line of a task: <c>[integrations-ref:{marker}]</c>.</summary>
    /// <param name="marker">The task's external id or idempotency key.</param>
    public static string MarkerLine(string marker)
    {
        ArgumentException.ThrowIfNullOrEmpty(marker);
        return TaskMarkerPrefix + marker + "]";
    }

    private static string Marker(TaskDraft input, WriteContext context)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrWhiteSpace(input.ContactId))
        {
            throw new ArgumentException("A HubSpot task needs a contact (field ContactId).", nameof(input));
        }

        if (string.IsNullOrWhiteSpace(input.Subject))
        {
            throw new ArgumentException("A HubSpot task needs a subject (field Subject).", nameof(input));
        }

        if (!string.IsNullOrWhiteSpace(input.ExternalId))
        {
            return input.ExternalId.Trim();
        }

        ArgumentException.ThrowIfNullOrEmpty(context.IdempotencyKey, nameof(context));
        return context.IdempotencyKey;
    }

    private sealed class UpsertContactOperation(HubSpotConnector connector) : ISinkOperation<ContactUpsert, HubSpotContact>
    {
        public WriteSafety Safety => WriteSafety.NaturalUpsert;

        public Task<HubSpotContact> ExecuteAsync(ContactUpsert input, WriteContext context, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(input);
            return connector.UpsertContactAsync(input, cancellationToken);
        }
    }

    private sealed class UpdateContactPropertiesOperation(HubSpotConnector connector) : ISinkOperation<ContactPropertiesUpdate, HubSpotContact>
    {
        public WriteSafety Safety => WriteSafety.NaturalUpsert;

        public Task<HubSpotContact> ExecuteAsync(ContactPropertiesUpdate input, WriteContext context, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(input);
            return connector.UpdateContactAsync(input, cancellationToken);
        }
    }

    private sealed class CreateTaskOperation(HubSpotConnector connector) : ILookupThenCreateOperation<TaskDraft, HubSpotTask>
    {
        public WriteSafety Safety => WriteSafety.LookupThenCreate;

        public Task<HubSpotTask?> LookupAsync(TaskDraft input, WriteContext context, CancellationToken cancellationToken = default) =>
            connector.FindTaskAsync(input, Marker(input, context), cancellationToken);

        public async Task<HubSpotTask> ExecuteAsync(TaskDraft input, WriteContext context, CancellationToken cancellationToken = default)
        {
            var marker = Marker(input, context);
            if (await connector.FindTaskAsync(input, marker, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                return existing;
            }

            return await connector.CreateTaskAsync(input, marker, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class DealSource(HubSpotConnector connector, string? stage) : IRecordSource<HubSpotDeal>
    {
        public async IAsyncEnumerable<SourceRecord<HubSpotDeal>> ReadAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var filters = new List<Filter>();
            if (stage is not null)
            {
                filters.Add(new Filter("dealstage", "EQ", stage));
            }

            if (!string.IsNullOrWhiteSpace(checkpoint))
            {
                if (!DateTimeOffset.TryParse(checkpoint, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
                {
                    throw new FormatException($"The HubSpot deal checkpoint '{checkpoint}' is not an ISO 8601 date and time (hs_lastmodifieddate).");
                }

                filters.Add(new Filter("hs_lastmodifieddate", "GT", since.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));
            }

            await foreach (var deal in connector.SearchDealsAsync(filters, [new SearchSort("hs_lastmodifieddate", "ASCENDING")], cancellationToken).ConfigureAwait(false))
            {
                var at = deal.LastModifiedAt;
                yield return new SourceRecord<HubSpotDeal>(deal, at?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) ?? checkpoint);
            }
        }
    }
}
