using System.Security.Cryptography;
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
    /// <inheritdoc />
    public override string Platform => "mailchimp-transactional";

    /// <summary>The fault-injection name of <c>POST /api/1.0/messages/send-template</c>.</summary>
    public const string SendTemplateEndpoint = "send-template";

    private static readonly SimulatorPersistence Persistence = new(
        "Mailchimp Transactional simulator",
        new JsonObject { ["format"] = "Integrations.Sdk.Testing.MailchimpTransactionalSimulator", ["version"] = 1 });

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
    public IReadOnlyList<SimulatedEmail> Sent => Locked(() => _sent.ToList());

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
    public IReadOnlyCollection<string> Templates => Locked(() => _templates.ToList());

    /// <summary>Adds a template the API will accept by <c>template_name</c> (compared case-insensitively).</summary>
    /// <param name="name">The template's slug or name.</param>
    public void AddTemplate(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (Gate)
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
        lock (Gate)
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
    public Task SaveAsync(string path, CancellationToken cancellationToken = default) => Persistence.SaveAsync(path, Locked(() => new JsonObject
    {
        ["templates"] = new JsonArray([.. _templates.Select(t => (JsonNode)JsonValue.Create(t))]),
        ["rejects"] = new JsonArray([.. _rejects.Select(r => (JsonNode)new JsonObject { ["email"] = r.Key, ["reason"] = r.Value })]),
        ["sent"] = new JsonArray([.. _sent.Select(m => JsonSerializer.SerializeToNode(m))]),
    }), cancellationToken);

    /// <summary>Replaces the simulator's data with what <see cref="SaveAsync"/> wrote to <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="InvalidDataException">The file is not a saved Mailchimp Transactional simulator.</exception>
    public async Task LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        var root = await Persistence.LoadAsync(path, cancellationToken).ConfigureAwait(false);
        List<SimulatedEmail> sent;
        try
        {
            sent = [.. (root["sent"] as JsonArray ?? []).Select(m => m.Deserialize<SimulatedEmail>() ?? throw Persistence.Invalid(path, "a sent message is null."))];
        }
        catch (JsonException ex)
        {
            throw Persistence.Invalid(path, ex.Message, ex);
        }

        lock (Gate)
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
        Map(endpoints, "POST", "/api/1.0/messages/send-template", SendTemplateAsync);
        Map(endpoints, "POST", "/api/1.0/messages/send-template.json", SendTemplateAsync);
    }

    private async Task<IResult> SendTemplateAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var (body, invalid) = await ReadJsonAsync(context).ConfigureAwait(false);
        return await WithFaultsAsync(context, SendTemplateEndpoint, () => invalid is not null || body is not JsonObject json
            ? Error(-2, "ValidationError", $"You must specify a key value (the body is not a JSON object: {invalid ?? "found " + body?.GetValueKind()})")
            : Send(json)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override IResult FaultAnswer(HttpContext context, int status) => status == StatusCodes.Status429TooManyRequests
        ? Results.Json(ErrorBody(-1, "Too_Many_Requests", "Too many requests (injected)"), statusCode: status)
        : Results.Json(ErrorBody(-1, "GeneralError", "An unexpected error occurred processing the request (injected)"), statusCode: status);

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
        lock (Gate)
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
