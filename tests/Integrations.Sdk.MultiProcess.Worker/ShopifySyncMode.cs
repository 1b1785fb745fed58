using Integrations.Sdk.Pipelines;
using Integrations.Sdk.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ShopifyToQuickBooks;

namespace Integrations.Sdk.MultiProcess.Worker;

/// <summary>One run of the main sample's sync (Shopify orders → QuickBooks invoices) on SQLite or PostgreSQL state.</summary>
internal static class ShopifySyncMode
{
    public static async Task<int> RunAsync(string endpointsPath, StateArguments state)
    {
        var endpoints = EndpointsFile.Read<SimulatedEndpoints>(endpointsPath);

        // The sample's own host (SQLite at the given path); on PostgreSQL the state is replaced, the sync is the same.
        var builder = SampleHost.CreateBuilder(state.Kind == "sqlite" ? state.Target : "unused.db", endpoints, concurrency: 8);
        state.Apply(builder.Services.AddIntegrations());
        using var host = builder.Build();
        await host.StartAsync();
        Console.WriteLine("ready");
        var report = await host.Services.GetRequiredService<ISyncRunner>().RunAsync(OrdersToInvoices.SyncName);
        Console.WriteLine($"summary: {report} status={report.Summary.Status} error={report.Summary.Error}");
        await host.StopAsync();
        return report.Summary.Status == RunStatus.Succeeded ? 0 : 1;
    }
}
