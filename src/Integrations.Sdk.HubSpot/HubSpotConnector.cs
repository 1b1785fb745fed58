using System.Diagnostics.CodeAnalysis;
using Integrations.Sdk.Crm;
using Integrations.Sdk.HubSpot.Internal;
using Integrations.Sdk.HubSpot.Models;

namespace Integrations.Sdk.HubSpot;

/// <summary>
/// The HubSpot CRM connector (v3 object APIs) for contacts, tasks and deals. HubSpot has no idempotency key, so every
/// write is safe by construction (natural upserts, lookup-then-create). Thread-safe; resolve it after <c>AddHubSpot</c>.
/// It is also the portal's <see cref="ICrmConnector"/> (deals with their outcome read from the pipelines' stage
/// metadata, a deal's contacts through v4 associations), registered keyed <c>"hubspot"</c>.
/// </summary>
public sealed partial class HubSpotConnector : ICrmConnector
{
    /// <summary>The connector's name: it names its HTTP options, budget and telemetry, and its webhook source.</summary>
    public const string ConnectorName = "hubspot";

    /// <summary>The requests HubSpot allows a private app per <see cref="BudgetWindow"/> (Professional and Enterprise).</summary>
    public const int RequestsPerWindow = 190;

    /// <summary>HubSpot's burst window: 10 seconds.</summary>
    public static readonly TimeSpan BudgetWindow = TimeSpan.FromSeconds(10);

    /// <summary>The page size of lists and searches: the most a list page may hold (searches allow 200).</summary>
    public const int PageSize = 100;

    /// <summary>The association type id of task → contact (<c>HUBSPOT_DEFINED</c> 204), sent when a task is created.</summary>
    public const int TaskToContactAssociationTypeId = 204;

    /// <summary>The prefix of the marker line the connector appends to a task's body: <c>[integrations-ref:{marker}]</c>.</summary>
    public const string TaskMarkerPrefix = "[integrations-ref:";

    /// <summary>The contact properties read by default.</summary>
    public static readonly IReadOnlyList<string> ContactProperties = ["email", "firstname", "lastname", "phone", "company", "lifecyclestage", "hs_lastmodifieddate"];

    /// <summary>The task properties read.</summary>
    public static readonly IReadOnlyList<string> TaskProperties = ["hs_task_subject", "hs_task_body", "hs_task_status", "hs_task_priority", "hs_timestamp", "hubspot_owner_id"];

    /// <summary>The deal properties read, besides <see cref="HubSpotOptions.ExtraDealProperties"/>.</summary>
    public static readonly IReadOnlyList<string> DealProperties = ["dealname", "dealstage", "pipeline", "amount", "closedate", "hs_lastmodifieddate", "hubspot_owner_id"];


    private const string Iso8601Utc = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    private readonly Func<IHubSpotApi> _api;

    /// <summary>The deal properties read: <see cref="DealProperties"/> and <see cref="HubSpotOptions.ExtraDealProperties"/>.</summary>
    private readonly IReadOnlyList<string> _dealProperties;

    private readonly string _dealPropertyList;

