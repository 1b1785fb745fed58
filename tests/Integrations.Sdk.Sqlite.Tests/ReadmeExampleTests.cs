using System.Runtime.CompilerServices;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Mapping;
using Integrations.Sdk.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Integrations.Sdk.Sqlite.Tests;

/// <summary>The README's minimal sync, kept compiling and working (with stand-ins for the platform client).</summary>
public sealed class ReadmeExampleTests : IDisposable
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"readme-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_database) + "*"))
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ReadmeSync_RunsOnDemand()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<OrderFeed>();
        builder.Services.AddSingleton<IBooksApi, FakeBooks>();
        builder.Services.AddIntegrations(integrations => integrations
            .UseSqliteState(_database)
            .AddSync<ShopOrder>("orders-to-invoices", sync => sync
                .FromIncremental(sp => sp.GetRequiredService<OrderFeed>())
                .Key(order => $"shop:order:{order.Id}")
                .Where(order => order.FinancialStatus == "paid")
                .Every(TimeSpan.FromMinutes(5))
                .Map(Mappings.OrderToInvoice)
                .Step("customer", WriteSafety.NaturalUpsert, (invoice, step, ct) =>
                    step.Get<IBooksApi>().UpsertCustomerAsync(invoice.CustomerEmail, ct))
                .Step("invoice", WriteSafety.IdempotencyKey, (invoice, step, ct) =>
                    step.Get<IBooksApi>().CreateInvoiceAsync(invoice, step.ResultOf<string>("customer"), step.IdempotencyKey, ct))));
        using var host = builder.Build();

        var report = await host.Services.GetRequiredService<ISyncRunner>().RunAsync("orders-to-invoices");

        report.ToString().Should().Be("read=3 completed=2 skipped=0 filtered=1 dead-lettered=0 ambiguous=0");
    }

    public sealed record ShopOrder(long Id, string Email, string FinancialStatus, long TotalCents);

    public sealed class Invoice
    {
        public string CustomerEmail { get; set; } = "";

        public decimal Amount { get; set; }
    }

    public static class Mappings
    {
        public static readonly Mapper<ShopOrder, Invoice> OrderToInvoice = Mapper.Create<ShopOrder, Invoice>(m => m
            .Field(i => i.CustomerEmail, o => o.Email).Required()
            .Field(i => i.Amount, o => o.TotalCents, "cents to amount", c => c / 100m));
    }

    public interface IBooksApi
    {
        Task<string> UpsertCustomerAsync(string email, CancellationToken cancellationToken);

        Task<string> CreateInvoiceAsync(Invoice invoice, string customerId, string idempotencyKey, CancellationToken cancellationToken);
    }

    private sealed class FakeBooks : IBooksApi
    {
        public Task<string> UpsertCustomerAsync(string email, CancellationToken cancellationToken) => Task.FromResult("c-" + email);

        public Task<string> CreateInvoiceAsync(Invoice invoice, string customerId, string idempotencyKey, CancellationToken cancellationToken) =>
            Task.FromResult("i-" + idempotencyKey);
    }

    public sealed class OrderFeed : IRecordSource<ShopOrder>
    {
        public async IAsyncEnumerable<SourceRecord<ShopOrder>> ReadAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            yield return new(new ShopOrder(1, "a@example.com", "paid", 100), "1");
            yield return new(new ShopOrder(2, "b@example.com", "pending", 200), "2");
            yield return new(new ShopOrder(3, "c@example.com", "paid", 300), "3");
        }
    }
}
