namespace Integrations.Sdk.MailchimpMarketing.Models;

/// <summary>
/// A list member (audience contact) to add or update by email: <c>PUT /lists/{list_id}/members/{subscriber_hash}</c>,
/// a natural upsert on the address.
/// </summary>
/// <param name="ListId">The list (audience) id. Required.</param>
/// <param name="Email">The email address. Required; it is the member's key (its subscriber hash).</param>
/// <param name="MergeFields">
/// Merge field values by tag (for example <c>FNAME</c>, <c>COMPANY</c>); each tag must exist on the list. Text fields
/// take strings, number fields numbers. Optional.
/// </param>
/// <param name="StatusIfNew">The status a new member gets: <c>subscribed</c>, <c>pending</c> (double opt-in),
/// <c>unsubscribed</c>, <c>cleaned</c> or <c>transactional</c>. An existing member's status is left as it is.
/// <value>Default: <c>subscribed</c>.</value></param>
public sealed record MemberUpsert(string ListId, string Email, IReadOnlyDictionary<string, object?>? MergeFields = null, string StatusIfNew = "subscribed");

/// <summary>Tags to set on a list member: <c>POST /lists/{list_id}/members/{subscriber_hash}/tags</c>.</summary>
/// <param name="ListId">The list (audience) id. Required.</param>
/// <param name="Email">The member's email address. Required.</param>
/// <param name="Active">Tags to add (created on the list when new). At least one tag in all.</param>
/// <param name="Inactive">Tags to remove; optional.</param>
public sealed record MemberTagsUpdate(string ListId, string Email, IReadOnlyList<string> Active, IReadOnlyList<string>? Inactive = null);

/// <summary>
/// Enters a contact into a Customer Journey at a step whose starting point is "API call"
/// (<c>POST /customer-journeys/journeys/{journey_id}/steps/{step_id}/actions/trigger</c>). The contact must be a member
/// of the journey's list.
/// </summary>
/// <param name="JourneyId">The journey's id. Required.</param>
/// <param name="StepId">The id of the journey's API-call starting step. Required.</param>
/// <param name="Email">The contact's email address. Required.</param>
public sealed record JourneyTrigger(string JourneyId, string StepId, string Email);

/// <summary>What a journey trigger did.</summary>
/// <param name="Email">The contact's email address.</param>
/// <param name="AlreadyInJourney">
/// <see langword="true"/> when Mailchimp answered that the contact is already in the journey: the trigger counts as
/// applied (nothing to repeat), and the contact was not entered again.
/// </param>
public sealed record JourneyTriggerResult(string Email, bool AlreadyInJourney);
