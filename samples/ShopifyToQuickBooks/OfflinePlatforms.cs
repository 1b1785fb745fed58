using System.Globalization;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.QuickBooks;
using Integrations.Sdk.Testing.Shopify;

namespace ShopifyToQuickBooks;

/// <summary>
/// The offline stand-ins for Shopify and QuickBooks: the SDK's simulators on 127.0.0.1, seeded once with a
/// realistic shop and kept in files beside the state database, so a second run finds what the first created.
/// </summary>
public sealed class OfflinePlatforms : IAsyncDisposable
{
    /// <summary>SKUs sold in the shop but not (yet) set up as QuickBooks items: their orders are dead-lettered.</summary>
    public static readonly IReadOnlyList<string> NewSkus = ["SKU-NEW-1", "SKU-NEW-2"];

    /// <summary>The simulated company's request limit per second (Intuit's is 10; raised so the demo is quick).</summary>
    public const int QuickBooksRequestsPerSecond = 100;

    private static readonly (string Sku, string Title, decimal Price)[] Catalog =
    [
        ("SKU-TEE-S", "Organic tee S", 24m), ("SKU-TEE-M", "Organic tee M", 24m), ("SKU-TEE-L", "Organic tee L", 24m),
        ("SKU-HOOD-M", "Hoodie M", 59m), ("SKU-HOOD-L", "Hoodie L", 59m), ("SKU-CAP", "Cap", 18m),
        ("SKU-MUG", "Mug", 14m), ("SKU-TOTE", "Tote bag", 16m), ("SKU-SOCK", "Socks", 9m), ("SKU-GIFT", "Gift wrap", 4m),
    ];

