using System.Reflection;
using Integrations.Sdk.HubSpot;
using Integrations.Sdk.MailchimpTransactional;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.QuickBooks;
using Integrations.Sdk.Shopify;
using Integrations.Sdk.Sqlite;
using Integrations.Sdk.Stripe;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Transport;

namespace Integrations.Sdk.EndToEnd.Tests;

/// <summary>Guards the public surface of every shipped package at once.</summary>
public sealed class PublicSurfaceTests
{
    private static readonly Assembly[] Packages =
    [
        typeof(ISyncRunner).Assembly, typeof(SqliteStateStore).Assembly, typeof(ShopifyConnector).Assembly,
        typeof(QuickBooksConnector).Assembly, typeof(SimulatorHost).Assembly, typeof(StripeConnector).Assembly,
        typeof(Microsoft.AspNetCore.Builder.WebhookEndpointRouteBuilderExtensions).Assembly,
        typeof(HubSpotConnector).Assembly, typeof(MailchimpTransactionalConnector).Assembly,
        typeof(Integrations.Sdk.PostgreSql.PostgreSqlStateStore).Assembly,
        typeof(Integrations.Sdk.WooCommerce.WooCommerceConnector).Assembly,
        typeof(Integrations.Sdk.Xero.XeroConnector).Assembly,
        typeof(Integrations.Sdk.Salesforce.SalesforceConnector).Assembly,
        typeof(Integrations.Sdk.MailchimpMarketing.MailchimpMarketingConnector).Assembly,
    ];

    private static IEnumerable<Type> Surface => Packages.SelectMany(a => a.GetExportedTypes());

    [Fact]
    public void EveryPublicAsyncMethod_TakesACancellationToken()
    {
        var missing = Surface
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => typeof(Task).IsAssignableFrom(m.ReturnType) || m.ReturnType.Name.StartsWith("ValueTask", StringComparison.Ordinal)
                || m.ReturnType.Name.StartsWith("IAsyncEnumerable", StringComparison.Ordinal))
            .Where(m => m.Name != nameof(IAsyncDisposable.DisposeAsync))
            .Where(m => !m.GetParameters().Any(p => p.ParameterType == typeof(CancellationToken) || p.ParameterType.Name == "HttpContext")) // HttpContext.RequestAborted
            .Select(m => $"{m.DeclaringType!.FullName}.{m.Name}")
            .ToList();

        missing.Should().BeEmpty();
    }

    [Fact]
    public void PublicClasses_AreSealedStaticOrAbstract_UnlessDesignedForInheritance()
    {
        var open = Surface
            .Where(t => t.IsClass && !t.IsSealed && !t.IsAbstract && !typeof(Delegate).IsAssignableFrom(t))
            .Select(t => t.FullName)
            .ToList();

        open.Should().BeEquivalentTo([typeof(PlatformSignalReader).FullName], "only the signal reader is meant to be derived from, by connectors");
    }
}
