using System.Globalization;
using System.Text.Json;
using Integrations.Sdk.Books;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.Commerce;
using Integrations.Sdk.Testing.QuickBooks;
using Integrations.Sdk.Testing.Shopify;
using Integrations.Sdk.Testing.WooCommerce;
using Integrations.Sdk.Testing.Xero;

namespace ShopifyToQuickBooks;

/// <summary>
/// The offline stand-ins for the store and the books: the SDK's simulators on 127.0.0.1, seeded once with a realistic
/// shop and kept in files beside the state database, so a second run finds what the first created.
/// </summary>
/// <remarks>
/// Two shops. <see cref="OpenAsync(string, string, string, int, int, double, CancellationToken)"/> opens the books shop
/// of the sample's command line, for any store (Shopify, WooCommerce) and any books (QuickBooks, Xero), synced by
/// <see cref="OrdersToBooks"/>. <see cref="OpenAsync(string, int, int, double, CancellationToken)"/> opens the classic
/// Shopify → QuickBooks shop of the sync <see cref="OrdersToInvoices"/> (invoices only, with SKUs QuickBooks lacks), which
/// the reliability and crash tests run.
/// </remarks>
public sealed class OfflinePlatforms : IAsyncDisposable
{
    /// <summary>SKUs sold in the shop but not (yet) set up as QuickBooks items: their orders are dead-lettered.</summary>
    public static readonly IReadOnlyList<string> NewSkus = ["SKU-NEW-1", "SKU-NEW-2"];

    /// <summary>The simulated company's request limit per second (Intuit's is 10; raised so the demo is quick).</summary>
    public const int QuickBooksRequestsPerSecond = 100;

    /// <summary>The simulated Xero organisation's request limit per minute (Xero's is 60; raised so the demo is quick).</summary>
    public const int XeroRequestsPerMinute = 6000;

    private static readonly (string Sku, string Title, decimal Price)[] Catalog =
    [
        ("SKU-TEE-S", "Organic tee S", 24m), ("SKU-TEE-M", "Organic tee M", 24m), ("SKU-TEE-L", "Organic tee L", 24m),
        ("SKU-HOOD-M", "Hoodie M", 59m), ("SKU-HOOD-L", "Hoodie L", 59m), ("SKU-CAP", "Cap", 18m),
        ("SKU-MUG", "Mug", 14m), ("SKU-TOTE", "Tote bag", 16m), ("SKU-SOCK", "Socks", 9m), ("SKU-GIFT", "Gift wrap", 4m),
    ];

