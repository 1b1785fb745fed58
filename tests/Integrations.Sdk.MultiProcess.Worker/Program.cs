// The child process of the multi-process tests. Each mode runs until it is done or killed:
//
//   shopify-sync <endpoints.json> <state>       one run of the main sample's sync against simulators of the parent
//   webhook-host <sink> <whsec_...> <state>     Stripe's webhook endpoint and the inbox processor, until killed
//   instance <postgres> <schema> <sink> <name>  one host instance on shared PostgreSQL state, until killed
//
// <state> is "sqlite <path>" or "postgres <connection string> <schema>". It prints "ready" (the webhook host adds its
// address) once its host has started and "summary: ..." at the end of a run, so the parent can follow it.
using System.Text.Json;
using Integrations.Sdk.MultiProcess.Worker;

if (args.Length == 0)
{
    Console.Error.WriteLine("usage: worker shopify-sync <endpoints.json> <state> | webhook-host <sink-url> <secret> <state> | instance <postgres> <schema> <sink-url> <name>");
    return 2;
}

return args[0] switch
{
    "shopify-sync" when args.Length >= 2 && StateArguments.Parse(args.AsSpan(2)) is { } state => await ShopifySyncMode.RunAsync(args[1], state),
    "webhook-host" when args.Length >= 3 && StateArguments.Parse(args.AsSpan(3)) is { } state => await WebhookHostMode.RunAsync(new Uri(args[1]), args[2], state),
    "instance" when args.Length == 5 => await InstanceMode.RunAsync(args[1], args[2], new Uri(args[3]), args[4]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine($"unknown mode or wrong arguments: {string.Join(' ', Environment.GetCommandLineArgs().Skip(1))}");
    return 2;
}

namespace Integrations.Sdk.MultiProcess.Worker
{
    /// <summary>Reads the endpoints file the parent wrote.</summary>
    internal static class EndpointsFile
    {
        public static T Read<T>(string path) =>
            JsonSerializer.Deserialize<T>(File.ReadAllText(path), JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException($"{path} is empty");
    }
}