    private static readonly string[] FirstNames = ["Ada", "Grace", "Alan", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances", "Edsger"];
    private static readonly string[] LastNames = ["Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie", "Allen", "Dijkstra"];

    private readonly string _shopifyFile;
    private readonly string _quickBooksFile;

    private OfflinePlatforms(ShopifySimulator shopify, QuickBooksSimulator quickBooks, string statePath, string? initialRefreshToken)
    {
        Shopify = shopify;
        QuickBooks = quickBooks;
        InitialRefreshToken = initialRefreshToken;
        (_shopifyFile, _quickBooksFile) = Files(statePath);
    }

    /// <summary>The simulated shop.</summary>
    public ShopifySimulator Shopify { get; }

    /// <summary>The simulated QuickBooks company.</summary>
    public QuickBooksSimulator QuickBooks { get; }

    /// <summary>The refresh token of the first run (the authorization flow's result); later runs use the token store.</summary>
    public string? InitialRefreshToken { get; }

    /// <summary>Where the simulators listen and the credentials they accept (they must be started).</summary>
    public SimulatedEndpoints Endpoints => new()
    {
        ShopDomain = Shopify.Options.ShopDomain,
        ShopifyAccessToken = Shopify.Options.AccessToken,
        ShopifyBaseAddress = Shopify.BaseAddress,
        RealmId = QuickBooks.RealmId,
        ClientId = QuickBooks.ClientId,
        ClientSecret = QuickBooks.ClientSecret,
        InitialRefreshToken = InitialRefreshToken,
        QuickBooksBaseAddress = QuickBooks.BaseAddress,
        TokenEndpoint = QuickBooks.TokenEndpoint,
    };

    /// <summary>Paid orders whose every SKU is a QuickBooks item: each must end as exactly one invoice.</summary>
    public int PaidOrdersWithKnownSkus => Shopify.Orders.Count(o => o.FinancialStatus == "PAID" && o.LineItems.All(l => IsKnown(l.Sku)));

    /// <summary>Paid orders with a SKU QuickBooks does not know: dead-lettered until the item is added.</summary>
    public int PaidOrdersWithUnknownSkus => Shopify.Orders.Count(o => o.FinancialStatus == "PAID" && !o.LineItems.All(l => IsKnown(l.Sku)));

    /// <summary>Opens the platforms of <paramref name="statePath"/>: loads them if an earlier run saved them, else seeds new ones.</summary>
    public static async Task<OfflinePlatforms> OpenAsync(string statePath, int orders, int seed, double faultRate, CancellationToken cancellationToken = default)
    {
        var (shopifyFile, quickBooksFile) = Files(statePath);
        OfflinePlatforms platforms;
        if (File.Exists(shopifyFile) && File.Exists(quickBooksFile))
        {
            var shopify = await ShopifySimulator.LoadAsync(shopifyFile, seed: seed, cancellationToken: cancellationToken).ConfigureAwait(false);
            var quickBooks = new QuickBooksSimulator(seed: seed);
            await quickBooks.LoadAsync(quickBooksFile, cancellationToken).ConfigureAwait(false);
            platforms = new OfflinePlatforms(shopify, quickBooks, statePath, initialRefreshToken: null);
        }
        else
        {
            // A Shopify Plus store's bucket (1,000 points a second): the standard plan's 100 would make the demo wait.
            var shopify = new ShopifySimulator(new ShopifySimulatorOptions { MaximumAvailable = 20_000, RestoreRate = 1_000 }, seed: seed);
            var quickBooks = new QuickBooksSimulator(seed: seed);
            Seed(shopify, quickBooks, orders, seed);
            platforms = new OfflinePlatforms(shopify, quickBooks, statePath, quickBooks.IssueRefreshToken());
        }

        platforms.QuickBooks.RequestsPerSecond = QuickBooksRequestsPerSecond;
        platforms.QuickBooks.RequestsPerMinute = QuickBooksRequestsPerSecond * 60;
        foreach (var simulator in new SimulatorHost[] { platforms.Shopify, platforms.QuickBooks })
        {
            simulator.Faults.Latency = TimeSpan.FromMilliseconds(50);
            simulator.Faults.Hang = TimeSpan.FromSeconds(2);
            simulator.Faults.SetRandom(faultRate, seed);
            await simulator.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        return platforms;
    }

    /// <summary>Adds the missing SKUs to QuickBooks, as a bookkeeper would before replaying the dead letters.</summary>
    public void AddMissingItems()
    {
        foreach (var sku in NewSkus.Where(s => !IsKnown(s)))
        {
            QuickBooks.AddItem(sku, $"New product {sku}", quantityOnHand: 100, unitPrice: 30m);
        }
    }

    /// <summary>Saves both platforms beside the state database.</summary>
    public async Task SaveAsync(CancellationToken cancellationToken = default)
    {
        await Shopify.SaveAsync(_shopifyFile, cancellationToken).ConfigureAwait(false);
        await QuickBooks.SaveAsync(_quickBooksFile, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Shopify.DisposeAsync().ConfigureAwait(false);
        await QuickBooks.DisposeAsync().ConfigureAwait(false);
    }

    private bool IsKnown(string? sku) => sku is not null && QuickBooks.Items.Any(i => i.Sku == sku);

    private static (string Shopify, string QuickBooks) Files(string statePath)
    {
        var full = Path.GetFullPath(statePath);
        return (full + ".shopify.json", full + ".quickbooks.json");
    }

    /// <summary>
    /// A realistic shop: 10 products (plus 2 new ones QuickBooks lacks), customers who come back, and orders that
    /// are mostly paid, some pending or refunded, one to four lines each; every 25th order has a new product.
    /// </summary>
    private static void Seed(ShopifySimulator shopify, QuickBooksSimulator quickBooks, int orders, int seed)
    {
        var random = new Random(seed);
        foreach (var (sku, title, price) in Catalog)
        {
            shopify.AddProduct(sku, title, price, available: 1000);
            quickBooks.AddItem(sku, title, quantityOnHand: 1000, unitPrice: price);
        }

        foreach (var sku in NewSkus)
        {
            shopify.AddProduct(sku, $"New product {sku}", 30m, available: 100);
        }

        var customers = Enumerable.Range(0, Math.Max(10, orders / 3)).Select(i =>
        {
            var first = FirstNames[i % FirstNames.Length];
            var last = LastNames[(i / FirstNames.Length) % LastNames.Length];
            var email = string.Create(CultureInfo.InvariantCulture, $"{first}.{last}{i}@example.com").ToLowerInvariant();
            shopify.AddCustomer(email, first, last);
            return email;
        }).ToList();

        var start = shopify.Time.GetUtcNow() - TimeSpan.FromMinutes(7 * orders);
        for (var n = 1; n <= orders; n++)
        {
            var lines = Enumerable.Range(0, random.Next(1, 5))
                .Select(_ => Catalog[random.Next(Catalog.Length)])
                .DistinctBy(p => p.Sku)
                .Select(p => new SimulatedOrderLine(p.Sku, random.Next(1, 4)))
                .ToList();
            var status = random.NextDouble() switch
            {
                < 0.72 => "PAID",
                < 0.87 => "PENDING",
                < 0.95 => "REFUNDED",
                _ => "PARTIALLY_REFUNDED",
            };
            if (n % 25 == 0)
            {
                lines.Add(new SimulatedOrderLine(NewSkus[(n / 25) % NewSkus.Count], 1));
                status = "PAID";
            }

            // Returning customers: a third of the orders come from the first ten customers.
            var email = random.NextDouble() < 0.33 ? customers[random.Next(10)] : customers[random.Next(customers.Count)];
            shopify.AddOrder(email, lines, status, start + TimeSpan.FromMinutes(7 * n));
        }
    }
}

/// <summary>The addresses and credentials of the simulated Shopify and QuickBooks, wherever they run.</summary>
public sealed record SimulatedEndpoints
{
    /// <summary>The shop's domain.</summary>
    public required string ShopDomain { get; init; }

    /// <summary>The Admin API access token the simulated shop accepts.</summary>
    public required string ShopifyAccessToken { get; init; }

    /// <summary>The simulated shop's address.</summary>
    public required Uri ShopifyBaseAddress { get; init; }

    /// <summary>The simulated company's realm id.</summary>
    public required string RealmId { get; init; }

    /// <summary>The OAuth client id.</summary>
    public required string ClientId { get; init; }

    /// <summary>The OAuth client secret.</summary>
    public required string ClientSecret { get; init; }

    /// <summary>The first refresh token, or <see langword="null"/> when the token store has one.</summary>
    public string? InitialRefreshToken { get; init; }

    /// <summary>The simulated QuickBooks API's address.</summary>
    public required Uri QuickBooksBaseAddress { get; init; }

    /// <summary>The simulated token endpoint.</summary>
    public required Uri TokenEndpoint { get; init; }
}
