using System.Runtime.CompilerServices;
using Integrations.Sdk;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Connectors.Kit;
using Integrations.Sdk.Crm;
using Integrations.Sdk.MailchimpMarketing;
using Integrations.Sdk.MailchimpMarketing.Models;
using Integrations.Sdk.Mapping;
using Integrations.Sdk.Pipelines;
using Microsoft.Extensions.DependencyInjection;

namespace ClosedWonOnboarding;

/// <summary>A deal as read from the CRM's change feed, with its contacts when it is won (none are read otherwise).</summary>
/// <param name="Deal">The deal.</param>
/// <param name="Contacts">Its contacts, primary first; empty for a deal that is not won.</param>
public sealed record DealRead(CrmDeal Deal, IReadOnlyList<CrmContact> Contacts);

/// <summary>
/// One record of the sync: a contact of a won deal, or (<see cref="Contact"/> <see langword="null"/>) a deal that is
/// not won, which the sync's filter counts and leaves.
/// </summary>
/// <param name="Crm">The CRM's connector name.</param>
/// <param name="Deal">The deal, as read.</param>
/// <param name="Contact">The contact, or <see langword="null"/> for a deal that is not won.</param>
public sealed record DealContact(string Crm, CrmDeal Deal, CrmContact? Contact)
{
    /// <summary>
    /// The record's key. A contact with an email is keyed by the journey and the lower-cased address, whatever deal it
    /// came with: that is what makes the journey trigger once per contact, ever. A contact without an email is keyed
    /// by its deal and CRM id (it is dead-lettered); a deal that is not won by its id (it is filtered).
    /// </summary>
    /// <param name="journeyId">The journey's id.</param>
    public string KeyFor(string journeyId) => Contact switch
    {
        null => $"{Crm}:deal:{Deal.Id}",
        { Email: { } email } when !string.IsNullOrWhiteSpace(email) => $"journey:{journeyId}:{Onboarding.NormalizeEmail(email)}",
        { } contact => $"{Crm}:deal:{Deal.Id}:contact:{contact.Id}",
    };
}

/// <summary>What the sync writes to Mailchimp for one contact.</summary>
/// <param name="Email">The lower-cased email address.</param>
/// <param name="MergeFields">The member's merge fields: <c>FNAME</c>, <c>LNAME</c>, <c>COMPANY</c>, <c>AMOUNT</c>, <c>OWNER</c>.</param>
/// <param name="DealId">The won deal that brought the contact.</param>
public sealed record OnboardingMember(string Email, IReadOnlyDictionary<string, object?> MergeFields, string DealId);

/// <summary>Where contacts go in Mailchimp.</summary>
/// <param name="ListId">The audience (list).</param>
/// <param name="JourneyId">The onboarding Customer Journey.</param>
/// <param name="StepId">Its starting step of type "API call".</param>
/// <param name="Tag">The tag set on every onboarded contact. <value>Default: <c>onboarding</c>.</value></param>
public sealed record OnboardingSettings(string ListId, string JourneyId, string StepId, string Tag = "onboarding")
{
    /// <summary>The merge fields the list must have beside Mailchimp's defaults (<c>FNAME</c>, <c>LNAME</c>): name and type.</summary>
    public static readonly IReadOnlyList<(string Tag, string Type)> ExtraMergeFields = [("COMPANY", "text"), ("AMOUNT", "number"), ("OWNER", "text")];
}

