using System.Runtime.CompilerServices;
using Integrations.Sdk.Crm;
using Integrations.Sdk.Salesforce.Internal;

namespace Integrations.Sdk.Salesforce;

/// <summary>
/// The Salesforce connector (REST API, pinned <see cref="SalesforceOptions.ApiVersion"/>): SOQL queries paged by
/// <c>nextRecordsUrl</c>, opportunities as CRM deals (incremental on <c>SystemModstamp</c>), their contact roles and the
/// opportunity stages, and sObject writes (<see cref="SalesforceConnector.Create"/>, <see cref="Update"/>,
/// <see cref="Upsert"/> by external id, and their sObject Collections batches). Resolve it after <c>AddSalesforce(...)</c>,
/// or as the keyed <see cref="ICrmConnector"/> <c>"salesforce"</c>; it is thread-safe.
/// </summary>
public sealed partial class SalesforceConnector : ICrmConnector
{
    /// <summary>The connector's name: it names its HTTP options, budget, telemetry and webhook route.</summary>
    public const string ConnectorName = "salesforce";

    /// <summary>The id of the one pipeline <see cref="GetPipelinesAsync"/> returns: Salesforce's opportunity stages are org-wide.</summary>
    public const string DefaultPipelineId = "default";

    private const string DealFields = "Id, Name, StageName, IsClosed, IsWon, Amount, CloseDate, OwnerId, Owner.Name, Account.Name, SystemModstamp";

    private readonly Func<ISalesforceApi> _api;
    private readonly SalesforceOptions _options;

    internal SalesforceConnector(Func<ISalesforceApi> api, SalesforceOptions options)
    {
        _api = api;
        _options = options;
        Deals = RecordSource.Create<CrmDeal>(ReadDealsAsync);
        InitializeWrites(out var create, out var createUnlessExists, out var update, out var upsert, out var createMany, out var updateMany, out var upsertMany);
        Create = create;
        CreateUnlessExists = createUnlessExists;
        Update = update;
        Upsert = upsert;
        CreateMany = createMany;
        UpdateMany = updateMany;
        UpsertMany = upsertMany;
    }

    /// <inheritdoc />
    public string Platform => ConnectorName;

    /// <summary>
    /// The org's opportunities, oldest change first: <c>SELECT ... FROM Opportunity WHERE SystemModstamp &gt;= {checkpoint
    /// stamp - DealsOverlap} ORDER BY SystemModstamp, Id</c>. The checkpoint is the last stamp given and the ids given at
    /// that stamp (opaque text); a resumed read gives the overlap again (for the step memo to skip) and drops the ids
    /// already given at the checkpoint's stamp. The outcome is the opportunity's <c>IsWon</c>/<c>IsClosed</c>.
    /// </summary>
    public IRecordSource<CrmDeal> Deals { get; }