    internal HubSpotConnector(Func<IHubSpotApi> api, TimeSpan searchIndexLag, IEnumerable<string>? extraDealProperties = null, TimeProvider? time = null, string? primaryContactLabel = null)
    {
        _api = api;
        _time = time ?? TimeProvider.System;
        _dealOverlap = searchIndexLag;
        _primaryContactLabel = string.IsNullOrWhiteSpace(primaryContactLabel) ? HubSpotOptions.DefaultPrimaryContactLabel : primaryContactLabel.Trim();
        _crmDeals = RecordSource.Create<CrmDeal>(ReadCrmDealsAsync);
        _dealProperties = WithExtra(DealProperties, extraDealProperties, nameof(HubSpotOptions.ExtraDealProperties));
        _dealPropertyList = string.Join(',', _dealProperties);
        UpsertContact = SinkOperation.NaturalUpsert<ContactUpsert, HubSpotContact>(
            UpsertContactAsync, input => Require.Text(input.Email, "A HubSpot contact upsert needs an email", nameof(input.Email)));
        UpdateContactProperties = SinkOperation.NaturalUpsert<ContactPropertiesUpdate, HubSpotContact>(
            (input, ct) => _api().UpdateContactAsync(input.ContactId, new PropertiesInput(Wire(input.Properties)), cancellationToken: ct),
            input =>
            {
                Require.Text(input.ContactId, "A HubSpot property update needs a contact", nameof(input.ContactId));
                Require.Items(input.Properties, "A HubSpot property update needs at least one property", nameof(input.Properties));
            });
        CreateTaskForContact = SinkOperation.LookupThenCreate<TaskDraft, HubSpotTask>(
            (input, context, ct) => FindTaskAsync(input, Marker(input, context), ct),
            (input, context, ct) => CreateTaskAsync(input, Marker(input, context), ct),
            input =>
            {
                Require.Text(input.ContactId, "A HubSpot task needs a contact", nameof(input.ContactId));
                Require.Text(input.Subject, "A HubSpot task needs a subject", nameof(input.Subject));
            })
            // The lookup is a CRM search, and HubSpot's search finds a new object only after "a few moments"
            // (https://developers.hubspot.com/docs/api/crm/search, Limitations): after an attempt with unknown outcome
            // the runner waits this long before it searches, else it could miss the task and create a second one.
            .WithFindableAfter(searchIndexLag);
        Deals = DealSource(stage: null);
    }

    /// <summary>Creates or updates the contact with the input's email (<c>batch/upsert</c>, <c>idProperty=email</c>); returns it.</summary>
    public ISinkOperation<ContactUpsert, HubSpotContact> UpsertContact { get; }

    /// <summary>Sets property values on an existing contact (<c>PATCH</c>); returns it.</summary>
    public ISinkOperation<ContactPropertiesUpdate, HubSpotContact> UpdateContactProperties { get; }

    /// <summary>
    /// Creates a task associated with a contact, at most once: the lookup searches the contact's tasks with the same
    /// subject whose body carries the marker line (<see cref="TaskDraft.ExternalId"/>, else the step's idempotency key).
    /// HubSpot's search lags writes, so the operation declares <see cref="HubSpotOptions.SearchIndexLag"/> as its
    /// <see cref="ILookupThenCreateOperation{TInput, TResult}.FindableAfter"/>: after an attempt with unknown outcome
    /// the runner waits that long, counted from the attempt, before it searches.
    /// </summary>
    public ILookupThenCreateOperation<TaskDraft, HubSpotTask> CreateTaskForContact { get; }

    /// <summary>Every deal, incrementally by <c>hs_lastmodifieddate</c> (the checkpoint, ISO 8601).</summary>
    public IRecordSource<HubSpotDeal> Deals { get; }

    /// <summary>The deals in one stage (for example <c>closedwon</c>), incrementally like <see cref="Deals"/>.</summary>
    /// <param name="stage">The stage's internal id.</param>
    public IRecordSource<HubSpotDeal> DealsInStage(string stage)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stage);
        return DealSource(stage);
    }

    /// <summary>Returns the contact with this email (search, <c>email EQ</c>), or <see langword="null"/>.</summary>
    /// <param name="email">The email.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    public Task<HubSpotContact?> FindContactByEmailAsync(string email, CancellationToken cancellationToken = default) =>
        FindContactByEmailAsync(email, extraFields: null, cancellationToken);

    /// <summary>
    /// Returns the contact with this email (search, <c>email EQ</c>), or <see langword="null"/>, with
    /// <paramref name="extraFields"/> read as well: HubSpot returns only the properties a search asks for, so these
    /// are added to its <c>properties</c> (besides <see cref="ContactProperties"/>). Read them back with
    /// <see cref="HubSpotObject.Property(string)"/>, for example <c>contact.Property("hubspot_owner_id")</c>; a
    /// property the portal does not have is left out by HubSpot, so it reads as <see langword="null"/>.
    /// </summary>
    /// <param name="email">The email.</param>
    /// <param name="extraFields">Internal names of further contact properties (for example <c>hubspot_owner_id</c>), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <exception cref="ArgumentException">A name in <paramref name="extraFields"/> is blank or holds whitespace or a comma.</exception>