/// <summary>The three Mailchimp writes of the sync (the Mailchimp Marketing connector's, or fakes in tests).</summary>
/// <param name="UpsertMember">Member upsert by subscriber hash (a natural upsert).</param>
/// <param name="UpdateTags">Member tags (a natural upsert).</param>
/// <param name="TriggerJourney">The journey trigger (unsafe: nothing dedupes it).</param>
public sealed record OnboardingOperations(
    ISinkOperation<MemberUpsert, MailchimpMember> UpsertMember,
    ISinkOperation<MemberTagsUpdate, MemberTagsUpdate> UpdateTags,
    ISinkOperation<JourneyTrigger, JourneyTriggerResult> TriggerJourney)
{
    /// <summary>The operations of the Mailchimp Marketing connector.</summary>
    /// <param name="mailchimp">The connector.</param>
    public static OnboardingOperations From(MailchimpMarketingConnector mailchimp)
    {
        ArgumentNullException.ThrowIfNull(mailchimp);
        return new(mailchimp.UpsertMember, mailchimp.UpdateTags, mailchimp.TriggerJourney);
    }
}

/// <summary>
/// Scenario 2: when a deal is marked closed-won in the CRM (HubSpot or Salesforce, through <see cref="ICrmConnector"/>),
/// each of its contacts is upserted into the Mailchimp audience with merge fields from the deal, tagged
/// <c>onboarding</c>, and entered into the onboarding journey: exactly once per contact, ever.
/// </summary>
/// <remarks>
/// <para>The source is the CRM's deal change feed; each won deal's contacts are read as it is read
/// (<see cref="WithContacts"/>) and <c>SelectMany</c> makes one record per contact. Records are keyed by the journey and
/// the contact's lower-cased email (<see cref="DealContact.KeyFor"/>), so the step memo does the rest: a deal reopened
/// and won again, a contact on two won deals, a deal read twice from the change feed, a second run, all meet a
/// finished key and end <c>Skipped</c>.</para>
/// </remarks>
public static class Onboarding
{
    /// <summary>The sync's name for a CRM: <c>{crm}-closed-won-onboarding</c> (its memo, checkpoint and dead letters).</summary>
    /// <param name="crm">The CRM's connector name.</param>
    public static string SyncName(string crm) => $"{crm}-closed-won-onboarding";

    /// <summary>Registers the sync for one CRM.</summary>
    /// <param name="integrations">The integrations builder, with the CRM's connector (and Mailchimp Marketing) added.</param>
    /// <param name="crm">The CRM's connector name: its keyed <see cref="ICrmConnector"/> (<c>hubspot</c>, <c>salesforce</c>).</param>
    /// <param name="settings">The audience, journey and tag.</param>
    /// <param name="operations">The Mailchimp writes; by default the registered <see cref="MailchimpMarketingConnector"/>'s.</param>
    /// <param name="concurrency">Records processed at once.</param>
    public static IIntegrationsBuilder AddClosedWonOnboarding(
        this IIntegrationsBuilder integrations,
        string crm,
        OnboardingSettings settings,
        Func<IServiceProvider, OnboardingOperations>? operations = null,
        int concurrency = 8)
    {
        ArgumentNullException.ThrowIfNull(integrations);
        ArgumentException.ThrowIfNullOrWhiteSpace(crm);
        ArgumentNullException.ThrowIfNull(settings);
        operations ??= static sp => OnboardingOperations.From(sp.GetRequiredService<MailchimpMarketingConnector>());
        OnboardingOperations Ops(IServiceProvider sp) => operations(sp);

        return integrations.AddSync<DealContact>(SyncName(crm), sync => sync
            .FromIncremental(sp => WithContacts(sp.GetRequiredKeyedService<ICrmConnector>(crm)).SelectMany(read => Records(crm, read)))
            .Key(r => r.KeyFor(settings.JourneyId))
            .Where(r => r.Deal.Outcome == CrmDealOutcome.Won) // open and lost deals: Filtered
            .WithConcurrency(concurrency)
            .WithStepRetries(8, TimeSpan.FromMilliseconds(100))
            .Map(Plan)
            .Step("member", sp => Ops(sp).UpsertMember, (m, _) => new MemberUpsert(settings.ListId, m.Email, m.MergeFields))
            .Step("tags", sp => Ops(sp).UpdateTags, (m, _) => new MemberTagsUpdate(settings.ListId, m.Email, [settings.Tag]))
            .Step("journey", sp => Ops(sp).TriggerJourney, (m, _) => new JourneyTrigger(settings.JourneyId, settings.StepId, m.Email)));
    }

