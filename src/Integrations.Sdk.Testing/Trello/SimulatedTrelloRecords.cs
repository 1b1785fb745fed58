namespace Integrations.Sdk.Testing.Trello;

/// <summary>A board held by the <see cref="TrelloSimulator"/>.</summary>
/// <param name="Id">Its id (24 hexadecimal characters).</param>
/// <param name="Name">Its name.</param>
/// <param name="ShortLink">Its short link (8 characters), as in <c>https://trello.com/b/{shortLink}</c>.</param>
public sealed record SimulatedTrelloBoard(string Id, string Name, string ShortLink)
{
    /// <summary>The board's short URL, <c>https://trello.com/b/{shortLink}</c>.</summary>
    public string ShortUrl => "https://trello.com/b/" + ShortLink;
}

/// <summary>A list held by the <see cref="TrelloSimulator"/>.</summary>
/// <param name="Id">Its id (24 hexadecimal characters).</param>
/// <param name="Name">Its name.</param>
/// <param name="IdBoard">The board it is on.</param>
/// <param name="Pos">Its position on the board.</param>
/// <param name="Closed">Whether it is archived.</param>
public sealed record SimulatedTrelloList(string Id, string Name, string IdBoard, double Pos, bool Closed = false);

/// <summary>A card held by the <see cref="TrelloSimulator"/>, with the fields of Trello's Card schema it keeps.</summary>
/// <param name="Id">Its id (24 hexadecimal characters).</param>
/// <param name="Name">Its name.</param>
/// <param name="Desc">Its description.</param>
/// <param name="IdList">The list it is in.</param>
/// <param name="IdBoard">The board of that list.</param>
/// <param name="IdMembers">The members added to it.</param>
/// <param name="Due">Its due date, if any.</param>
/// <param name="Closed">Whether it is archived.</param>
/// <param name="Pos">Its position in the list.</param>
/// <param name="IdShort">Its number on the board, from 1.</param>
/// <param name="ShortLink">Its short link (8 characters).</param>
/// <param name="DateLastActivity">When it last changed, on the simulator's clock.</param>
public sealed record SimulatedTrelloCard(
    string Id,
    string Name,
    string Desc,
    string IdList,
    string IdBoard,
    IReadOnlyList<string> IdMembers,
    DateTimeOffset? Due,
    bool Closed,
    double Pos,
    int IdShort,
    string ShortLink,
    DateTimeOffset DateLastActivity)
{
    /// <summary>Whether its due date is marked complete.</summary>
    public bool DueComplete { get; init; }

    /// <summary>Its start date, if any.</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>The card's short URL, <c>https://trello.com/c/{shortLink}</c>.</summary>
    public string ShortUrl => "https://trello.com/c/" + ShortLink;

    /// <summary>The card's URL, <c>https://trello.com/c/{shortLink}/{idShort}-{name as a slug}</c>.</summary>
    public string Url
    {
        get
        {
            var slug = new string([.. Name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
            while (slug.Contains("--", StringComparison.Ordinal))
            {
                slug = slug.Replace("--", "-", StringComparison.Ordinal);
            }

            return $"{ShortUrl}/{IdShort.ToString(System.Globalization.CultureInfo.InvariantCulture)}-{slug}";
        }
    }
}

/// <summary>A webhook registered on the <see cref="TrelloSimulator"/> (its callback answered the creation's HEAD with 200).</summary>
/// <param name="Id">Its id (24 hexadecimal characters).</param>
/// <param name="IdModel">The model it watches: a board, list, card or member id.</param>
/// <param name="CallbackUrl">The callback URL exactly as given at creation: it is part of what is signed.</param>
/// <param name="Description">Its description.</param>
/// <param name="Active">Whether it delivers.</param>
public sealed record SimulatedTrelloWebhook(string Id, string IdModel, string CallbackUrl, string Description, bool Active = true);

/// <summary>An action the <see cref="TrelloSimulator"/> recorded (for example <c>createCard</c>), to be delivered to the webhooks watching its models.</summary>
/// <param name="Id">Its id (24 hexadecimal characters).</param>
/// <param name="Type">Its type, for example <c>createCard</c>.</param>
/// <param name="Date">When it happened, on the simulator's clock.</param>
/// <param name="IdMemberCreator">The member who did it (the token's member).</param>
/// <param name="IdBoard">The board it happened on.</param>
/// <param name="IdList">The list it happened in.</param>
/// <param name="IdCard">The card it is about.</param>
/// <param name="Delivered">Whether <see cref="TrelloSimulator.DeliverWebhooksAsync"/> has sent it.</param>
public sealed record SimulatedTrelloAction(
    string Id,
    string Type,
    DateTimeOffset Date,
    string IdMemberCreator,
    string IdBoard,
    string IdList,
    string IdCard,
    bool Delivered = false);
