using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Integrations.Sdk.Testing.Trello;

public sealed partial class TrelloSimulator
{
    /// <summary>
    /// The card fields a read may name in <c>fields</c>: Trello's <c>CardFields</c> (trello-openapi.json), plus
    /// <c>start</c>, which the same spec lists among the defaults of <c>GET /cards/{id}</c>.
    /// </summary>
    private static readonly HashSet<string> CardFieldNames = new(StringComparer.Ordinal)
    {
        "id", "address", "badges", "checkItemStates", "closed", "coordinates", "creationMethod", "dueComplete",
        "dateLastActivity", "desc", "descData", "due", "dueReminder", "idBoard", "idChecklists", "idLabels", "idList",
        "idMembers", "idMembersVoted", "idShort", "idAttachmentCover", "labels", "limits", "locationName",
        "manualCoverAttachment", "name", "pos", "shortLink", "shortUrl", "subscribed", "url", "cover", "isTemplate", "start",
    };

    /// <summary>A card as Trello sends it, with every field of its Card object, then cut to <paramref name="options"/>.</summary>
    private JsonObject ReadCard(SimulatedTrelloCard card, CardReadOptions options)
    {
        var full = CardJson(card);
        JsonObject json;
        if (options.Fields is null)
        {
            json = full;
        }
        else
        {
            // Trello always sends the id, whatever fields asks for.
            json = new JsonObject { ["id"] = card.Id };
            foreach (var (name, value) in full.ToList())
            {
                if (options.Fields.Contains(name) && name != "id")
                {
                    full.Remove(name);
                    json[name] = value;
                }
            }
        }

        if (options.Members)
        {
            json["members"] = new JsonArray([.. card.IdMembers.Select(m => (JsonNode)MemberJson(m, options.MemberFields))]);
        }

        if (options.Attachments)
        {
            json["attachments"] = new JsonArray(); // The simulator keeps no attachments.
        }

        if (options.Board && _boards.TryGetValue(card.IdBoard, out var board))
        {
            json["board"] = BoardJson(board);
        }

        if (options.List && _lists.TryGetValue(card.IdList, out var list))
        {
            json["list"] = new JsonObject
            {
                ["id"] = list.Id,
                ["name"] = list.Name,
                ["closed"] = list.Closed,
                ["pos"] = list.Pos,
                ["softLimit"] = null,
                ["idBoard"] = list.IdBoard,
                ["subscribed"] = false,
            };
        }

        foreach (var empty in options.EmptyCollections)
        {
            json[empty] = new JsonArray();
        }

        return json;
    }

    private JsonObject MemberJson(string id, IReadOnlySet<string>? fields)
    {
        var fullName = id == MemberId ? MemberUsername : "Member " + id[^6..];
        var username = id == MemberId ? MemberUsername : "member" + id[^6..];
        var initials = string.Concat(fullName.Split([' ', '-'], StringSplitOptions.RemoveEmptyEntries).Take(2).Select(w => char.ToUpperInvariant(w[0])));
        var member = new JsonObject
        {
            ["id"] = id,
            ["activityBlocked"] = false,
            ["avatarHash"] = null,
            ["avatarUrl"] = null,
            ["fullName"] = fullName,
            ["idMemberReferrer"] = null,
            ["initials"] = initials,
            ["nonPublic"] = new JsonObject(),
            ["nonPublicAvailable"] = false,
            ["username"] = username,
        };
        if (fields is not null)
        {
            foreach (var name in member.Select(p => p.Key).ToList())
            {
                if (name != "id" && !fields.Contains(name))
                {
                    member.Remove(name);
                }
            }
        }

        return member;
    }

    private static JsonObject BoardJson(SimulatedTrelloBoard board) => new()
    {
        ["id"] = board.Id,
        ["name"] = board.Name,
        ["desc"] = string.Empty,
        ["descData"] = null,
        ["closed"] = false,
        ["idOrganization"] = null,
        ["idEnterprise"] = null,
        ["pinned"] = false,
        ["shortLink"] = board.ShortLink,
        ["shortUrl"] = board.ShortUrl,
        ["url"] = board.ShortUrl,
    };