    private static readonly string[] FirstNames = ["Ada", "Grace", "Alan", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances", "Edsger"];
    private static readonly string[] LastNames = ["Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie", "Allen", "Dijkstra"];

    private readonly string _statePath;
    private readonly ShopifySimulator? _shopify;
    private readonly WooCommerceSimulator? _wooCommerce;
    private readonly QuickBooksSimulator? _quickBooks;
    private readonly XeroSimulator? _xero;

    private OfflinePlatforms(string statePath, string store, string books, SimulatorHost storeSimulator, SimulatorHost booksSimulator, SampleSeed? seed, string? initialRefreshToken)
    {
        _statePath = statePath;
        StorePlatform = store;
        BooksPlatform = books;
        Store = storeSimulator;
        Books = booksSimulator;
        _shopify = storeSimulator as ShopifySimulator;
        _wooCommerce = storeSimulator as WooCommerceSimulator;
        _quickBooks = booksSimulator as QuickBooksSimulator;
        _xero = booksSimulator as XeroSimulator;
        Seed = seed;
        InitialRefreshToken = initialRefreshToken;
    }

    /// <summary>The store's connector name: <c>shopify</c> or <c>woocommerce</c>.</summary>
    public string StorePlatform { get; }

    /// <summary>The books' connector name: <c>quickbooks</c> or <c>xero</c>.</summary>
    public string BooksPlatform { get; }

    /// <summary>The simulated store.</summary>
    public SimulatorHost Store { get; }

    /// <summary>The simulated books.</summary>
    public SimulatorHost Books { get; }

    /// <summary>Whether this is the classic Shopify → QuickBooks shop of <see cref="OrdersToInvoices"/>.</summary>
    public bool IsClassic => Seed is null;

    /// <summary>The books shop's seed (orders, refunds, books ids); <see langword="null"/> for the classic shop.</summary>
    public SampleSeed? Seed { get; }

    /// <summary>The sync these platforms are for.</summary>
    public string SyncName => IsClassic ? OrdersToInvoices.SyncName : OrdersToBooks.SyncName;

    /// <summary>The posting rules of the books shop, from the ids its books were set up with.</summary>
    public BooksPostingRules Rules => Seed?.Setup.ToRules() ?? throw new InvalidOperationException("The classic shop has no posting rules: it runs OrdersToInvoices.");

    /// <summary>The simulated shop (when the store is Shopify).</summary>
    public ShopifySimulator Shopify => _shopify ?? throw new InvalidOperationException($"The store is {StorePlatform}, not Shopify.");

    /// <summary>The simulated WooCommerce store (when the store is WooCommerce).</summary>
    public WooCommerceSimulator WooCommerce => _wooCommerce ?? throw new InvalidOperationException($"The store is {StorePlatform}, not WooCommerce.");

    /// <summary>The simulated QuickBooks company (when the books are QuickBooks).</summary>
    public QuickBooksSimulator QuickBooks => _quickBooks ?? throw new InvalidOperationException($"The books are {BooksPlatform}, not QuickBooks.");

    /// <summary>The simulated Xero organisation (when the books are Xero).</summary>
    public XeroSimulator Xero => _xero ?? throw new InvalidOperationException($"The books are {BooksPlatform}, not Xero.");

    /// <summary>The refresh token of the first run (the authorization flow's result); later runs use the token store.</summary>
    public string? InitialRefreshToken { get; }

    /// <summary>Where Shopify and QuickBooks listen and the credentials they accept (they must be started).</summary>
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

    /// <summary>Classic shop: paid orders whose every SKU is a QuickBooks item: each must end as exactly one invoice.</summary>
    public int PaidOrdersWithKnownSkus => Shopify.Orders.Count(o => o.FinancialStatus == "PAID" && o.LineItems.All(l => IsKnown(l.Sku)));

    /// <summary>Classic shop: paid orders with a SKU QuickBooks does not know: dead-lettered until the item is added.</summary>
    public int PaidOrdersWithUnknownSkus => Shopify.Orders.Count(o => o.FinancialStatus == "PAID" && !o.LineItems.All(l => IsKnown(l.Sku)));

    /// <summary>
    /// Opens the books shop of <paramref name="statePath"/> for a store and a books platform: loads it if an earlier run
    /// saved it, else seeds a new one from <see cref="SampleShop"/> and <see cref="SampleBooks"/>.
    /// </summary>
    /// <param name="statePath">The state database; the simulators and the seed are kept beside it.</param>
    /// <param name="store"><c>shopify</c> or <c>woocommerce</c>.</param>
    /// <param name="books"><c>quickbooks</c> or <c>xero</c>.</param>
    /// <param name="orders">Orders to seed (first run only).</param>
    /// <param name="seed">Seeds the shop (first run only) and the faults.</param>
    /// <param name="faultRate">Share of simulator requests that fail, on both simulators.</param>
    /// <param name="cancellationToken">Cancels loading.</param>
    /// <exception cref="ArgumentException">The state holds another pair, or only some of its files.</exception>
    public static async Task<OfflinePlatforms> OpenAsync(string statePath, string store, string books, int orders, int seed, double faultRate, CancellationToken cancellationToken = default)
    {
        if (!SampleOptions.Stores.Contains(store, StringComparer.Ordinal))
        {
            throw new ArgumentException($"store must be {string.Join(" or ", SampleOptions.Stores)}, not '{store}'.", nameof(store));
        }

        if (!SampleOptions.BooksPlatforms.Contains(books, StringComparer.Ordinal))
        {
            throw new ArgumentException($"books must be {string.Join(" or ", SampleOptions.BooksPlatforms)}, not '{books}'.", nameof(books));
        }

        var files = new PairFiles(statePath, store, books);
        SimulatorHost storeSimulator;
        SimulatorHost booksSimulator;
        SampleSeed sampleSeed;
        string? refreshToken = null;
        if (File.Exists(files.Seed))
        {
            sampleSeed = SampleSeed.FromJson(await File.ReadAllTextAsync(files.Seed, cancellationToken).ConfigureAwait(false))
                ?? throw new ArgumentException($"{files.Seed} is empty; delete it with the state to start over.", nameof(statePath));

            if (sampleSeed.Store != store || sampleSeed.Books != books)
            {
                throw new ArgumentException($"--state {statePath} holds the {sampleSeed.Store} → {sampleSeed.Books} shop; use another --state for {store} → {books}.", nameof(statePath));
            }

            if (!File.Exists(files.Store) || !File.Exists(files.Books))
            {
                throw new ArgumentException($"--state {statePath}: {files.Seed} is there but not both {Path.GetFileName(files.Store)} and {Path.GetFileName(files.Books)}; delete the state files to start over.", nameof(statePath));
            }

            storeSimulator = store == "shopify"
                ? await ShopifySimulator.LoadAsync(files.Store, seed: seed, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await WooCommerceSimulator.LoadAsync(files.Store, seed: seed, cancellationToken: cancellationToken).ConfigureAwait(false);

            booksSimulator = books == "quickbooks" ? new QuickBooksSimulator(seed: seed) : NewXero(seed);
            if (booksSimulator is QuickBooksSimulator quickBooks)
            {
                await quickBooks.LoadAsync(files.Books, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ((XeroSimulator)booksSimulator).LoadAsync(files.Books, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            if (File.Exists(files.Store) || File.Exists(files.Books))
            {
                throw new ArgumentException($"--state {statePath}: simulator files without {Path.GetFileName(files.Seed)} (an older sample's, or another run's); delete the state files or use another --state.", nameof(statePath));
            }

            // A Shopify Plus store's bucket (1,000 points a second): the standard plan's 100 would make the demo wait.
            storeSimulator = store == "shopify"
                ? new ShopifySimulator(new ShopifySimulatorOptions { MaximumAvailable = 20_000, RestoreRate = 1_000 }, seed: seed)
                : new WooCommerceSimulator(seed: seed);
            booksSimulator = books == "quickbooks" ? new QuickBooksSimulator(seed: seed) : NewXero(seed);
            var setup = booksSimulator is QuickBooksSimulator q ? SampleBooks.Seed(q) : SampleBooks.Seed((XeroSimulator)booksSimulator);
            var sales = SampleShop.Generate(orders, seed, storeSimulator.Time.GetUtcNow());
            SeedStore(storeSimulator, sales);
            sampleSeed = new SampleSeed { Store = store, Books = books, Orders = sales, Setup = setup };
            refreshToken = booksSimulator is QuickBooksSimulator qb ? qb.IssueRefreshToken() : ((XeroSimulator)booksSimulator).IssueRefreshToken();
        }

        var platforms = new OfflinePlatforms(statePath, store, books, storeSimulator, booksSimulator, sampleSeed, refreshToken);
        await platforms.StartAsync(seed, faultRate, cancellationToken).ConfigureAwait(false);
        return platforms;
    }

    /// <summary>
    /// Opens the classic Shopify → QuickBooks shop of <see cref="OrdersToInvoices"/> at <paramref name="statePath"/>: loads it
    /// if an earlier run saved it, else seeds a new one (every 25th order with a SKU QuickBooks lacks).
    /// </summary>
    /// <param name="statePath">The state database; the simulators are kept beside it.</param>
    /// <param name="orders">Orders to seed (first run only).</param>
    /// <param name="seed">Seeds the shop (first run only) and the faults.</param>
    /// <param name="faultRate">Share of simulator requests that fail, on both simulators.</param>
    /// <param name="cancellationToken">Cancels loading.</param>
    public static async Task<OfflinePlatforms> OpenAsync(string statePath, int orders, int seed, double faultRate, CancellationToken cancellationToken = default)
    {
        var files = new PairFiles(statePath, "shopify", "quickbooks");
        OfflinePlatforms platforms;
        if (File.Exists(files.Store) && File.Exists(files.Books))
        {
            var shopify = await ShopifySimulator.LoadAsync(files.Store, seed: seed, cancellationToken: cancellationToken).ConfigureAwait(false);
            var quickBooks = new QuickBooksSimulator(seed: seed);
            await quickBooks.LoadAsync(files.Books, cancellationToken).ConfigureAwait(false);
            platforms = new OfflinePlatforms(statePath, "shopify", "quickbooks", shopify, quickBooks, seed: null, initialRefreshToken: null);
        }
        else
        {
            // A Shopify Plus store's bucket (1,000 points a second): the standard plan's 100 would make the demo wait.
            var shopify = new ShopifySimulator(new ShopifySimulatorOptions { MaximumAvailable = 20_000, RestoreRate = 1_000 }, seed: seed);
            var quickBooks = new QuickBooksSimulator(seed: seed);
            SeedClassic(shopify, quickBooks, orders, seed);
            platforms = new OfflinePlatforms(statePath, "shopify", "quickbooks", shopify, quickBooks, seed: null, quickBooks.IssueRefreshToken());
        }

        await platforms.StartAsync(seed, faultRate, cancellationToken).ConfigureAwait(false);
        return platforms;
    }

    /// <summary>
    /// Classic shop: adds the missing SKUs to QuickBooks, as a bookkeeper would before replaying the dead letters. The
    /// books shop has every SKU in its books: nothing to add.
    /// </summary>
    public void AddMissingItems()
    {
        if (!IsClassic)
        {
            return;
        }

        foreach (var sku in NewSkus.Where(s => !IsKnown(s)))
        {
            QuickBooks.AddItem(sku, $"New product {sku}", quantityOnHand: 100, unitPrice: 30m);
        }
    }

    /// <summary>Saves both platforms (and the books shop's seed) beside the state database.</summary>
    /// <param name="cancellationToken">Cancels saving.</param>
    public async Task SaveAsync(CancellationToken cancellationToken = default)
    {
        var files = new PairFiles(_statePath, StorePlatform, BooksPlatform);
        if (_shopify is not null)
        {
            await _shopify.SaveAsync(files.Store, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await WooCommerce.SaveAsync(files.Store, cancellationToken).ConfigureAwait(false);
        }

        if (_quickBooks is not null)
        {
            await _quickBooks.SaveAsync(files.Books, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await Xero.SaveAsync(files.Books, cancellationToken).ConfigureAwait(false);
        }

        if (Seed is not null)
        {
            await File.WriteAllTextAsync(files.Seed, Seed.ToJson(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The books' figures now: documents, revenue in home currency, duplicates (books shop only).</summary>
    public BooksFigures ReadBooks() => _quickBooks is not null
        ? new BooksFigures(_quickBooks.InvoiceCount, _quickBooks.CreditNoteCount, _quickBooks.PaymentCount, _quickBooks.RevenueInHomeCurrency(), _quickBooks.DuplicateDocuments)
        : new BooksFigures(Xero.InvoiceCount, Xero.CreditNoteCount, Xero.PaymentCount, Xero.RevenueInHomeCurrency(), Xero.DuplicateDocuments);

    /// <summary>
    /// The inventory check of the books shop: for every SKU of the catalog, the store's stock (plus what pending orders
    /// hold: the store took it at checkout, the books take it when the order is paid and invoiced) against the books'
    /// quantity on hand.
    /// </summary>
    public InventoryCheck CheckInventory()
    {
        var orders = Seed?.Orders ?? throw new InvalidOperationException("The classic shop has no inventory check.");
        var rows = SampleShop.Catalog.Select(p =>
        {
            var store = StockOf(p.Sku);
            var held = SampleShop.HeldByPendingOrders(orders, p.Sku);
            var books = _quickBooks is not null ? _quickBooks.QuantityOnHand(p.Sku) : Xero.QuantityOnHand(p.Sku);
            return new InventoryRow(p.Sku, store, held, books);
        }).ToList();
        return new InventoryCheck(rows);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync().ConfigureAwait(false);
        await Books.DisposeAsync().ConfigureAwait(false);
    }

    private int? StockOf(string sku) => _shopify is not null ? _shopify.StockOf(sku) : WooCommerce.StockOf(sku);

    /// <summary>A Xero organisation with fixed credentials (so a saved one is found again) and limits raised for the demo.</summary>
    private static XeroSimulator NewXero(int seed) => new(seed: seed)
    {
        TenantId = "7f0c1c8e-6a4b-4d0e-9a51-2f3c9b1d5e01",
        ClientId = "SAMPLEXEROCLIENT",
        ClientSecret = "sample-xero-client-secret",
        MinuteLimit = XeroRequestsPerMinute,
        DayLimit = 1_000_000,
    };

    private static void SeedStore(SimulatorHost store, IReadOnlyList<SeededOrder> orders)
    {
        Func<SimulatedSale, string> addSale;
        Func<string, SimulatedSaleRefund, string> addRefund;
        if (store is ShopifySimulator shopify)
        {
            foreach (var p in SampleShop.Catalog)
            {
                shopify.AddProduct(p.Sku, p.Title, p.Price, SampleShop.StartingStock, productType: p.ProductType);
            }

            addSale = shopify.AddSale;
            addRefund = shopify.AddRefund;
        }
        else
        {
            var woo = (WooCommerceSimulator)store;
            foreach (var p in SampleShop.Catalog)
            {
                woo.AddProduct(p.Sku, p.Title, p.Price, SampleShop.StartingStock, productType: p.ProductType);
            }

            addSale = woo.AddSale;
            addRefund = woo.AddRefund;
        }

        foreach (var order in orders)
        {
            var id = addSale(order.Sale);
            foreach (var refund in order.Refunds)
            {
                addRefund(id, refund);
            }
        }
    }

    private async Task StartAsync(int seed, double faultRate, CancellationToken cancellationToken)
    {
        if (_quickBooks is not null)
        {
            _quickBooks.RequestsPerSecond = QuickBooksRequestsPerSecond;
            _quickBooks.RequestsPerMinute = QuickBooksRequestsPerSecond * 60;
        }

        if (_xero is not null)
        {
            _xero.MinuteLimit = XeroRequestsPerMinute;
            _xero.DayLimit = 1_000_000;
            _xero.BankAccountCodes.Add(Seed?.Setup.PaymentAccountId ?? "090");
        }

        foreach (var simulator in new[] { Store, Books })
        {
            simulator.Faults.Latency = TimeSpan.FromMilliseconds(50);
            simulator.Faults.Hang = TimeSpan.FromSeconds(2);
            simulator.Faults.SetRandom(faultRate, seed);
            await simulator.StartAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private bool IsKnown(string? sku) => sku is not null && QuickBooks.Items.Any(i => i.Sku == sku);

    /// <summary>
    /// A realistic shop: 10 products (plus 2 new ones QuickBooks lacks), customers who come back, and orders that
    /// are mostly paid, some pending or refunded, one to four lines each; every 25th order has a new product.
    /// </summary>
    private static void SeedClassic(ShopifySimulator shopify, QuickBooksSimulator quickBooks, int orders, int seed)
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

    /// <summary>The files beside the state database: <c>PATH.shopify.json</c> (or <c>.woocommerce.json</c>), <c>PATH.quickbooks.json</c> (or <c>.xero.json</c>), <c>PATH.seed.json</c>.</summary>
    private sealed class PairFiles(string statePath, string store, string books)
    {
        private readonly string _full = Path.GetFullPath(statePath);

        public string Store => $"{_full}.{store}.json";

        public string Books => $"{_full}.{books}.json";

        public string Seed => $"{_full}.seed.json";
    }
}

/// <summary>The books shop's seed, kept beside the state database: the pair, the orders and refunds, the books' ids.</summary>
public sealed record SampleSeed
{
    /// <summary>The store: <c>shopify</c> or <c>woocommerce</c>.</summary>
    public required string Store { get; init; }

    /// <summary>The books: <c>quickbooks</c> or <c>xero</c>.</summary>
    public required string Books { get; init; }

    /// <summary>The orders seeded into the store, with their refunds.</summary>
    public required IReadOnlyList<SeededOrder> Orders { get; init; }

    /// <summary>What the books were set up with.</summary>
    public required BooksSetup Setup { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Reads a seed saved with <see cref="ToJson"/>; <see langword="null"/> for JSON <c>null</c>.</summary>
    /// <param name="json">The file's text.</param>
    public static SampleSeed? FromJson(string json) => JsonSerializer.Deserialize<SampleSeed>(json, Json);

    /// <summary>The seed as the JSON kept beside the state database.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

/// <summary>What the simulated books hold.</summary>
/// <param name="Invoices">Invoices.</param>
/// <param name="CreditNotes">Credit notes (QuickBooks credit memos).</param>
/// <param name="Payments">Payments.</param>
/// <param name="Revenue">Revenue in home currency, net of credit notes, as the books compute it from their documents.</param>
/// <param name="Duplicates">Documents whose number repeats an earlier one, and payments beyond an invoice's total.</param>
public sealed record BooksFigures(int Invoices, int CreditNotes, int Payments, decimal Revenue, int Duplicates)
{
    /// <summary>The output line: <c>books: invoices=N credit-notes=N payments=N revenue=X expected=X</c>.</summary>
    /// <param name="expected">The revenue expected from the store's data.</param>
    public string ToLine(decimal expected) =>
        string.Create(CultureInfo.InvariantCulture, $"books: invoices={Invoices} credit-notes={CreditNotes} payments={Payments} revenue={Revenue:0.00} expected={expected:0.00}");
}

/// <summary>One SKU of the inventory check.</summary>
/// <param name="Sku">The SKU.</param>
/// <param name="Store">The store's stock (<see langword="null"/>: the store has no such SKU).</param>
/// <param name="HeldByPendingOrders">What pending orders hold (taken from the store's stock, not yet from the books').</param>
/// <param name="Books">The books' quantity on hand (<see langword="null"/>: no such tracked item).</param>
public sealed record InventoryRow(string Sku, int? Store, int HeldByPendingOrders, decimal? Books)
{
    /// <summary>Whether the books' quantity on hand equals the store's stock plus what pending orders hold.</summary>
    public bool Matches => Store is { } store && Books is { } books && books == store + HeldByPendingOrders;
}

/// <summary>The inventory check: store against books, SKU by SKU.</summary>
/// <param name="Rows">One row per SKU of the catalog.</param>
public sealed record InventoryCheck(IReadOnlyList<InventoryRow> Rows)
{
    /// <summary>SKUs whose quantities match.</summary>
    public int Matching => Rows.Count(r => r.Matches);

    /// <summary>The output line: <c>inventory: skus=N matching=N</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"inventory: skus={Rows.Count} matching={Matching}");
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
