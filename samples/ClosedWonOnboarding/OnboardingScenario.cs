using Integrations.Sdk.Testing.Crm;

namespace ClosedWonOnboarding;

/// <summary>Where the sample's deals live while the scenario moves them: a CRM simulator (or a fake, in tests).</summary>
public interface IScenarioCrm
{
    /// <summary>Seeds a deal (in the first open stage of its pipeline) and returns its id.</summary>
    /// <param name="deal">The deal.</param>
    string AddDeal(SimulatedDeal deal);

    /// <summary>Moves a deal to its pipeline's open, won or lost stage.</summary>
    /// <param name="dealId">The deal's id.</param>
    /// <param name="outcome">Where to.</param>
    void SetDealOutcome(string dealId, SimulatedDealOutcome outcome);
}

/// <summary>One deal of the scenario and what happens to it, round by round.</summary>
/// <param name="Number">Its number, from 1.</param>
/// <param name="Deal">The deal as seeded.</param>
/// <param name="Story">What happens to it, in words.</param>
/// <param name="Moves">Where it is moved in each round (index 0 is round 1); <see langword="null"/>: not moved.</param>
public sealed record ScenarioDeal(int Number, SimulatedDeal Deal, string Story, IReadOnlyList<SimulatedDealOutcome?> Moves)
{
    /// <summary>Whether the deal is won at some point (its contacts must then be onboarded).</summary>
    public bool WonAtSomePoint => Moves.Contains(SimulatedDealOutcome.Won);
}

/// <summary>
/// The sample's deterministic CRM: about 40 deals with one to three contacts each, moved over <see cref="Rounds"/>
/// rounds: won, lost, reopened and won again, lost then reopened and won, won then lost, never closed; some in the
/// second pipeline (won stage "Signed"); some contacts without an email; contacts on two won deals; emails in mixed
/// case. All moves of a round share one timestamp (the sample freezes the CRM's clock while it makes them), so the
/// change feed has many changes per stamp.
/// </summary>
public sealed class OnboardingScenario
{
    /// <summary>Rounds of moves after the seeding (round 0).</summary>
    public const int Rounds = 4;

    private static readonly string[] FirstNames = ["Ada", "Grace", "Alan", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances", "Edsger", "Radia", "Donald", "Hedy", "Niklaus", "Katherine"];
    private static readonly string[] LastNames = ["Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie", "Allen", "Dijkstra", "Perlman", "Knuth", "Lamarr", "Wirth", "Johnson"];
    private static readonly string[] Companies = ["Acme Corp", "Globex", "Initech", "Umbrella Health", "Stark Industries", "Wayne Logistics", "Hooli", "Vandelay Imports", "Soylent Foods", "Tyrell Systems", "Cyberdyne", "Wonka Confections"];
    private static readonly string[] Owners = ["Sam Seller", "Rita Rainmaker", "Carl Closer", "Olga Opportunity"];

    private static readonly (string Story, SimulatedDealOutcome?[] Moves)[] Stories =
    [
        ("won", [SimulatedDealOutcome.Won, null, null, null]),
        ("won, reopened, won again", [SimulatedDealOutcome.Won, SimulatedDealOutcome.Open, SimulatedDealOutcome.Won, null]),
        ("lost", [SimulatedDealOutcome.Lost, null, null, null]),
        ("won later", [null, SimulatedDealOutcome.Won, null, null]),
        ("never closed", [null, null, null, null]),
        ("won, then lost", [SimulatedDealOutcome.Won, null, SimulatedDealOutcome.Lost, null]),
        ("lost, reopened, won", [null, SimulatedDealOutcome.Lost, SimulatedDealOutcome.Open, SimulatedDealOutcome.Won]),
        ("won late", [null, null, SimulatedDealOutcome.Won, null]),
        ("won last", [null, null, null, SimulatedDealOutcome.Won]),
        ("won, reopened, won again later", [null, SimulatedDealOutcome.Won, SimulatedDealOutcome.Open, SimulatedDealOutcome.Won]),
    ];

    private OnboardingScenario(IReadOnlyList<ScenarioDeal> deals) => Deals = deals;

    /// <summary>The deals, in seeding order.</summary>
    public IReadOnlyList<ScenarioDeal> Deals { get; }

    /// <summary>
    /// The journey entries the CRM's data asks for: the distinct lower-cased emails of the contacts of deals that are
    /// won at some point. Computed from the seed, not through the sync.
    /// </summary>
    public int ExpectedJourneys => EmailsOfWonDeals().Count;

    /// <summary>Contacts without an email on deals won at some point (each is dead-lettered when its deal is read won).</summary>
    public int ContactsWithoutEmailOnWonDeals => Deals.Where(d => d.WonAtSomePoint).Sum(d => d.Deal.Contacts.Count(c => c.Email is null));

    /// <summary>Deals reopened after a win and won again.</summary>
    public int ReopenedAndWonAgain => Deals.Count(d => d.Moves.Count(m => m == SimulatedDealOutcome.Won) > 1);

    /// <summary>Lower-cased emails on two or more deals won at some point.</summary>
    public int ContactsOnSeveralWonDeals => Deals.Where(d => d.WonAtSomePoint)
        .SelectMany(d => d.Deal.Contacts.Where(c => c.Email is not null).Select(c => Onboarding.NormalizeEmail(c.Email!)).Distinct())
        .GroupBy(e => e).Count(g => g.Count() > 1);

    /// <summary>Generates the scenario; the same arguments give the same deals.</summary>
    /// <param name="deals">How many deals. <value>Default: 40.</value></param>
    /// <param name="seed">Seeds names, amounts and contacts.</param>
    public static OnboardingScenario Generate(int deals = 40, int seed = 42)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(deals, 10);
        var random = new Random(seed);
        var result = new List<ScenarioDeal>(deals);
        var contactNumber = 0;
        for (var i = 0; i < deals; i++)
        {
            var (story, moves) = Stories[i % Stories.Length];
            var company = Companies[random.Next(Companies.Length)];
            var domain = company.Split(' ')[0].ToLowerInvariant() + ".example";
            var contacts = new List<SimulatedDealContact>();
            var count = 1 + random.Next(3);
            for (var c = 0; c < count; c++)
            {
                contactNumber++;
                var first = FirstNames[random.Next(FirstNames.Length)];
                var last = LastNames[random.Next(LastNames.Length)];
                // Every 7th contact has no email; others alternate mixed case and lower case, as people type them.
                string? email = contactNumber % 7 == 0 ? null
                    : contactNumber % 2 == 0 ? $"{first}.{last}{contactNumber}@{domain}" : $"{first}.{last}{contactNumber}@{domain}".ToLowerInvariant();
                contacts.Add(new SimulatedDealContact(first, last, email));
            }

            // Every deal "won later" (story 3) also names the primary contact of the deal won three deals before it
            // (story 0): the same CRM contact on two won deals.
            if (i % Stories.Length == 3 && result[i - 3].Deal.Contacts.FirstOrDefault(c => c.Email is not null) is { } shared)
            {
                contacts.Add(shared);
            }

            var deal = new SimulatedDeal
            {
                Name = $"{company} - deal {i + 1}",
                Amount = 1_000m + (random.Next(1, 60) * 250m),
                Company = company,
                Owner = Owners[random.Next(Owners.Length)],
                Pipeline = i % 4 == 3 ? 1 : 0,
                Contacts = contacts,
            };
            result.Add(new ScenarioDeal(i + 1, deal, story, moves));
        }

        return new OnboardingScenario(result);
    }