    /// <summary>Every field of Trello's Card object (trello-openapi.json <c>#/components/schemas/Card</c>), with the values a plain card has.</summary>
    private static JsonObject CardJson(SimulatedTrelloCard card) => new()
    {
        ["id"] = card.Id,
        ["address"] = null,
        ["badges"] = new JsonObject
        {
            ["attachmentsByType"] = new JsonObject { ["trello"] = new JsonObject { ["board"] = 0, ["card"] = 0 } },
            ["externalSource"] = null,
            ["location"] = false,
            ["votes"] = 0,
            ["viewingMemberVoted"] = false,
            ["subscribed"] = false,
            ["fogbugz"] = string.Empty,
            ["checkItems"] = 0,
            ["checkItemsChecked"] = 0,
            ["checkItemsEarliestDue"] = null,
            ["comments"] = 0,
            ["attachments"] = 0,
            ["description"] = card.Desc.Length > 0,
            ["due"] = card.Due is { } badgeDue ? Date(badgeDue) : null,
            ["dueComplete"] = card.DueComplete,
            ["start"] = card.Start is { } badgeStart ? Date(badgeStart) : null,
        },
        ["checkItemStates"] = new JsonArray(),
        ["closed"] = card.Closed,
        ["coordinates"] = null,
        ["creationMethod"] = null,
        ["dueComplete"] = card.DueComplete,
        ["dateLastActivity"] = Date(card.DateLastActivity),
        ["desc"] = card.Desc,
        ["descData"] = new JsonObject { ["emoji"] = new JsonObject() },
        ["due"] = card.Due is { } due ? Date(due) : null,
        ["dueReminder"] = null,
        ["idBoard"] = card.IdBoard,
        ["idChecklists"] = new JsonArray(),
        ["idLabels"] = new JsonArray(),
        ["idList"] = card.IdList,
        ["idMembers"] = new JsonArray([.. card.IdMembers.Select(m => (JsonNode)JsonValue.Create(m))]),
        ["idMembersVoted"] = new JsonArray(),
        ["idShort"] = card.IdShort,
        ["idAttachmentCover"] = null,
        ["labels"] = new JsonArray(),
        ["limits"] = new JsonObject
        {
            ["attachments"] = new JsonObject
            {
                ["perCard"] = new JsonObject { ["status"] = "ok", ["disableAt"] = 1000, ["warnAt"] = 800 },
            },
            ["checklists"] = new JsonObject
            {
                ["perCard"] = new JsonObject { ["status"] = "ok", ["disableAt"] = 500, ["warnAt"] = 400 },
            },
            ["stickers"] = new JsonObject
            {
                ["perCard"] = new JsonObject { ["status"] = "ok", ["disableAt"] = 70, ["warnAt"] = 56 },
            },
        },
        ["locationName"] = null,
        ["manualCoverAttachment"] = false,
        ["name"] = card.Name,
        ["pos"] = card.Pos,
        ["shortLink"] = card.ShortLink,
        ["shortUrl"] = card.ShortUrl,
        ["start"] = card.Start is { } start ? Date(start) : null,
        ["subscribed"] = false,
        ["url"] = card.Url,
        ["cover"] = new JsonObject
        {
            ["idAttachment"] = null,
            ["color"] = null,
            ["idUploadedBackground"] = null,
            ["size"] = "normal",
            ["brightness"] = "dark",
            ["idPlugin"] = null,
        },
        ["isTemplate"] = false,
        ["cardRole"] = null,
    };

    /// <summary>
    /// The query parameters of a card read (<c>GET /cards/{id}</c> in trello-openapi.json; Trello also takes
    /// <c>fields</c> on <c>GET /lists/{id}/cards</c>), checked and honoured where the simulator has the data. Parameters
    /// the operation does not declare are ignored, as Trello does.
    /// </summary>
    private sealed record CardReadOptions(
        IReadOnlySet<string>? Fields,
        bool Members,
        IReadOnlySet<string>? MemberFields,
        bool Attachments,
        bool Board,
        bool List,
        IReadOnlyList<string> EmptyCollections)
    {
        public static bool TryParse(IQueryCollection query, out CardReadOptions options, out string invalid)
        {
            options = new CardReadOptions(null, false, null, false, false, false, []);
            invalid = string.Empty;
            HashSet<string>? fields = null;
            if (query.TryGetValue("fields", out var fieldsText) && !IsAll(fieldsText))
            {
                fields = Split(fieldsText);
                if (fields.Count == 0 || fields.Any(f => !CardFieldNames.Contains(f)))
                {
                    invalid = "invalid value for fields";
                    return false;
                }
            }

            var flags = new Dictionary<string, bool>(StringComparer.Ordinal);
            foreach (var name in new[] { "members", "membersVoted", "board", "list", "pluginData", "stickers", "customFieldItems", "checkItemStates" })
            {
                if (!Flag(query, name, out var value))
                {
                    invalid = $"invalid value for {name}";
                    return false;
                }

                flags[name] = value;
            }

            var attachments = false;
            if (query.TryGetValue("attachments", out var attachmentsText))
            {
                var text = attachmentsText.ToString();
                if (!bool.TryParse(text, out attachments) && !string.Equals(text, "cover", StringComparison.Ordinal))
                {
                    invalid = "invalid value for attachments";
                    return false;
                }

                attachments = attachments || text == "cover";
            }

            var checklists = query.TryGetValue("checklists", out var checklistsText) ? checklistsText.ToString() : "none";
            if (checklists is not ("all" or "none"))
            {
                invalid = "invalid value for checklists";
                return false;
            }

            var empty = new List<string>();
            if (checklists == "all")
            {
                empty.Add("checklists");
            }

            if (query.TryGetValue("actions", out var actions) && actions.ToString() is { Length: > 0 } actionsText && actionsText != "none")
            {
                empty.Add("actions");
            }

            empty.AddRange(new[] { "membersVoted", "pluginData", "stickers", "customFieldItems" }.Where(n => flags[n]));
            var memberFields = query.TryGetValue("member_fields", out var memberFieldsText) && !IsAll(memberFieldsText) ? Split(memberFieldsText) : null;
            options = new CardReadOptions(fields, flags["members"], memberFields, attachments, flags["board"], flags["list"], empty);
            return true;
        }

        private static bool IsAll(StringValues value) => string.Equals(value.ToString(), "all", StringComparison.Ordinal);

        private static HashSet<string> Split(StringValues value) =>
            value.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);

        private static bool Flag(IQueryCollection query, string name, out bool value)
        {
            value = false;
            return !query.TryGetValue(name, out var text) || bool.TryParse(text.ToString(), out value);
        }
    }
}
