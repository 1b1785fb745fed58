using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Integrations.Sdk.Testing.MailchimpTransactional;

/// <summary>
/// A stateful fake of the Mailchimp Transactional (Mandrill) API on 127.0.0.1, for tests and samples: it sends
/// templated emails into an inspectable outbox. It speaks HTTP and JSON only (it does not use the connector package).
/// Point the connector's <c>BaseAddress</c> at <see cref="ApiBaseAddress"/>.
/// </summary>
/// <remarks>
/// <para><b>Endpoint</b>, served through <see cref="SimulatorHost.Faults"/> under the name in brackets:
/// <c>POST /api/1.0/messages/send-template</c> [<c>send-template</c>]. It checks, in order: the body is a JSON object
/// (else <c>ValidationError</c>); <c>key</c> is <see cref="ApiKey"/> (else <c>Invalid_Key</c>, code -1);
/// <c>template_name</c> is a known template (<see cref="AddTemplate"/>; else <c>Unknown_Template</c>, code 5);
/// <c>message.to</c> holds at least one recipient with an <c>email</c> (else <c>ValidationError</c>, code -2). Errors
/// are answered as Mandrill does, <c>{"status":"error","code":...,"name":...,"message":...}</c>, with
/// <see cref="ErrorStatusCode"/>. Then each recipient gets <c>{ "email", "status", "reject_reason", "_id" }</c>:
/// <c>rejected</c> with the seeded reason for an address on the reject list (<see cref="AddReject"/>), <c>invalid</c>
/// for an address without <c>@</c>, else <c>sent</c>, and the message is recorded in <see cref="Sent"/>.</para>
/// <para><b>No idempotency</b>, as in Mandrill: the same request twice sends twice. <see cref="Duplicates"/> shows it.</para>
/// <para><b>Faults</b>: <see cref="SimulatorHost.Faults"/> applies before anything else; its 5xx and 429 answers carry
/// a Mandrill error body (<c>GeneralError</c>, <c>Too_Many_Requests</c>). <see cref="FaultKind.CommitThenDrop"/> sends
/// the email, then drops the connection.</para>
/// </remarks>
public sealed class MailchimpTransactionalSimulator : SimulatorHost
{
    /// <summary>The fault-injection name of <c>POST /api/1.0/messages/send-template</c>.</summary>
    public const string SendTemplateEndpoint = "send-template";

    private const string FileFormat = "Integrations.Sdk.Testing.MailchimpTransactionalSimulator";
    private const int FileVersion = 1;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly Lock _gate = new();
    private readonly HashSet<string> _templates = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _rejects = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<SimulatedEmail> _sent = [];
    private int _requests;

    /// <summary>Creates the simulator (not started).</summary>
    /// <param name="timeProvider">The platform's clock, for send times. The system clock by default.</param>
    /// <param name="seed">Seeds random faults.</param>
    public MailchimpTransactionalSimulator(TimeProvider? timeProvider = null, int seed = 0)
        : base(timeProvider, seed)
    {
    }

    /// <summary>The API key accepted in the body's <c>key</c>. <value>Default: <c>sim-mandrill-key</c>.</value></summary>
    public string ApiKey { get; set; } = "sim-mandrill-key";

    /// <summary>The HTTP status of error answers; Mandrill answers most of its errors with 500. <value>Default: 500.</value></summary>
    public int ErrorStatusCode { get; set; } = StatusCodes.Status500InternalServerError;

    /// <summary>The API root to configure the connector with, once started: <c>http://127.0.0.1:port/api/1.0/</c>.</summary>
    public Uri ApiBaseAddress => new(BaseAddress, "api/1.0/");

    /// <summary>Requests received on the API (faulted ones included).</summary>
    public int RequestCount => Volatile.Read(ref _requests);

    /// <summary>The messages sent, one per accepted recipient, in order.</summary>
    public IReadOnlyList<SimulatedEmail> Sent
    {
        get
        {
            lock (_gate)
            {
                return [.. _sent];
            }
        }
    }

