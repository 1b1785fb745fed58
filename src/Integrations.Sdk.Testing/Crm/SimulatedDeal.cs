namespace Integrations.Sdk.Testing.Crm;

/// <summary>
/// A deal to seed into a simulated CRM (<c>HubSpotSimulator.AddDeal</c>, <c>SalesforceSimulator.AddDeal</c>): each CRM
/// simulator shows it in its own platform's shape (a HubSpot deal with associated contacts and company, a Salesforce
/// opportunity with its account and contact roles). The same deal can so be seeded into either CRM, for tests and
/// samples that must behave alike on both. A new deal starts in the first open stage of its pipeline.
/// </summary>
public sealed record SimulatedDeal
{
    /// <summary>The deal's name.</summary>
    public required string Name { get; init; }

    /// <summary>The amount, in the CRM's currency.</summary>
    public decimal? Amount { get; init; }

    /// <summary>The company (account) the deal is with; created in the CRM when new.</summary>
    public string? Company { get; init; }

    /// <summary>The owner's full name; a CRM user/owner is created when new.</summary>
    public string? Owner { get; init; }

    /// <summary>
    /// Which pipeline: 0 is the CRM's default one; 1 a second pipeline whose won stage has a made-up id and label (so
    /// only the stage metadata tells it is won). <value>Default: 0.</value>
    /// </summary>
    public int Pipeline { get; init; }

    /// <summary>The deal's contacts, the first one primary. A contact whose email is already in the CRM is that contact.</summary>
    public required IReadOnlyList<SimulatedDealContact> Contacts { get; init; }
}

/// <summary>A contact of a <see cref="SimulatedDeal"/>.</summary>
/// <param name="FirstName">The first name.</param>
/// <param name="LastName">The last name.</param>
/// <param name="Email">The email address, or <see langword="null"/> for a contact without one.</param>
public sealed record SimulatedDealContact(string FirstName, string LastName, string? Email);

/// <summary>Where a simulated deal is moved (<c>SetDealOutcome</c>).</summary>
public enum SimulatedDealOutcome
{
    /// <summary>The first open stage of the deal's pipeline (a reopened deal).</summary>
    Open,

    /// <summary>The pipeline's won stage.</summary>
    Won,

    /// <summary>The pipeline's lost stage.</summary>
    Lost,
}
