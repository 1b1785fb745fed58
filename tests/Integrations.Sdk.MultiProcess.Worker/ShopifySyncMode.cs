using Integrations.Sdk.Pipelines;
using Integrations.Sdk.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ShopifyToQuickBooks;

namespace Integrations.Sdk.MultiProcess.Worker;

/// <summary>One run of the main sample's sync (Shopify orders → QuickBooks invoices) on SQLite state.</summary>
internal static class ShopifySyncMode
{
    public static async Task<int> RunAsync(string statePath, string endpointsPath)
    {
        var endpoints = EndpointsFile.Read<SimulatedEndpoints>(endpointsPath);
        using var host = SampleHost.CreateBuilder(statePath, endpoints, concurrency: 8).Build();
        await host.StartAsync();
        Console.WriteLine("ready");
        var report = await host.Services.GetRequiredService<ISyncRunner>().RunAsync(OrdersToInvoices.SyncName);
        Console.WriteLine($"summary: {report}");
        await host.StopAsync();
        return report.Summary.Status == RunStatus.Succeeded ? 0 : 1;
    }
}