    /// <summary>The distinct lower-cased emails of contacts on deals won at some point.</summary>
    public IReadOnlySet<string> EmailsOfWonDeals() => Deals.Where(d => d.WonAtSomePoint)
        .SelectMany(d => d.Deal.Contacts)
        .Where(c => c.Email is not null)
        .Select(c => Onboarding.NormalizeEmail(c.Email!))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>Seeds every deal (round 0) and returns their ids, in seeding order.</summary>
    /// <param name="crm">The CRM.</param>
    public IReadOnlyList<string> Seed(IScenarioCrm crm)
    {
        ArgumentNullException.ThrowIfNull(crm);
        return [.. Deals.Select(d => crm.AddDeal(d.Deal))];
    }

    /// <summary>Makes the moves of one round and says what they were.</summary>
    /// <param name="crm">The CRM.</param>
    /// <param name="ids">The deals' ids, from <see cref="Seed"/>.</param>
    /// <param name="round">The round, 1 to <see cref="Rounds"/>.</param>
    public RoundMoves Move(IScenarioCrm crm, IReadOnlyList<string> ids, int round)
    {
        ArgumentNullException.ThrowIfNull(crm);
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentOutOfRangeException.ThrowIfLessThan(round, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(round, Rounds);
        int won = 0, lost = 0, reopened = 0;
        for (var i = 0; i < Deals.Count; i++)
        {
            if (Deals[i].Moves[round - 1] is not { } outcome)
            {
                continue;
            }

            crm.SetDealOutcome(ids[i], outcome);
            _ = outcome switch
            {
                SimulatedDealOutcome.Won => won++,
                SimulatedDealOutcome.Lost => lost++,
                _ => reopened++,
            };
        }

        return new RoundMoves(round, won, lost, reopened);
    }
}

/// <summary>The moves of one round.</summary>
/// <param name="Round">The round.</param>
/// <param name="Won">Deals moved to their won stage.</param>
/// <param name="Lost">Deals moved to their lost stage.</param>
/// <param name="Reopened">Deals moved back to an open stage.</param>
public sealed record RoundMoves(int Round, int Won, int Lost, int Reopened)
{
    /// <inheritdoc />
    public override string ToString() => $"{Won} won, {Lost} lost, {Reopened} reopened";
}
