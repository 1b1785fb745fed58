namespace Integrations.Sdk.Testing.Salesforce;

/// <summary>The field types the simulator models (Salesforce's describe types, simplified).</summary>
internal enum SfType
{
    Id,
    String,
    Email,
    Picklist,
    Boolean,
    Currency,
    Double,
    Date,
    DateTime,
    Reference,
}

/// <summary>One field of an sObject: its API name, type, whether the API may create or update it, and for a lookup its target and relationship name.</summary>
internal sealed record SfField(string Name, SfType Type, bool Createable = true, bool Updateable = true, bool Required = false, string? ReferenceTo = null, string? RelationshipName = null, bool ExternalId = false);

/// <summary>A parent relationship (<c>Account</c> of <c>Opportunity.AccountId</c>).</summary>
internal sealed record SfRelationship(string Name, string Field, string Target);

/// <summary>An sObject type: its API name, key prefix and fields.</summary>
internal sealed class SfObject(string name, string keyPrefix, IReadOnlyList<SfField> fields, bool createable = true)
{
    private readonly Dictionary<string, SfField> _fields = fields.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    public string Name { get; } = name;

    public string KeyPrefix { get; } = keyPrefix;

    public bool Createable { get; } = createable;

    public IReadOnlyList<SfField> Fields { get; } = fields;

    public SfField? Field(string name) => _fields.GetValueOrDefault(name);

    public SfRelationship? Relationship(string name)
    {
        var field = Fields.FirstOrDefault(f => string.Equals(f.RelationshipName, name, StringComparison.OrdinalIgnoreCase));
        return field is null ? null : new SfRelationship(field.RelationshipName!, field.Name, field.ReferenceTo!);
    }
}

/// <summary>
/// The objects the simulator serves, with the standard fields Salesforce's Object Reference lists for them (a subset)
/// and one custom external-id field, <c>External_Id__c</c>, on Account, Contact and Opportunity (an org's own
/// addition: standard objects have no external-id field of their own).
/// </summary>
internal static class SalesforceSchema
{
    public static readonly IReadOnlyDictionary<string, SfObject> Objects = Build();

    private static Dictionary<string, SfObject> Build()
    {
        static List<SfField> WithSystemFields(params SfField[] own) =>
        [
            new("Id", SfType.Id, Createable: false, Updateable: false),
            new("IsDeleted", SfType.Boolean, Createable: false, Updateable: false),
            .. own,
            new("CreatedDate", SfType.DateTime, Createable: false, Updateable: false),
            new("CreatedById", SfType.Reference, Createable: false, Updateable: false, ReferenceTo: "User", RelationshipName: "CreatedBy"),
            new("LastModifiedDate", SfType.DateTime, Createable: false, Updateable: false),
            new("LastModifiedById", SfType.Reference, Createable: false, Updateable: false, ReferenceTo: "User", RelationshipName: "LastModifiedBy"),
            new("SystemModstamp", SfType.DateTime, Createable: false, Updateable: false),
        ];

        var objects = new SfObject[]
        {
            new("User", "005", WithSystemFields(
                new("Username", SfType.String, Required: true),
                new("FirstName", SfType.String),
                new("LastName", SfType.String, Required: true),
                new("Name", SfType.String, Createable: false, Updateable: false),
                new("Email", SfType.Email, Required: true),
                new("Alias", SfType.String),
                new("IsActive", SfType.Boolean)), createable: false),
            new("Account", "001", WithSystemFields(
                new("Name", SfType.String, Required: true),
                new("Type", SfType.Picklist),
                new("Industry", SfType.Picklist),
                new("Website", SfType.String),
                new("OwnerId", SfType.Reference, ReferenceTo: "User", RelationshipName: "Owner"),
                new("External_Id__c", SfType.String, ExternalId: true))),
            new("Contact", "003", WithSystemFields(
                new("FirstName", SfType.String),
                new("LastName", SfType.String, Required: true),
                new("Name", SfType.String, Createable: false, Updateable: false),
                new("Email", SfType.Email),
                new("Phone", SfType.String),
                new("Title", SfType.String),
                new("AccountId", SfType.Reference, ReferenceTo: "Account", RelationshipName: "Account"),
                new("OwnerId", SfType.Reference, ReferenceTo: "User", RelationshipName: "Owner"),
                new("External_Id__c", SfType.String, ExternalId: true))),
            new("Opportunity", "006", WithSystemFields(
                new("Name", SfType.String, Required: true),
                new("StageName", SfType.Picklist, Required: true),
                new("CloseDate", SfType.Date, Required: true),
                new("Amount", SfType.Currency),
                new("Probability", SfType.Double),
                new("IsClosed", SfType.Boolean, Createable: false, Updateable: false),
                new("IsWon", SfType.Boolean, Createable: false, Updateable: false),
                new("ForecastCategoryName", SfType.Picklist, Createable: false, Updateable: false),
                new("Type", SfType.Picklist),
                new("LeadSource", SfType.Picklist),
                new("Description", SfType.String),
                new("AccountId", SfType.Reference, ReferenceTo: "Account", RelationshipName: "Account"),
                new("OwnerId", SfType.Reference, ReferenceTo: "User", RelationshipName: "Owner"),
                new("External_Id__c", SfType.String, ExternalId: true))),
            new("OpportunityContactRole", "00K", WithSystemFields(
                new("OpportunityId", SfType.Reference, Required: true, Updateable: false, ReferenceTo: "Opportunity", RelationshipName: "Opportunity"),
                new("ContactId", SfType.Reference, Required: true, ReferenceTo: "Contact", RelationshipName: "Contact"),
                new("Role", SfType.Picklist),
                new("IsPrimary", SfType.Boolean))),
            new("OpportunityStage", "01J", WithSystemFields(
                new("MasterLabel", SfType.String, Createable: false, Updateable: false),
                new("ApiName", SfType.String, Createable: false, Updateable: false),
                new("IsActive", SfType.Boolean, Createable: false, Updateable: false),
                new("IsClosed", SfType.Boolean, Createable: false, Updateable: false),
                new("IsWon", SfType.Boolean, Createable: false, Updateable: false),
                new("DefaultProbability", SfType.Double, Createable: false, Updateable: false),
                new("SortOrder", SfType.Double, Createable: false, Updateable: false),
                new("ForecastCategoryName", SfType.Picklist, Createable: false, Updateable: false),
                new("Description", SfType.String, Createable: false, Updateable: false)), createable: false),
        };
        return objects.ToDictionary(o => o.Name, StringComparer.OrdinalIgnoreCase);
    }
}
