namespace Integrations.Sdk.HubSpot.Models;

/// <summary>A CRM object as HubSpot returns it (<c>SimplePublicObject</c>): its id, string properties and timestamps.</summary>
public abstract class HubSpotObject
{
    /// <summary>The object's id (numeric, as a string).</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>The properties returned; HubSpot only returns those asked for (plus a few defaults).</summary>
    public Dictionary<string, string?> Properties { get; init; } = new(StringComparer.Ordinal);

    /// <summary>When the object was created.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When the object last changed.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Whether the object is archived (deleted).</summary>
    public bool Archived { get; init; }

    /// <summary>Returns a property's value, or <see langword="null"/> when absent or empty.</summary>
    /// <param name="name">The property's internal name, for example <c>email</c>.</param>
    public string? Property(string name) =>
        Properties.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    /// <summary>Reads a HubSpot date-time property (ISO 8601, or milliseconds since the epoch).</summary>
    private protected DateTimeOffset? DateProperty(string name) => Property(name) switch
    {
        null => null,
        var text when long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms),
        var text => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : null,
    };
}

/// <summary>A HubSpot contact.</summary>
public sealed class HubSpotContact : HubSpotObject
{
    /// <summary>The primary email (<c>email</c>), HubSpot's natural key for contacts.</summary>
    [JsonIgnore]
    public string? Email => Property("email");

    /// <summary>The first name (<c>firstname</c>).</summary>
    [JsonIgnore]
    public string? FirstName => Property("firstname");

    /// <summary>The last name (<c>lastname</c>).</summary>
    [JsonIgnore]
    public string? LastName => Property("lastname");

    /// <summary>Whether the last upsert created the contact (<c>new</c> in a batch/upsert answer); <see langword="null"/> elsewhere.</summary>
    public bool? New { get; init; }
}

/// <summary>A HubSpot task (an engagement).</summary>
public sealed class HubSpotTask : HubSpotObject
{
    /// <summary>The subject (<c>hs_task_subject</c>).</summary>
    [JsonIgnore]
    public string? Subject => Property("hs_task_subject");

    /// <summary>The body (<c>hs_task_body</c>); the connector ends it with its marker line.</summary>
    [JsonIgnore]
    public string? Body => Property("hs_task_body");

    /// <summary>The status (<c>hs_task_status</c>): <c>NOT_STARTED</c> or <c>COMPLETED</c>.</summary>
    [JsonIgnore]
    public string? Status => Property("hs_task_status");

    /// <summary>When the task is due (<c>hs_timestamp</c>).</summary>
    [JsonIgnore]
    public DateTimeOffset? DueAt => DateProperty("hs_timestamp");
}

/// <summary>A HubSpot deal.</summary>
public sealed class HubSpotDeal : HubSpotObject
{
    /// <summary>The name (<c>dealname</c>).</summary>
    [JsonIgnore]
    public string? Name => Property("dealname");

    /// <summary>The stage's internal id (<c>dealstage</c>), for example <c>closedwon</c>.</summary>
    [JsonIgnore]
    public string? Stage => Property("dealstage");

    /// <summary>The pipeline's internal id (<c>pipeline</c>).</summary>
    [JsonIgnore]
    public string? Pipeline => Property("pipeline");

    /// <summary>The amount (<c>amount</c>), when it is a number.</summary>
    [JsonIgnore]
    public decimal? Amount => decimal.TryParse(Property("amount"), NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) ? amount : null;

    /// <summary>The close date (<c>closedate</c>).</summary>
    [JsonIgnore]
    public DateTimeOffset? CloseDate => DateProperty("closedate");

    /// <summary>When the deal last changed (<c>hs_lastmodifieddate</c>): the deal source's checkpoint.</summary>
    [JsonIgnore]
    public DateTimeOffset? LastModifiedAt => DateProperty("hs_lastmodifieddate") ?? UpdatedAt;
}
