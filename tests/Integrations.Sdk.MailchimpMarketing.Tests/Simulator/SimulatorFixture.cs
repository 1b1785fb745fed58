using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Integrations.Sdk.Testing.MailchimpMarketing;

namespace Integrations.Sdk.MailchimpMarketing.Tests.Simulator;

/// <summary>A started simulator with a list, and a raw client authenticated with its API key.</summary>
internal sealed class SimulatorFixture : IAsyncDisposable
{
    public const string ListId = "a1b2c3d4e5";

    private SimulatorFixture(MailchimpMarketingSimulator simulator, HttpClient client)
    {
        Simulator = simulator;
        Client = client;
    }

    public MailchimpMarketingSimulator Simulator { get; }

    public HttpClient Client { get; }

    public static async Task<SimulatorFixture> StartAsync(TimeProvider? time = null)
    {
        var simulator = new MailchimpMarketingSimulator(time);
        await simulator.StartAsync();
        simulator.AddList(ListId, "Customers");
        var client = new HttpClient { BaseAddress = simulator.ApiBaseAddress };
        client.DefaultRequestHeaders.Authorization = Basic("anystring", simulator.ApiKey);
        return new SimulatorFixture(simulator, client);
    }

    public static AuthenticationHeaderValue Basic(string user, string key) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + key)));

    public static string Hash(string email) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(email.ToLowerInvariant())));

    public Task<HttpResponseMessage> PutMemberAsync(string email, object body, string? hash = null) =>
        Client.PutAsJsonAsync($"lists/{ListId}/members/{hash ?? Hash(email)}", body, System.Text.Json.JsonSerializerOptions.Default);

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response) =>
        (JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject)!;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Simulator.DisposeAsync();
    }
}
