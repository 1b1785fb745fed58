namespace Integrations.Sdk.Trello.Models;

/// <summary>A Trello card, as the API answers it (the fields the connector reads).</summary>
public sealed class TrelloCard
{
    /// <summary>The card's id.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The card's title.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The card's description (Markdown).</summary>
    public string? Desc { get; set; }

    /// <summary>The list the card is on.</summary>
    public string IdList { get; set; } = string.Empty;

    /// <summary>The board the card is on.</summary>
    public string? IdBoard { get; set; }

    /// <summary>The members assigned to the card.</summary>
    public List<string> IdMembers { get; set; } = [];

    /// <summary>When the card is due, if set.</summary>
    public DateTimeOffset? Due { get; set; }

    /// <summary>Whether the card is archived.</summary>
    public bool Closed { get; set; }

    /// <summary>The card's address in Trello.</summary>
    public string? Url { get; set; }

    /// <summary>The last time anything happened on the card.</summary>
    public DateTimeOffset? DateLastActivity { get; set; }

    /// <summary>
    /// The fields Trello sent that this model does not type, by name: every other card field on a list's read (which
    /// answers all of them), the extra fields asked for on <see cref="TrelloConnector.GetCardAsync"/> (which names the
    /// fields it wants). For example <c>Extra["labels"]</c>.
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Extra { get; set; } = [];
}

/// <summary>A card to create.</summary>
/// <param name="ListId">The list to put it on. Required.</param>
/// <param name="Name">Its title. Required.</param>
/// <param name="Description">Its description; the connector appends its marker line to it.</param>
/// <param name="MemberIds">Members to assign.</param>
/// <param name="Due">When it is due.</param>
/// <param name="ExternalId">What makes it unique (a form response id); the step's idempotency key when absent.</param>
public sealed record CardDraft(
    string ListId, string Name, string? Description = null, IReadOnlyList<string>? MemberIds = null, DateTimeOffset? Due = null, string? ExternalId = null);