    /// <summary>Quotes a text as a SOQL string literal (<c>'O\'Brien'</c>): backslashes, quotes and line breaks escaped.</summary>
    /// <param name="value">The text.</param>
    public static string SoqlLiteral(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '\\' => @"\\",
                '\'' => @"\'",
                '"' => "\\\"",
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                _ => c.ToString(),
            });
        }

        return text.Append('\'').ToString();
    }

    /// <summary>
    /// Runs a SOQL query (<c>GET /services/data/vNN.0/query?q=...</c>) and streams its records, following
    /// <c>nextRecordsUrl</c> until <c>done</c>; each record is read as <typeparamref name="T"/> (Salesforce's field names,
    /// relationship fields as nested objects, datetimes such as <c>2026-12-05T10:00:00.000+0000</c> into
    /// <see cref="DateTimeOffset"/>). Quote values with <see cref="SoqlLiteral"/>.
    /// </summary>
    /// <typeparam name="T">A class with Salesforce's field names (or <see cref="JsonObject"/>).</typeparam>
    /// <param name="soql">The query.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async IAsyncEnumerable<T> QueryAsync<T>(string soql, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(soql);
        var pages = Paging.ByCursorAsync<JsonElement>(ConnectorName, (next, ct) => FetchAsync(soql, next, ct), cancellationToken);
        await foreach (var record in pages.ConfigureAwait(false))
        {
            T? value;
            try
            {
                value = record.Deserialize<T>(SalesforceJson.Options);
            }
            catch (JsonException ex)
            {
                throw PlatformException.InvalidResponse(ConnectorName, $"a query record could not be read as {typeof(T).Name}: {ex.Message}", innerException: ex);
            }

            yield return value ?? throw PlatformException.InvalidResponse(ConnectorName, "a query answer holds a null record");
        }
    }

    /// <inheritdoc />
    public async Task<CrmDeal?> GetDealAsync(string dealId, CancellationToken cancellationToken = default)
    {
        var id = RecordId(dealId, nameof(dealId));
        await foreach (var row in QueryAsync<OpportunityRow>($"SELECT {Fields()} FROM Opportunity WHERE Id = {SoqlLiteral(id)}", cancellationToken).ConfigureAwait(false))
        {
            return ToDeal(row);
        }

        return null;
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>SELECT ContactId, Role, IsPrimary, Contact.Email, Contact.FirstName, Contact.LastName FROM OpportunityContactRole
    /// WHERE OpportunityId = '...'</c>. A contact with several roles comes once (primary if any of its roles is, with
    /// that role); the primary contact first, the others in Salesforce's order.
    /// </remarks>
    public async Task<IReadOnlyList<CrmContact>> GetDealContactsAsync(string dealId, CancellationToken cancellationToken = default)
    {
        var id = RecordId(dealId, nameof(dealId));
        var soql = $"SELECT ContactId, Role, IsPrimary, Contact.Email, Contact.FirstName, Contact.LastName FROM OpportunityContactRole WHERE OpportunityId = {SoqlLiteral(id)}";
        var contacts = new List<CrmContact>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var role in QueryAsync<ContactRoleRow>(soql, cancellationToken).ConfigureAwait(false))
        {
            if (string.IsNullOrEmpty(role.ContactId))
            {
                continue; // a role whose contact this user cannot see
            }

            var contact = new CrmContact
            {
                Id = role.ContactId,
                Email = string.IsNullOrWhiteSpace(role.Contact?.Email) ? null : role.Contact.Email.Trim(),
                FirstName = role.Contact?.FirstName,
                LastName = role.Contact?.LastName,
                Role = role.Role,
                IsPrimary = role.IsPrimary,
            };
            if (index.TryGetValue(contact.Id, out var at))
            {
                if (contact.IsPrimary && !contacts[at].IsPrimary)
                {
                    contacts[at] = contact;
                }

                continue;
            }

            index[contact.Id] = contacts.Count;
            contacts.Add(contact);
        }

        // Primary first; a stable sort keeps Salesforce's order for the others.
        return [.. contacts.OrderByDescending(c => c.IsPrimary)];
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>SELECT ApiName, MasterLabel, IsClosed, IsWon, SortOrder FROM OpportunityStage WHERE IsActive = true ORDER BY
    /// SortOrder</c>, as one pipeline (<see cref="DefaultPipelineId"/>): a stage's id is its <c>ApiName</c> (the value
    /// an opportunity's <c>StageName</c> holds), else its <c>MasterLabel</c>.
    /// </remarks>
    public async Task<IReadOnlyList<CrmPipeline>> GetPipelinesAsync(CancellationToken cancellationToken = default)
    {
        var stages = new List<CrmStage>();
        const string Soql = "SELECT ApiName, MasterLabel, IsClosed, IsWon, SortOrder FROM OpportunityStage WHERE IsActive = true ORDER BY SortOrder";
        await foreach (var stage in QueryAsync<StageRow>(Soql, cancellationToken).ConfigureAwait(false))
        {
            var id = string.IsNullOrWhiteSpace(stage.ApiName) ? stage.MasterLabel : stage.ApiName;
            if (string.IsNullOrWhiteSpace(id))
            {
                throw PlatformException.InvalidResponse(ConnectorName, "an OpportunityStage has neither ApiName nor MasterLabel");
            }

            stages.Add(new CrmStage(id, stage.MasterLabel ?? id, Outcome(stage.IsClosed, stage.IsWon)));
        }

        return [new CrmPipeline(DefaultPipelineId, "Opportunities", stages)];
    }

    /// <inheritdoc />
    /// <remarks>
    /// True for an event of <see cref="Webhooks.SalesforceOutboundMessageSource"/> about an <c>Opportunity</c>: the id
    /// is the sObject's <c>Id</c> field.
    /// </remarks>
    public bool TryGetDealId(WebhookEvent webhookEvent, out string dealId)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        dealId = string.Empty;
        if (!string.Equals(webhookEvent.EventType, "Opportunity", StringComparison.OrdinalIgnoreCase)
            || !PlatformJson.TryParse(webhookEvent.Payload, out var root)
            || PlatformJson.Text(root, "Id") is not { } id
            || !SalesforceOptions.IsRecordId(id.Trim()))
        {
            return false;
        }

        dealId = id.Trim();
        return true;
    }

    internal static CrmDealOutcome Outcome(bool isClosed, bool isWon) =>
        isWon ? CrmDealOutcome.Won : isClosed ? CrmDealOutcome.Lost : CrmDealOutcome.Open;

    private static string RecordId(string? value, string parameter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, parameter);
        var id = value.Trim();
        return SalesforceOptions.IsRecordId(id)
            ? id
            : throw new ArgumentException($"'{value}' is not a Salesforce record id (15 or 18 letters and digits).", parameter);
    }

    private static CrmDeal ToDeal(OpportunityRow row)
    {
        if (string.IsNullOrEmpty(row.Id))
        {
            throw PlatformException.InvalidResponse(ConnectorName, "an Opportunity record has no Id");
        }

        if (!SalesforceJson.TryParse(row.SystemModstamp, out var modified))
        {
            throw PlatformException.InvalidResponse(ConnectorName, $"Opportunity {row.Id} has no readable SystemModstamp");
        }

        return new CrmDeal
        {
            Id = row.Id,
            Name = row.Name ?? string.Empty,
            PipelineId = null,
            StageId = row.StageName ?? string.Empty,
            StageLabel = row.StageName,
            Outcome = Outcome(row.IsClosed, row.IsWon),
            Amount = row.Amount,
            Currency = row.CurrencyIsoCode,
            OwnerId = row.OwnerId,
            OwnerName = row.Owner?.Name,
            CompanyName = row.Account?.Name,
            CloseDate = SalesforceJson.TryParse(row.CloseDate, out var close) ? close : null,
            LastModified = modified,
        };
    }

    private string Fields() => _options.MultiCurrency ? DealFields + ", CurrencyIsoCode" : DealFields;

    private async Task<Page<JsonElement>> FetchAsync(string soql, string? next, CancellationToken cancellationToken)
    {
        QueryPage page;
        if (next is null)
        {
            page = await _api().QueryAsync(_options.ApiVersion, soql, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            page = await _api().QueryMoreAsync(next.TrimStart('/'), cancellationToken).ConfigureAwait(false);
        }

        if (page is null)
        {
            throw PlatformException.InvalidResponse(ConnectorName, "a query answer is empty");
        }

        if (page.Done)
        {
            return new Page<JsonElement>(page.Records, null);
        }

        // Only a path under the REST API is followed: an answer never sends the token elsewhere.
        if (page.NextRecordsUrl is not { } url || !url.StartsWith("/services/data/", StringComparison.Ordinal) || url.Contains("..", StringComparison.Ordinal))
        {
            throw PlatformException.InvalidResponse(ConnectorName, $"a query answer is not done but its nextRecordsUrl is '{page.NextRecordsUrl}'");
        }

        return new Page<JsonElement>(page.Records, url);
    }

    private async IAsyncEnumerable<SourceRecord<CrmDeal>> ReadDealsAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var from = DealCheckpoint.Parse(checkpoint);
        var soql = from is null
            ? $"SELECT {Fields()} FROM Opportunity ORDER BY SystemModstamp, Id"
            : $"SELECT {Fields()} FROM Opportunity WHERE SystemModstamp >= {SalesforceJson.Literal(from.Stamp - _options.DealsOverlap)} ORDER BY SystemModstamp, Id";
        DealCheckpoint? current = null;
        await foreach (var row in QueryAsync<OpportunityRow>(soql, cancellationToken).ConfigureAwait(false))
        {
            var deal = ToDeal(row);
            var stamp = DealCheckpoint.Truncate(deal.LastModified);
            if (from is not null)
            {
                if (stamp < from.Stamp)
                {
                    // The overlap: given again, for the step memo to skip; the checkpoint does not move back.
                    yield return new SourceRecord<CrmDeal>(deal, checkpoint);
                    continue;
                }

                if (stamp == from.Stamp && from.Ids.Contains(deal.Id))
                {
                    // Given at the checkpoint's stamp by an earlier read, and given again: SystemModstamp counts whole
                    // seconds, so a change made later in that same second carries the same stamp and cannot be told
                    // from the version already given. The step memo skips what was done.
                    yield return new SourceRecord<CrmDeal>(deal, checkpoint);
                    continue;
                }
            }

            if (current is null || current.Stamp != stamp)
            {
                current = from is not null && stamp == from.Stamp ? from.Copy() : new DealCheckpoint(stamp, []);
            }

            current.Ids.Add(deal.Id);
            yield return new SourceRecord<CrmDeal>(deal, current.Format());
        }
    }
}