#pragma warning disable RS0026 // A second overload with an optional token: extraFields has no default, so a call without it binds only to the first.
    public async Task<HubSpotContact?> FindContactByEmailAsync(string email, IEnumerable<string>? extraFields, CancellationToken cancellationToken = default)
#pragma warning restore RS0026
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        var properties = WithExtra(ContactProperties, extraFields, nameof(extraFields));
        var request = SearchRequest.All([new Filter("email", "EQ", email.Trim())], properties, 1);
        var page = await _api().SearchAsync<HubSpotContact>("contacts", request, cancellationToken: cancellationToken).ConfigureAwait(false);
        return page.Results?.FirstOrDefault();
    }

    /// <summary>Returns the deal with this id, or <see langword="null"/> when HubSpot has none (404).</summary>
    /// <param name="dealId">The deal's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public Task<HubSpotDeal?> GetDealAsync(string dealId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dealId);
        return PlatformReads.OrNullWhenMissingAsync(ct => _api().GetDealAsync(dealId, _dealPropertyList, ct), cancellationToken: cancellationToken);
    }

    /// <summary>Streams every deal (<c>GET /crm/v3/objects/deals</c>), page by page.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    public IAsyncEnumerable<HubSpotDeal> ListDealsAsync(CancellationToken cancellationToken = default)
    {
        return PageAsync((api, after, ct) => api.ListDealsAsync(PageSize, after, _dealPropertyList, ct), cancellationToken);
    }

    /// <summary>Streams the deals in one stage (search, <c>dealstage EQ</c>), page by page.</summary>
    /// <param name="stage">The stage's internal id, for example <c>closedwon</c>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public IAsyncEnumerable<HubSpotDeal> SearchDealsByStageAsync(string stage, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stage);
        return SearchDealsAsync([new Filter("dealstage", "EQ", stage)], sorts: null, cancellationToken);
    }

    /// <summary>The marker line of a task: <c>[integrations-ref:{marker}]</c>.</summary>
    /// <param name="marker">The task's external id or idempotency key.</param>
    public static string MarkerLine(string marker)
    {
        ArgumentException.ThrowIfNullOrEmpty(marker);
        return TaskMarkerPrefix + marker + "]";
    }

    /// <summary>The properties a read asks for: <paramref name="typed"/>, then the caller's extra ones (<see cref="ExtraFields"/>).</summary>
    private static IReadOnlyList<string> WithExtra(IReadOnlyList<string> typed, IEnumerable<string>? extra, string parameter) =>
        ExtraFields.Append(typed, extra, IsTrimmedPropertyName, "HubSpot property names are internal names such as 'hubspot_owner_id' (no whitespace or comma)", parameter);

    /// <summary>Whether <paramref name="name"/> can be a property's internal name: not blank, no whitespace or comma inside.</summary>
    internal static bool IsPropertyName([NotNullWhen(true)] string? name) =>
        !string.IsNullOrWhiteSpace(name) && IsTrimmedPropertyName(name.Trim());

    private static bool IsTrimmedPropertyName(string name) => !name.Any(c => char.IsWhiteSpace(c) || c == ',');

    private IAsyncEnumerable<T> PageAsync<T>(Func<IHubSpotApi, string?, CancellationToken, Task<ListPage<T>>> fetch, CancellationToken cancellationToken) =>
        Paging.ByCursorAsync(ConnectorName, async (after, ct) => (await fetch(_api(), after, ct).ConfigureAwait(false)).AsPage(), cancellationToken);

    private static string Marker(TaskDraft input, WriteContext context)
    {
        if (!string.IsNullOrWhiteSpace(input.ExternalId))
        {
            return input.ExternalId.Trim();
        }

        ArgumentException.ThrowIfNullOrEmpty(context.IdempotencyKey, nameof(context));
        return context.IdempotencyKey;
    }

    private IAsyncEnumerable<HubSpotDeal> SearchDealsAsync(IReadOnlyList<Filter> filters, IReadOnlyList<SearchSort>? sorts, CancellationToken cancellationToken) =>
        PageAsync((api, after, ct) => api.SearchAsync<HubSpotDeal>("deals", SearchRequest.All(filters, _dealProperties, PageSize, after, sorts), cancellationToken: ct), cancellationToken);

    private IRecordSource<HubSpotDeal> DealSource(string? stage) => RecordSource.Create((checkpoint, cancellationToken) =>
    {
        List<Filter> filters = stage is null ? [] : [new Filter("dealstage", "EQ", stage)];

        if (!string.IsNullOrWhiteSpace(checkpoint))
        {
            if (!DateTimeOffset.TryParse(checkpoint, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
            {
                throw new FormatException($"The HubSpot deal checkpoint '{checkpoint}' is not an ISO 8601 date and time (hs_lastmodifieddate).");
            }

            filters.Add(new Filter("hs_lastmodifieddate", "GT", since.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));
        }

        return SearchDealsAsync(filters, [new SearchSort("hs_lastmodifieddate", "ASCENDING")], cancellationToken).WithCheckpointsAsync(
            deal => deal.LastModifiedAt?.ToUniversalTime().ToString(Iso8601Utc, CultureInfo.InvariantCulture) ?? checkpoint, cancellationToken);
    });

    private async Task<HubSpotContact> UpsertContactAsync(ContactUpsert input, CancellationToken cancellationToken)
    {
        var email = input.Email.Trim();
        var properties = new Dictionary<string, string?>(input.Properties ?? new Dictionary<string, string?>(), StringComparer.Ordinal) { ["email"] = email };
        var answer = await _api().UpsertContactsAsync(new BatchUpsertRequest([new UpsertInput("email", email, Wire(properties))]), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        if (answer.Results is [var contact, ..])
        {
            return contact;
        }

        var detail = answer.Errors is [var first, ..] && HubSpotSignalReader.ReadErrorObject(first) is { } error ? $": {error.Code} {error.Message}" : string.Empty;
        throw PlatformException.InvalidResponse(ConnectorName, $"the answer to a contact upsert (status {answer.Status}) holds no contact{detail}");
    }

    /// <summary>
    /// Property values as HubSpot takes them: strings, a <see langword="null"/> sent as the empty string, which is how
    /// HubSpot clears a property (its spec declares property values strings, not nullable).
    /// </summary>
    private static Dictionary<string, string?> Wire(IReadOnlyDictionary<string, string?> properties) =>
        properties.ToDictionary(p => p.Key, p => (string?)(p.Value ?? string.Empty), StringComparer.Ordinal);

    private Task<HubSpotTask?> FindTaskAsync(TaskDraft input, string marker, CancellationToken cancellationToken)
    {
        var request = SearchRequest.All([new("associations.contact", "EQ", input.ContactId), new("hs_task_subject", "EQ", input.Subject)], TaskProperties, PageSize);
        var line = MarkerLine(marker);
        return PageAsync((api, after, ct) => api.SearchAsync<HubSpotTask>("tasks", request with { After = after }, cancellationToken: ct), cancellationToken)
            .FirstOrDefaultAsync(task => task.Body?.Contains(line, StringComparison.Ordinal) == true, cancellationToken).AsTask();
    }

    private Task<HubSpotTask> CreateTaskAsync(TaskDraft input, string marker, CancellationToken cancellationToken)
    {
        var properties = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["hs_task_subject"] = input.Subject,
            ["hs_task_body"] = string.IsNullOrEmpty(input.Body) ? MarkerLine(marker) : input.Body + "\n\n" + MarkerLine(marker),
            ["hs_timestamp"] = input.DueAt.ToUniversalTime().ToString(Iso8601Utc, CultureInfo.InvariantCulture),
            ["hs_task_status"] = "NOT_STARTED",
            ["hs_task_priority"] = input.Priority,
            ["hubspot_owner_id"] = input.OwnerId,
        };
        var association = new AssociationInput(new AssociationTarget(input.ContactId), [new AssociationType("HUBSPOT_DEFINED", TaskToContactAssociationTypeId)]);
        var sent = properties.Where(p => !string.IsNullOrWhiteSpace(p.Value)).ToDictionary(StringComparer.Ordinal); // blank optional ones left out
        return _api().CreateTaskAsync(new CreateInput(sent, [association]), cancellationToken);
    }
}
