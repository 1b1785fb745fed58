using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.Crm;
using Integrations.Sdk.Testing.HubSpot;
using Integrations.Sdk.Testing.MailchimpMarketing;
using Integrations.Sdk.Testing.Salesforce;

namespace ClosedWonOnboarding;

/// <summary>What the simulated Mailchimp holds.</summary>
/// <param name="Members">Audience members.</param>
/// <param name="Tagged">Members tagged <c>onboarding</c>.</param>
/// <param name="Journeys">Journey entries (contacts entered, all journeys).</param>
/// <param name="Duplicates">Entries of a contact into a journey step it had entered before.</param>
public sealed record MailchimpFigures(int Members, int Tagged, int Journeys, int Duplicates)
{
    /// <summary>The output line: <c>simulator: members=N tagged=N journeys=N duplicates=N</c>.</summary>
    public override string ToString() => $"simulator: members={Members} tagged={Tagged} journeys={Journeys} duplicates={Duplicates}";
}

/// <summary>
/// The offline platforms: the chosen CRM's simulator (HubSpot or Salesforce, on <see cref="ScenarioClock"/>) and the
/// Mailchimp Marketing simulator, on 127.0.0.1, with the audience, its merge fields and the onboarding journey set up.
/// They start empty each time: the sample seeds the CRM and plays the scenario on every run.
/// </summary>
public sealed class OfflinePlatforms : IAsyncDisposable, IScenarioCrm
{
    /// <summary>Where contacts go in the simulated Mailchimp.</summary>
    public static readonly OnboardingSettings Settings = new(ListId: "a1b2c3d4e5", JourneyId: "5120", StepId: "20773");

    /// <summary>The simulated Mailchimp account's API key (<c>key-dc</c>).</summary>
    public const string MailchimpApiKey = "0c4ff2a19d6b7e33a85f01c2d9e4b6a7-us21";

    /// <summary>The simulated Salesforce connected app's consumer key.</summary>
    public const string SalesforceClientId = "3MVG9sample.closed.won.onboarding";

    /// <summary>The simulated Salesforce connected app's consumer secret.</summary>
    public const string SalesforceClientSecret = "sample-salesforce-consumer-secret";

    private OfflinePlatforms(string crm, SimulatorHost crmSimulator, MailchimpMarketingSimulator mailchimp, ScenarioClock clock)
    {
        Crm = crm;
        CrmSimulator = crmSimulator;
        Mailchimp = mailchimp;
        Clock = clock;
    }

    /// <summary>The CRM's connector name: <c>hubspot</c> or <c>salesforce</c>.</summary>
    public string Crm { get; }

    /// <summary>The simulated CRM.</summary>
    public SimulatorHost CrmSimulator { get; }

    /// <summary>The simulated HubSpot portal (when the CRM is HubSpot).</summary>
    public HubSpotSimulator HubSpot => CrmSimulator as HubSpotSimulator ?? throw new InvalidOperationException($"The CRM is {Crm}, not HubSpot.");

    /// <summary>The simulated Salesforce org (when the CRM is Salesforce).</summary>
    public SalesforceSimulator Salesforce => CrmSimulator as SalesforceSimulator ?? throw new InvalidOperationException($"The CRM is {Crm}, not Salesforce.");

    /// <summary>The simulated Mailchimp account.</summary>
    public MailchimpMarketingSimulator Mailchimp { get; }

    /// <summary>The CRM's clock.</summary>
    public ScenarioClock Clock { get; }

    /// <summary>Deals in the CRM.</summary>
    public int DealCount => CrmSimulator is HubSpotSimulator hubSpot ? hubSpot.DealCount : Salesforce.DealCount;