    /// <summary>
    /// The records of one deal as read: one per contact of a won deal (a won deal without contacts gives none), or the
    /// deal alone when it is not won, for the filter to count.
    /// </summary>
    /// <param name="crm">The CRM's connector name.</param>
    /// <param name="read">The deal and its contacts.</param>
    public static IEnumerable<DealContact> Records(string crm, DealRead read)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (read.Deal.Outcome != CrmDealOutcome.Won)
        {
            return [new DealContact(crm, read.Deal, null)];
        }

        return read.Contacts.Select(c => new DealContact(crm, read.Deal, c));
    }

    /// <summary>
    /// The CRM's deal feed with each won deal's contacts read as the deal is read (<see cref="ICrmConnector.GetDealContactsAsync"/>),
    /// each deal keeping its checkpoint. A contacts read that fails (after the connector's own retries) fails the read,
    /// so the run stops before the deal and the next run reads it again: nothing is skipped.
    /// </summary>
    /// <param name="crm">The CRM.</param>
    public static IRecordSource<DealRead> WithContacts(ICrmConnector crm)
    {
        ArgumentNullException.ThrowIfNull(crm);
        return RecordSource.Create((checkpoint, ct) => ReadAsync(crm, checkpoint, ct));

        static async IAsyncEnumerable<SourceRecord<DealRead>> ReadAsync(ICrmConnector crm, string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var deal in crm.Deals.ReadAsync(checkpoint, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var contacts = deal.Value.Outcome == CrmDealOutcome.Won
                    ? await crm.GetDealContactsAsync(deal.Value.Id, cancellationToken).ConfigureAwait(false)
                    : [];
                yield return new SourceRecord<DealRead>(new DealRead(deal.Value, contacts), deal.Checkpoint);
            }
        }
    }

    /// <summary>
    /// What Mailchimp gets for a contact of a won deal. A contact without an email cannot be a member: the record is
    /// dead-lettered (step <c>$map</c>) with a reason naming <c>contact.email</c>, its payload the deal and the contact.
    /// </summary>
    /// <param name="record">A contact of a won deal.</param>
    /// <exception cref="MappingValidationException">The contact has no email.</exception>
    public static OnboardingMember Plan(DealContact record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var contact = record.Contact ?? throw new MappingValidationException(nameof(DealContact), nameof(OnboardingMember), [new MappingError("contact", "email_address", $"deal {record.Deal.Id} is not won; it has no contact to onboard")]);
        if (string.IsNullOrWhiteSpace(contact.Email))
        {
            var who = string.Join(' ', new[] { contact.FirstName, contact.LastName }.Where(n => !string.IsNullOrWhiteSpace(n)));
            throw new MappingValidationException(nameof(DealContact), nameof(OnboardingMember), [new MappingError(
                "contact.email",
                "email_address",
                $"required value is missing: contact {contact.Id}{(who.Length > 0 ? $" ({who})" : "")} of won deal {record.Deal.Id} has no email address; add it in the CRM, then read the deal again (it changes, or a run with FullRefresh)")]);
        }

        var deal = record.Deal;
        // A value the CRM does not have is left out, not sent empty: the PUT would clear what the member already has.
        var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (tag, value) in new[] { ("FNAME", contact.FirstName), ("LNAME", contact.LastName), ("COMPANY", deal.CompanyName), ("OWNER", deal.OwnerName) })
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                fields[tag] = value;
            }
        }

        if (deal.Amount is { } amount)
        {
            fields["AMOUNT"] = amount;
        }

        return new OnboardingMember(NormalizeEmail(contact.Email), fields, deal.Id);
    }

    /// <summary>An email as Mailchimp identifies a member by it: trimmed, lower-cased (invariant).</summary>
    /// <param name="email">The address.</param>
    public static string NormalizeEmail(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return email.Trim().ToLowerInvariant();
    }
}
