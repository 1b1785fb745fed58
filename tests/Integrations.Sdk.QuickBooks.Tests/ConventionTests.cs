using System.Reflection;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.QuickBooks.Tests.Support;
using Integrations.Sdk.Testing.QuickBooks;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Sdk.QuickBooks.Tests;

/// <summary>Guards the public surface of the QuickBooks package and its simulator.</summary>
public sealed class ConventionTests
{
    [Fact]
    public void PublicTypes_LiveInTheConnectorsNamespacesOrTheDependencyInjectionEntry()
    {
        typeof(QuickBooksConnector).Assembly.GetExportedTypes()
            .Where(t => t.Namespace is not ("Integrations.Sdk.QuickBooks" or "Integrations.Sdk.QuickBooks.Models" or "Microsoft.Extensions.DependencyInjection"))
            .Select(t => t.FullName)
            .Should().BeEmpty();
    }

    [Fact]
    public void Operations_DeclareTheirWriteSafety()
    {
        using var services = QboHost.Build(TimeProvider.System, o =>
        {
            o.RealmId = QboHost.Realm;
            o.ClientId = "id";
            o.ClientSecret = "secret";
        });
        var connector = services.GetRequiredService<QuickBooksConnector>();

        connector.FindOrCreateCustomer.Safety.Should().Be(WriteSafety.LookupThenCreate);
        connector.CreateInvoice.Safety.Should().Be(WriteSafety.IdempotencyKey);
        connector.CreateSalesReceipt.Safety.Should().Be(WriteSafety.IdempotencyKey);
        connector.AdjustQuantityOnHand.Safety.Should().Be(WriteSafety.IdempotencyKey);
        services.GetRequiredService<QuickBooksConnector>().Should().BeSameAs(connector);
    }
}
