using Integrations.Sdk.Pipelines;
using Integrations.Sdk.Pipelines.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Integrations.Sdk.DependencyInjection;

/// <summary>The hosted service that runs each sync declared with <c>.Every(interval)</c>, one run at a time per sync.</summary>
internal sealed class SyncScheduler(SyncRunner runner, TimeProvider timeProvider, SecretRedactor redactor, ILogger<SyncScheduler> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var scheduled = runner.Syncs
            .Select(runner.Pipeline)
            .Where(p => p.Schedule is not null && p.HasSource)
            .Select(p => RunEveryAsync(p, p.Schedule!.Value, stoppingToken));
        return Task.WhenAll(scheduled);
    }

    private async Task RunEveryAsync(ISyncPipeline pipeline, TimeSpan interval, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, timeProvider);
        do
        {
            try
            {
                await pipeline.RunAsync(new RunOptions(), stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // A failed run is reported in the run history and the health check; the schedule goes on.
                Log.ScheduledRunFailed(logger, pipeline.Name, redactor.Redact(ex.Message));
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
