// TODO(merge): delete this file. Temporary stand-ins, with the same names and signatures, for the APIs issue 13's
// other lanes add (ISSUE13-CONTRACT.md): StripeConnector.InvoicePaymentFailures and
// AddStripeInvoicePaymentFailedRoute (lane sources), SyncBuilder.Cron (lane sched), StepContext.Reject (lane wiring),
// HubSpotConnector.FindContactByEmailAsync with extra fields (lane extend). Once those are in the tree, the real
// members take over and this file must go (two definitions would be ambiguous or shadowed).
global using GettingStarted;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using Integrations.Sdk;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Connectors.Kit;
using Integrations.Sdk.HubSpot;
using Integrations.Sdk.HubSpot.Models;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.Stripe;
using Integrations.Sdk.Stripe.Models;
using Microsoft.Extensions.DependencyInjection;

namespace GettingStarted;

/// <summary>Stand-ins for the contract's APIs until the merge (see the file's header).</summary>
internal static class ContractStubs
{
    extension(StripeConnector connector)
    {
        /// <summary>Stand-in: the <c>invoice.payment_failed</c> events of <see cref="StripeConnector.Events"/>, read as failures.</summary>
        public IRecordSource<StripeInvoicePaymentFailed> InvoicePaymentFailures => RecordSource.Create<StripeInvoicePaymentFailed>(
            (checkpoint, ct) => Failures(connector.Events.ReadAsync(checkpoint, ct), ct));
    }

    extension<TSource>(SyncBuilder<TSource> builder)
    {
        /// <summary>Stand-in: no schedule at all (the test runs the nightly run by hand until lane sched lands).</summary>
        public SyncBuilder<TSource> Cron(string expression, TimeZoneInfo? timeZone = null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(expression);
            _ = timeZone;
            return builder;
        }
    }

    extension(StepContext step)
    {
        /// <summary>Stand-in: an <see cref="ArgumentException"/>, which dead-letters the record without retries too.</summary>
        [DoesNotReturn]
        public void Reject(string reason) => throw new ArgumentException(reason);
    }

    extension(HubSpotConnector connector)
    {
        /// <summary>Stand-in: the search the connector makes, asking for the extra properties too (through its internal client).</summary>
        public async Task<HubSpotContact?> FindContactByEmailAsync(string email, IEnumerable<string>? extraFields, CancellationToken cancellationToken = default)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(email);
            var assembly = typeof(HubSpotConnector).Assembly;
            var api = ((Delegate)typeof(HubSpotConnector).GetField("_api", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(connector)!).DynamicInvoke()!;
            var filterType = assembly.GetType("Integrations.Sdk.HubSpot.Internal.Filter", throwOnError: true)!;
            var filters = Array.CreateInstance(filterType, 1);
            filters.SetValue(Activator.CreateInstance(filterType, "email", "EQ", email.Trim()), 0);
            string[] properties = [.. HubSpotConnector.ContactProperties.Concat(extraFields ?? []).Distinct(StringComparer.Ordinal)];
            var request = assembly.GetType("Integrations.Sdk.HubSpot.Internal.SearchRequest", throwOnError: true)!.GetMethod("All")!.Invoke(null, [filters, properties, 1, null, null]);
            var search = assembly.GetType("Integrations.Sdk.HubSpot.Internal.IHubSpotApi", throwOnError: true)!.GetMethod("SearchAsync")!.MakeGenericMethod(typeof(HubSpotContact));
            var task = (Task)search.Invoke(api, ["contacts", request, true, cancellationToken])!;
            await task.ConfigureAwait(false);
            var page = task.GetType().GetProperty("Result")!.GetValue(task)!;
            return (page.GetType().GetProperty("Results")!.GetValue(page) as List<HubSpotContact>)?.FirstOrDefault();
        }
    }

    /// <summary>Stand-in: routes Stripe's <c>invoice.payment_failed</c> webhooks to <paramref name="sync"/>.</summary>
    public static IIntegrationsBuilder AddStripeInvoicePaymentFailedRoute(this IIntegrationsBuilder builder, string sync) =>
        builder.AddWebhookRoute<StripeInvoicePaymentFailed>("stripe", sync, StripeWebhookSource.ReadInvoicePaymentFailed, StripeInvoicePaymentFailed.EventType);

    private static async IAsyncEnumerable<SourceRecord<StripeInvoicePaymentFailed>> Failures(
        IAsyncEnumerable<SourceRecord<StripeEvent>> events, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var record in events.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (record.Value.Type == StripeInvoicePaymentFailed.EventType)
            {
                yield return new SourceRecord<StripeInvoicePaymentFailed>(StripeInvoicePaymentFailed.From(record.Value), record.Checkpoint);
            }
        }
    }
}
