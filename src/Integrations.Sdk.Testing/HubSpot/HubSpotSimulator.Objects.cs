using Microsoft.AspNetCore.Http;

namespace Integrations.Sdk.Testing.HubSpot;

/// <summary>
/// The object model as HubSpot publishes it: which properties exist per object type, which a read returns, and the
/// <c>SimplePublicObject</c> JSON (<c>id</c>, <c>properties</c>, <c>createdAt</c>, <c>updatedAt</c>, <c>archived</c>,
/// <c>archivedAt</c>).
/// </summary>
public sealed partial class HubSpotSimulator
{
    /// <summary>
    /// HubSpot's own (default) properties of each object type the simulator serves, by internal name, from HubSpot's
    /// property documentation. A portal's custom properties come on top (<see cref="AddProperty"/>).
    /// </summary>
    private static readonly Dictionary<string, HashSet<string>> BuiltInProperties = new(StringComparer.Ordinal)
    {
        ["contacts"] = new(StringComparer.Ordinal)
        {
            "email", "firstname", "lastname", "phone", "mobilephone", "company", "website", "jobtitle", "address", "city",
            "state", "zip", "country", "lifecyclestage", "hs_lead_status", "hubspot_owner_id", "createdate",
            "lastmodifieddate", "hs_lastmodifieddate", "hs_object_id",
        },
        ["tasks"] = new(StringComparer.Ordinal)
        {
            "hs_task_subject", "hs_task_body", "hs_task_status", "hs_task_priority", "hs_task_type", "hs_timestamp",
            "hubspot_owner_id", "hs_createdate", "hs_lastmodifieddate", "hs_object_id",
        },
        ["deals"] = new(StringComparer.Ordinal)
        {
            "dealname", "dealstage", "pipeline", "amount", "closedate", "dealtype", "description", "hubspot_owner_id",
            "createdate", "hs_lastmodifieddate", "hs_object_id",
        },
    };

    /// <summary>
    /// What a read returns when it names no properties: for contacts and deals, the defaults HubSpot's search guide
    /// lists; for tasks, the identity and dates (assumed).
    /// </summary>
    private static readonly Dictionary<string, string[]> DefaultReadProperties = new(StringComparer.Ordinal)
    {
        ["contacts"] = ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"],
        ["tasks"] = ["hs_createdate", "hs_lastmodifieddate", "hs_object_id"],
        ["deals"] = ["amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate", "hs_object_id", "pipeline"],
    };

    private readonly Dictionary<string, HashSet<string>> _custom = new(StringComparer.Ordinal)
    {
        ["contacts"] = new(StringComparer.Ordinal),
        ["tasks"] = new(StringComparer.Ordinal),
        ["deals"] = new(StringComparer.Ordinal),
    };

    /// <summary>
    /// Creates a custom property on an object type, as a portal admin would in HubSpot's settings. Like HubSpot, the
    /// simulator refuses writes of properties that do not exist (400 <c>VALIDATION_ERROR</c>,
    /// <c>PROPERTY_DOESNT_EXIST</c>) and leaves them out of reads. HubSpot's own properties (<c>email</c>,
    /// <c>firstname</c>, <c>dealstage</c>, <c>hs_task_subject</c>...) exist already; properties given to
    /// <see cref="AddContact"/> and <see cref="AddDeal(string, string, decimal?, IReadOnlyDictionary{string, string?}?)"/> are created too.
    /// </summary>
    /// <param name="objectType"><c>contacts</c>, <c>tasks</c> or <c>deals</c>.</param>
    /// <param name="name">The property's internal name, for example <c>payment_status</c>.</param>
    /// <exception cref="ArgumentException">An object type the simulator does not serve, or a blank name.</exception>
    public void AddProperty(string objectType, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (Gate)
        {
            if (!_custom.TryGetValue(objectType, out var custom))
            {
                throw new ArgumentException($"The simulator serves {string.Join(", ", ObjectTypes)}, not '{objectType}'.", nameof(objectType));
            }

            custom.Add(name.Trim());
        }
    }

    private static string CreatedProperty(string type) => type == "tasks" ? "hs_createdate" : "createdate";

