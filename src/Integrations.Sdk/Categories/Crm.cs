using Integrations.Sdk.Connectors;

namespace Integrations.Sdk.Crm;

/// <summary>
/// A CRM (HubSpot, Salesforce...) seen through the CRM category model: deals with the meaning of their stage (open,
/// won, lost) read from the CRM's own pipeline metadata, never from a hard-coded stage id, and the contacts of a deal.
/// Each CRM connector implements it beside its own typed API, which stays reachable for what the model lacks. Resolve
/// one with <c>services.GetRequiredKeyedService&lt;ICrmConnector&gt;("hubspot")</c> (the connector's name).
/// </summary>
public interface ICrmConnector
{
    /// <summary>The platform's connector name, for example <c>hubspot</c> or <c>salesforce</c>.</summary>
    string Platform { get; }

    /// <summary>
    /// The CRM's deals, oldest change first, resumable from a checkpoint: a deal is read again whenever it changes. The
    /// CRM's change stamps are not unique, so each read starts a little before the checkpoint (an overlap) and drops
    /// what it already gave at the checkpoint's stamp; a deal can still come more than once over several runs, so key
    /// work by deal (and outcome), not by read.
    /// </summary>
    IRecordSource<CrmDeal> Deals { get; }

    /// <summary>Returns one deal, or <see langword="null"/> when the CRM has none with this id.</summary>
    /// <param name="dealId">The deal's id, as in <see cref="CrmDeal.Id"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<CrmDeal?> GetDealAsync(string dealId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns the contacts of a deal (HubSpot: the deal's contact associations; Salesforce: its opportunity contact
    /// roles), the primary one first, each once. A contact without an email address is returned too, with
    /// <see cref="CrmContact.Email"/> <see langword="null"/>.
    /// </summary>
    /// <param name="dealId">The deal's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<CrmContact>> GetDealContactsAsync(string dealId, CancellationToken cancellationToken = default);

    /// <summary>Returns the deal pipelines and their stages, each stage with its outcome as the CRM's metadata gives it.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<CrmPipeline>> GetPipelinesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the id of the deal a webhook event is about, when the event is a change of a deal's stage (HubSpot
    /// <c>deal.propertyChange</c> on <c>dealstage</c>, a Salesforce outbound message on an opportunity); the deal is
    /// then read with <see cref="GetDealAsync"/>, so a late or repeated event never acts on a stale stage.
    /// </summary>
    /// <param name="webhookEvent">An event from this connector's webhook source.</param>
    /// <param name="dealId">The deal's id, when the event is about a deal's stage.</param>
    /// <returns><see langword="true"/> when the event names a deal whose stage may have changed.</returns>
    bool TryGetDealId(WebhookEvent webhookEvent, out string dealId);
}

/// <summary>Where a deal stands, as its stage's metadata says.</summary>
public enum CrmDealOutcome
{
    /// <summary>Not closed.</summary>
    Open,

    /// <summary>Closed and won (HubSpot: a closed stage of probability 1; Salesforce: <c>IsWon</c>).</summary>
    Won,

    /// <summary>Closed and lost.</summary>
    Lost,
}

/// <summary>A deal (a HubSpot deal, a Salesforce opportunity).</summary>
public sealed record CrmDeal
{
    /// <summary>The CRM's id of the deal.</summary>
    public required string Id { get; init; }

    /// <summary>The deal's name.</summary>
    public required string Name { get; init; }

    /// <summary>The pipeline's id (HubSpot), or <see langword="null"/> when the CRM has one implicit pipeline.</summary>
    public string? PipelineId { get; init; }

    /// <summary>The stage's id (HubSpot's internal stage id; Salesforce's <c>StageName</c>, which is its key).</summary>
    public required string StageId { get; init; }

    /// <summary>The stage's label, as people see it.</summary>
    public string? StageLabel { get; init; }

    /// <summary>The stage's outcome, read from the CRM's stage metadata.</summary>
    public required CrmDealOutcome Outcome { get; init; }

    /// <summary>The deal's amount, when set.</summary>
    public decimal? Amount { get; init; }

    /// <summary>The ISO 4217 currency of <see cref="Amount"/>, when the CRM says (multi-currency orgs and portals).</summary>
    public string? Currency { get; init; }

    /// <summary>The owner's CRM id (a HubSpot owner id, a Salesforce user id).</summary>
    public string? OwnerId { get; init; }

    /// <summary>The owner's name, when the CRM gives it with the deal or the connector looked it up.</summary>
    public string? OwnerName { get; init; }

    /// <summary>The name of the company (HubSpot associated company, Salesforce account) the deal is with, when known.</summary>
    public string? CompanyName { get; init; }

    /// <summary>The close date, when set.</summary>
    public DateTimeOffset? CloseDate { get; init; }

    /// <summary>When the deal last changed (HubSpot <c>hs_lastmodifieddate</c>, Salesforce <c>SystemModstamp</c>).</summary>
    public required DateTimeOffset LastModified { get; init; }
}

/// <summary>A contact of a deal.</summary>
public sealed record CrmContact
{
    /// <summary>The CRM's id of the contact.</summary>
    public required string Id { get; init; }

    /// <summary>The email address, or <see langword="null"/> when the contact has none.</summary>
    public string? Email { get; init; }

    /// <summary>The first name.</summary>
    public string? FirstName { get; init; }

    /// <summary>The last name.</summary>
    public string? LastName { get; init; }

    /// <summary>The contact's role on the deal (Salesforce contact role, HubSpot association label), when set.</summary>
    public string? Role { get; init; }

    /// <summary>Whether the contact is the deal's primary contact.</summary>
    public bool IsPrimary { get; init; }
}

/// <summary>A deal pipeline and its stages.</summary>
/// <param name="Id">The pipeline's id.</param>
/// <param name="Label">The pipeline's label.</param>
/// <param name="Stages">Its stages, in display order.</param>
public sealed record CrmPipeline(string Id, string Label, IReadOnlyList<CrmStage> Stages);

/// <summary>A stage of a deal pipeline.</summary>
/// <param name="Id">The stage's id (as in <see cref="CrmDeal.StageId"/>).</param>
/// <param name="Label">The stage's label.</param>
/// <param name="Outcome">What reaching the stage means, from the CRM's metadata.</param>
public sealed record CrmStage(string Id, string Label, CrmDealOutcome Outcome);