    /// <summary>Starts the simulators with random faults (every kind, every endpoint, both simulators).</summary>
    /// <param name="crm"><c>hubspot</c> or <c>salesforce</c>.</param>
    /// <param name="seed">Seeds the faults.</param>
    /// <param name="faultRate">Share of requests that fail, 0 to 1.</param>
    /// <param name="cancellationToken">Cancels starting.</param>
    public static async Task<OfflinePlatforms> StartAsync(string crm, int seed, double faultRate, CancellationToken cancellationToken = default)
    {
        if (!SampleOptions.Crms.Contains(crm, StringComparer.Ordinal))
        {
            throw new ArgumentException($"crm must be {string.Join(" or ", SampleOptions.Crms)}, not '{crm}'.", nameof(crm));
        }

        var clock = new ScenarioClock(daysBack: OnboardingScenario.Rounds + 2);
        SimulatorHost crmSimulator = crm == "hubspot"
            ? new HubSpotSimulator(clock, seed)
            : new SalesforceSimulator(clock, seed) { ClientId = SalesforceClientId, ClientSecret = SalesforceClientSecret };
        var mailchimp = new MailchimpMarketingSimulator(seed: seed + 1) { DataCenter = MailchimpApiKey[(MailchimpApiKey.LastIndexOf('-') + 1)..], ApiKey = MailchimpApiKey };
        mailchimp.AddList(Settings.ListId, "Customers");
        foreach (var (tag, type) in OnboardingSettings.ExtraMergeFields)
        {
            mailchimp.AddMergeField(Settings.ListId, tag, type);
        }

        mailchimp.AddJourney(Settings.JourneyId, Settings.StepId, Settings.ListId);
        var platforms = new OfflinePlatforms(crm, crmSimulator, mailchimp, clock);
        foreach (var simulator in new[] { crmSimulator, mailchimp })
        {
            simulator.Faults.Latency = TimeSpan.FromMilliseconds(50);
            simulator.Faults.Hang = TimeSpan.FromSeconds(2);
            simulator.Faults.RetryAfter = TimeSpan.FromMilliseconds(200);
            simulator.Faults.SetRandom(faultRate, seed);
            await simulator.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        return platforms;
    }

    /// <inheritdoc />
    public string AddDeal(SimulatedDeal deal) => CrmSimulator is HubSpotSimulator hubSpot ? hubSpot.AddDeal(deal) : Salesforce.AddDeal(deal);

    /// <inheritdoc />
    public void SetDealOutcome(string dealId, SimulatedDealOutcome outcome)
    {
        if (CrmSimulator is HubSpotSimulator hubSpot)
        {
            hubSpot.SetDealOutcome(dealId, outcome);
        }
        else
        {
            Salesforce.SetDealOutcome(dealId, outcome);
        }
    }

    /// <summary>What the simulated Mailchimp holds now.</summary>
    public MailchimpFigures ReadMailchimp() => new(
        Mailchimp.MemberCount, Mailchimp.TaggedCount(Settings.Tag), Mailchimp.JourneyEntries, Mailchimp.DuplicateJourneyEntries);

    /// <summary>
    /// Whether a contact is in the onboarding journey: what a person reads in Mailchimp's journey report to resolve an
    /// ambiguous trigger (offline, the simulator's record of who entered).
    /// </summary>
    /// <param name="email">The contact's email.</param>
    public bool IsInJourney(string email) =>
        Mailchimp.JourneyContacts(Settings.JourneyId, Settings.StepId).Contains(Onboarding.NormalizeEmail(email), StringComparer.Ordinal);

    /// <summary>
    /// Saves both simulators next to the state file (<c>{state}.crm.json</c>, <c>{state}.mailchimp.json</c>), so a
    /// later run of the sample finds the same CRM and the same Mailchimp account, as it would find real ones.
    /// </summary>
    /// <param name="statePath">The SQLite state file's path.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    public async Task SaveAsync(string statePath, CancellationToken cancellationToken = default)
    {
        var (crmFile, mailchimpFile) = Files(statePath);
        await (CrmSimulator is HubSpotSimulator hubSpot ? hubSpot.SaveAsync(crmFile, cancellationToken) : Salesforce.SaveAsync(crmFile, cancellationToken)).ConfigureAwait(false);
        await Mailchimp.SaveAsync(mailchimpFile, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Loads both simulators from an earlier run's files, when there are; the clock then runs at today's time.</summary>
    /// <param name="statePath">The SQLite state file's path.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>Whether an earlier run's simulators were loaded.</returns>
    public async Task<bool> TryLoadAsync(string statePath, CancellationToken cancellationToken = default)
    {
        var (crmFile, mailchimpFile) = Files(statePath);
        if (!File.Exists(crmFile) || !File.Exists(mailchimpFile))
        {
            return false;
        }

        await (CrmSimulator is HubSpotSimulator hubSpot ? hubSpot.LoadAsync(crmFile, cancellationToken) : Salesforce.LoadAsync(crmFile, cancellationToken)).ConfigureAwait(false);
        await Mailchimp.LoadAsync(mailchimpFile, cancellationToken).ConfigureAwait(false);
        Clock.ToPresent();
        return true;
    }

    private (string Crm, string Mailchimp) Files(string statePath) => ($"{statePath}.{Crm}.json", $"{statePath}.mailchimp.json");

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await CrmSimulator.DisposeAsync().ConfigureAwait(false);
        await Mailchimp.DisposeAsync().ConfigureAwait(false);
    }
}