    private static string ModifiedProperty(string type) => type == "contacts" ? "lastmodifieddate" : "hs_lastmodifieddate";

    /// <summary>The properties every read returns whatever it asks for: the id and the two dates.</summary>
    private static IEnumerable<string> AlwaysReturned(string type) => ["hs_object_id", CreatedProperty(type), ModifiedProperty(type)];

    private void DefineAll(string type, IEnumerable<string> names)
    {
        foreach (var name in names.Where(n => !BuiltInProperties[type].Contains(n)))
        {
            _custom[type].Add(name);
        }
    }

    private bool PropertyExists(string type, string name) => BuiltInProperties[type].Contains(name) || _custom[type].Contains(name);

    /// <summary>A property's value; a contact's <c>hs_lastmodifieddate</c> is its <c>lastmodifieddate</c>.</summary>
    private static string? Read(SimObject o, string name) =>
        name == "hs_lastmodifieddate" && o.Type == "contacts"
            ? o.Properties.GetValueOrDefault("lastmodifieddate")
            : o.Properties.GetValueOrDefault(name);

    /// <summary>The <c>properties</c> query parameter: repeated, comma-separated, or both; <see langword="null"/> when absent.</summary>
    private static List<string>? AskedProperties(HttpContext context)
    {
        var values = context.Request.Query["properties"];
        if (values.Count == 0)
        {
            return null;
        }

        return [.. values.SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
    }

    /// <summary>
    /// A read: the asked properties that exist (an asked property without a value is <c>null</c>; one that does not
    /// exist is left out, as HubSpot does), else the type's defaults; plus the id and dates.
    /// </summary>
    private JsonObject ReadJson(SimObject o, IReadOnlyCollection<string>? asked)
    {
        var names = (asked is { Count: > 0 } ? asked.Where(n => PropertyExists(o.Type, n)) : DefaultReadProperties[o.Type]).Concat(AlwaysReturned(o.Type));
        return ToJson(o, names);
    }

    /// <summary>The answer to a write: every property with a value, plus the id and dates.</summary>
    private static JsonObject WriteJson(SimObject o, bool? isNew = null)
    {
        var json = ToJson(o, o.Properties.Where(p => p.Value is not null).Select(p => p.Key).Concat(AlwaysReturned(o.Type)));
        if (isNew is { } n)
        {
            json["new"] = n;
        }

        return json;
    }

    private static JsonObject ToJson(SimObject o, IEnumerable<string> names)
    {
        var properties = new JsonObject();
        foreach (var name in names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            properties[name] = Read(o, name);
        }

        var json = new JsonObject
        {
            ["id"] = o.Id,
            ["properties"] = properties,
            ["createdAt"] = Iso(o.CreatedAt),
            ["updatedAt"] = Iso(o.UpdatedAt),
            ["archived"] = o.ArchivedAt is not null,
        };
        if (o.ArchivedAt is { } archivedAt)
        {
            json["archivedAt"] = Iso(archivedAt);
        }

        return json;
    }

    /// <summary>HubSpot's answer to a write of properties that do not exist, or <see langword="null"/> when all exist.</summary>
    private Answer? UnknownProperties(string type, IEnumerable<string> names)
    {
        var unknown = names.Where(n => !PropertyExists(type, n)).Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count == 0)
        {
            return null;
        }

        var details = new JsonArray();
        var validation = new JsonArray();
        foreach (var name in unknown)
        {
            var text = $"Property \"{name}\" does not exist";
            validation.Add(new JsonObject
            {
                ["isValid"] = false,
                ["message"] = text,
                ["error"] = "PROPERTY_DOESNT_EXIST",
                ["name"] = name,
            });
            details.Add(new JsonObject
            {
                ["message"] = text,
                ["code"] = "PROPERTY_DOESNT_EXIST",
                ["in"] = name,
                ["context"] = new JsonObject { ["propertyName"] = new JsonArray(JsonValue.Create(name)) },
            });
        }

        var answer = Validation("Property values were not valid: " + validation.ToJsonString());
        answer.Body!["errors"] = details;
        return answer;
    }
}