    /// <summary>
    /// Messages beyond the first with the same <c>metadata.integrations_key</c> and recipient, or, for messages
    /// without the key, the same recipient and template: a correct integration leaves this empty.
    /// </summary>
    public IReadOnlyList<SimulatedEmail> Duplicates =>
        [.. Sent.GroupBy(m => m.IntegrationsKey is { } key
                ? "key:" + key + "|" + m.To.ToUpperInvariant()
                : "to:" + m.To.ToUpperInvariant() + "|" + m.TemplateName.ToUpperInvariant(), StringComparer.Ordinal)
            .SelectMany(g => g.Skip(1))];

    /// <summary>The known templates.</summary>
    public IReadOnlyCollection<string> Templates
    {
        get
        {
            lock (_gate)
            {
                return [.. _templates];
            }
        }
    }

    /// <summary>Adds a template the API will accept by <c>template_name</c> (compared case-insensitively).</summary>
    /// <param name="name">The template's slug or name.</param>
    public void AddTemplate(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (_gate)
        {
            _templates.Add(name.Trim());
        }
    }

    /// <summary>Puts an address on the reject list: sends to it are answered <c>rejected</c> and not recorded.</summary>
    /// <param name="email">The address.</param>
    /// <param name="reason">The <c>reject_reason</c>: <c>hard-bounce</c>, <c>soft-bounce</c>, <c>spam</c>, <c>unsub</c>, <c>custom</c>... <value>Default: <c>hard-bounce</c>.</value></param>
    public void AddReject(string email, string reason = "hard-bounce")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        lock (_gate)
        {
            _rejects[email.Trim()] = reason;
        }
    }

    /// <summary>Returns the sent messages whose <c>metadata.integrations_key</c> is <paramref name="key"/>, as a search of Mandrill's log would.</summary>
    /// <param name="key">The key.</param>
    public IReadOnlyList<SimulatedEmail> FindByIntegrationsKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return [.. Sent.Where(m => string.Equals(m.IntegrationsKey, key, StringComparison.Ordinal))];
    }

    /// <summary>
    /// Writes the simulator's data to <paramref name="path"/> as JSON: templates, reject list and sent messages.
    /// Faults and settings are not saved.
    /// </summary>
    /// <param name="path">The file; replaced if it exists.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task SaveAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string json;
        lock (_gate)
        {
            json = new JsonObject
            {
                ["format"] = FileFormat,
                ["version"] = FileVersion,
                ["templates"] = new JsonArray([.. _templates.Select(t => (JsonNode)JsonValue.Create(t))]),
                ["rejects"] = new JsonArray([.. _rejects.Select(r => (JsonNode)new JsonObject { ["email"] = r.Key, ["reason"] = r.Value })]),
                ["sent"] = new JsonArray([.. _sent.Select(m => JsonSerializer.SerializeToNode(m))]),
            }.ToJsonString(Indented);
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, json, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Replaces the simulator's data with what <see cref="SaveAsync"/> wrote to <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="InvalidDataException">The file is not a saved Mailchimp Transactional simulator.</exception>
    public async Task LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        JsonObject root;
        List<SimulatedEmail> sent;
        try
        {
            root = JsonNode.Parse(text) as JsonObject ?? throw new InvalidDataException($"{path} does not hold a JSON object.");
            if (Str(root["format"]) != FileFormat || Str(root["version"]) != FileVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw new InvalidDataException($"{path} is not a Mailchimp Transactional simulator file of version {FileVersion}.");
            }

            sent = [.. (root["sent"] as JsonArray ?? []).Select(m => m.Deserialize<SimulatedEmail>() ?? throw new InvalidDataException($"{path} holds a null message."))];
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not a valid simulator file: {ex.Message}", ex);
        }

        lock (_gate)
        {
            _templates.Clear();
            foreach (var template in (root["templates"] as JsonArray ?? []).Select(Str).OfType<string>())
            {
                _templates.Add(template);
            }

            _rejects.Clear();
            foreach (var reject in (root["rejects"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (Str(reject["email"]) is { } email)
                {
                    _rejects[email] = Str(reject["reason"]) ?? "hard-bounce";
                }
            }

            _sent.Clear();
            _sent.AddRange(sent);
        }
    }

    /// <inheritdoc />
    protected override void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        // Typed as Func so the Delegate overloads are used and the IResult is written (a RequestDelegate would drop it).
        endpoints.MapPost("/api/1.0/messages/send-template", (Func<HttpContext, Task<IResult>>)SendTemplateAsync);
        endpoints.MapPost("/api/1.0/messages/send-template.json", (Func<HttpContext, Task<IResult>>)SendTemplateAsync);
    }

    private async Task<IResult> SendTemplateAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        JsonNode? body = null;
        string? invalid = null;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            invalid = ex.Message;
        }

        return await Faults.RunAsync(
            context,
            SendTemplateEndpoint,
            () => Task.FromResult(invalid is not null || body is not JsonObject json
                ? Error(-2, "ValidationError", $"You must specify a key value (the body is not a JSON object: {invalid ?? "found " + body?.GetValueKind()})")
                : Send(json)),
            status => status == StatusCodes.Status429TooManyRequests
                ? Results.Json(ErrorBody(-1, "Too_Many_Requests", "Too many requests (injected)"), statusCode: status)
                : Results.Json(ErrorBody(-1, "GeneralError", "An unexpected error occurred processing the request (injected)"), statusCode: status)).ConfigureAwait(false);
    }

    private IResult Send(JsonObject body)
    {
        if (Str(body["key"]) is not { Length: > 0 } key || !string.Equals(key, ApiKey, StringComparison.Ordinal))
        {
            return Error(-1, "Invalid_Key", "Invalid API key");
        }

        var templateName = Str(body["template_name"]);
        if (string.IsNullOrWhiteSpace(templateName))
        {
            return Error(-2, "ValidationError", "Validation error: {\"template_name\":\"Sorry, this field can't be left blank.\"}");
        }

        if (body["message"] is not JsonObject message || message["to"] is not JsonArray { Count: > 0 } to
            || to.Any(r => string.IsNullOrWhiteSpace(Str(r?["email"]))))
        {
            return Error(-2, "ValidationError", "Validation error: {\"message\":{\"to\":\"Please enter an array with at least one recipient, each with an email\"}}");
        }

        var mergeVars = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var variable in (message["global_merge_vars"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (Str(variable["name"]) is { } name)
            {
                mergeVars[name] = Str(variable["content"]);
            }
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in message["metadata"] as JsonObject ?? [])
        {
            metadata[name] = Str(value) ?? string.Empty;
        }

        var tags = (message["tags"] as JsonArray ?? []).Select(Str).OfType<string>().ToList();
        var now = Time.GetUtcNow();
        var answer = new JsonArray();
        lock (_gate)
        {
            if (!_templates.Contains(templateName.Trim()))
            {
                return Error(5, "Unknown_Template", $"No such template \"{templateName}\"");
            }

            foreach (var recipient in to)
            {
                var email = Str(recipient?["email"])!.Trim();
                var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
                if (_rejects.TryGetValue(email, out var reason))
                {
                    answer.Add(Result(email, "rejected", reason, id));
                }
                else if (!email.Contains('@', StringComparison.Ordinal))
                {
                    answer.Add(Result(email, "invalid", null, id));
                }
                else
                {
                    _sent.Add(new SimulatedEmail(id, templateName.Trim(), email, Str(recipient?["name"]), "sent", mergeVars, metadata, tags,
                        Str(message["subject"]), Str(message["from_email"]), now));
                    answer.Add(Result(email, "sent", null, id));
                }
            }
        }

        return Results.Text(answer.ToJsonString(), "application/json", statusCode: StatusCodes.Status200OK);
    }

    private static JsonObject Result(string email, string status, string? rejectReason, string id) => new()
    {
        ["email"] = email,
        ["status"] = status,
        ["reject_reason"] = rejectReason,
        ["_id"] = id,
    };

    private IResult Error(int code, string name, string message) => Results.Json(ErrorBody(code, name, message), statusCode: ErrorStatusCode);

    private static Dictionary<string, object> ErrorBody(int code, string name, string message) => new(StringComparer.Ordinal)
    {
        ["status"] = "error",
        ["code"] = code,
        ["name"] = name,
        ["message"] = message,
    };

    private static string? Str(JsonNode? node) => node is JsonValue value
        ? value.TryGetValue<string>(out var s) ? s : value.ToJsonString()
        : node?.ToJsonString();
}
