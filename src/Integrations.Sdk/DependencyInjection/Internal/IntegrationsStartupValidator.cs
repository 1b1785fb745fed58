using System.Runtime.ExceptionServices;
using Integrations.Sdk.Pipelines.Internal;
using Integrations.Sdk.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Integrations.Sdk.DependencyInjection.Internal;

/// <summary>
/// The host's start-up check (<see cref="IStartupValidator"/>, run by <c>IHost.StartAsync</c> before any hosted
/// service starts): the options validated on start, then the wiring of the integrations (webhook routes against the
/// syncs and the webhook sources). Every problem is reported once, all together.
/// </summary>
/// <remarks>
/// The options check alone reports one problem several times: a connector's HTTP options are built from its own
/// options, so a missing setting fails both, and the host then throws an <see cref="AggregateException"/> repeating
/// the message. Here the same message is kept once. What is thrown: the options' own
/// <see cref="OptionsValidationException"/> when all problems are of one options instance; otherwise an
/// <see cref="InvalidOperationException"/> listing every problem (the options' exceptions as its inner exception).
/// </remarks>
internal sealed class IntegrationsStartupValidator(IStartupValidator? options, IServiceProvider services) : IStartupValidator
{
    /// <summary>
    /// Puts this check in place of the <see cref="IStartupValidator"/> registered so far (the one
    /// <c>ValidateOnStart</c> adds), which it runs first.
    /// </summary>
    public static void Register(IServiceCollection services)
    {
        var inner = services.LastOrDefault(d => d.ServiceType == typeof(IStartupValidator) && !d.IsKeyedService);
        services.RemoveAll<IStartupValidator>();
        services.AddTransient<IStartupValidator>(sp => new IntegrationsStartupValidator(inner is null ? null : Create(sp, inner), sp));
    }

    public void Validate()
    {
        var failures = new List<OptionsValidationException>();
        try
        {
            options?.Validate();
        }
        catch (OptionsValidationException ex)
        {
            failures.Add(ex);
        }
        catch (AggregateException ex) when (ex.Flatten().InnerExceptions.All(e => e is OptionsValidationException))
        {
            failures.AddRange(ex.Flatten().InnerExceptions.Cast<OptionsValidationException>());
        }

        var wiring = WiringProblems(failures);
        var distinct = Distinct(failures);
        if (wiring.Count == 0 && distinct.Count == 0)
        {
            return;
        }

        if (wiring.Count == 0 && distinct.Count == 1)
        {
            if (failures.Count == 1 && failures[0].Failures.Count() == distinct[0].Failures.Count())
            {
                ExceptionDispatchInfo.Throw(failures[0]);
            }

            throw distinct[0];
        }

        var problems = distinct.SelectMany(f => f.Failures).Concat(wiring).ToList();
        var message = $"The integrations cannot start; {problems.Count} problem(s):{string.Concat(problems.Select(p => Environment.NewLine + "- " + p))}";
        Exception? innerException = distinct.Count switch
        {
            0 => null,
            1 => distinct[0],
            _ => new AggregateException(distinct),
        };
        throw new InvalidOperationException(message, innerException);
    }

    /// <summary>One exception per options instance, each failure message once across all of them, in the order first seen.</summary>
    private static List<OptionsValidationException> Distinct(List<OptionsValidationException> failures)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<OptionsValidationException>();
        foreach (var group in failures.GroupBy(f => (f.OptionsType, f.OptionsName)))
        {
            var messages = group.SelectMany(f => f.Failures).Where(seen.Add).ToList();
            if (messages.Count > 0)
            {
                result.Add(new OptionsValidationException(group.Key.OptionsName, group.Key.OptionsType, messages));
            }
        }

        return result;
    }

    /// <summary>
    /// Webhook routes that could only fail at run time, as repeated inbox warnings: a route to a sync nobody
    /// registered, giving records of a type its sync does not take, or listening to a webhook source nobody registered.
    /// </summary>
    private List<string> WiringProblems(List<OptionsValidationException> failures)
    {
        var problems = new List<string>();
        var routes = services.GetServices<WebhookRoute>().ToList();
        if (routes.Count == 0)
        {
            return problems;
        }

        var syncs = new Dictionary<string, SyncRegistration>(StringComparer.Ordinal);
        foreach (var sync in services.GetServices<SyncRegistration>())
        {
            syncs.TryAdd(sync.Name, sync);
        }

        List<string>? sources = null;
        try
        {
            sources = [.. services.GetServices<IWebhookSource>().Select(s => s.Name)];
        }
        catch (OptionsValidationException ex)
        {
            // A connector whose options are invalid cannot create its webhook source: that is reported, and the names
            // of the sources are unknown, so routes are not checked against them.
            failures.Add(ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
        {
            problems.Add($"The webhook sources could not be created: {ex.Message}");
        }

        foreach (var route in routes)
        {
            var name = Describe(route);
            if (!syncs.TryGetValue(route.Sync, out var sync))
            {
                var registered = syncs.Count == 0 ? "none" : string.Join(", ", syncs.Keys);
                problems.Add($"{name}: no sync is registered with the name '{route.Sync}'. Registered: {registered}.");
            }
            else if (sync.RecordType is { } takes && route.RecordType is { } gives && !Accepts(takes, gives))
            {
                problems.Add(
                    $"{name}: the route gives records of type {TypeName(gives)}, but sync '{route.Sync}' takes records of type {TypeName(takes)}; "
                    + $"declare the route as AddWebhookRoute<{TypeName(takes)}>(...) with a conversion of the event to it.");
            }

            if (sources is not null && !sources.Contains(route.Source, StringComparer.OrdinalIgnoreCase))
            {
                var registered = sources.Count == 0 ? "none" : string.Join(", ", sources);
                problems.Add(
                    $"{name}: no webhook source is registered with the name '{route.Source}', so no event can reach it. Registered: {registered}. "
                    + "Add the connector that receives these webhooks (its Add... method registers its source), or register your own IWebhookSource.");
            }
        }

        return [.. problems.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Whether a sync taking <paramref name="takes"/> can process a record of type <paramref name="gives"/>.</summary>
    private static bool Accepts(Type takes, Type gives) =>
        takes == gives || (!gives.IsValueType && takes.IsAssignableFrom(gives));

    private static string Describe(WebhookRoute route) =>
        $"Webhook route '{route.Source}'{(route.EventTypes.Count == 0 ? string.Empty : $" ({string.Join(", ", route.EventTypes.Order(StringComparer.Ordinal))})")} to sync '{route.Sync}'";

    private static string TypeName(Type type)
    {
        if (!type.IsGenericType)
        {
            return type.Name;
        }

        var name = type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return $"{(tick < 0 ? name : name[..tick])}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>";
    }

    private static IStartupValidator Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        (IStartupValidator)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));
}
