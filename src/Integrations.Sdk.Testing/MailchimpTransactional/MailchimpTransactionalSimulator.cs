using System.Security.Cryptography;
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
/// <c>POST /api/1.0/messages/send-template</c> [<c>send-template</c>] (also <c>/api/1.3/</c>, the published spec's
/// base path, and with a <c>.json</c> suffix). It checks, in order: <c>key</c> is present (else <c>ValidationError</c>,
/// code -1, "You must specify a key value"; also for a body that is not a JSON object) and is <see cref="ApiKey"/>
/// (else <c>Invalid_Key</c>, code -1); the body has what the published spec requires and declares
/// (<c>template_name</c>, <c>template_content</c> an array of <c>{name, content}</c>, <c>message</c> an object whose
/// <c>to</c> holds at least one recipient with an <c>email</c>, <c>type</c> one of to/cc/bcc, string
/// <c>subject</c>/<c>from_email</c>/<c>from_name</c>, <c>merge_language</c> mailchimp or handlebars, <c>tags</c> an
/// array of strings, <c>metadata</c> an object, <c>async</c> a boolean; else <c>ValidationError</c>, code -2);
/// <c>template_name</c> is a known template (<see cref="AddTemplate"/>; else <c>Unknown_Template</c>, code 5).
/// Errors are answered as Mandrill does, <c>{"status":"error","code":...,"name":...,"message":...}</c>, with
/// <see cref="ErrorStatusCode"/> (500); so is a call to a method the simulator does not have (<c>GeneralError</c>).
/// Then each recipient gets <c>{ "email", "status", "_id" }</c>, plus <c>reject_reason</c> when <c>rejected</c> (an
/// address on the reject list, <see cref="AddReject"/>) and <c>queued_reason</c> when queued for a documented reason
/// (<c>attachments</c>): <c>invalid</c> for an address without <c>@</c>; <c>queued</c> for an <c>async</c> send or
/// one with attachments; else <c>sent</c>. Sent and queued messages are recorded in <see cref="Sent"/>.</para>
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

    /// <summary>The API versions served: the connector's <c>1.0</c> and the published spec's <c>1.3</c>.</summary>
    private static readonly string[] ApiVersions = ["1.0", "1.3"];

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
        ArgumentNullException.ThrowIfNull(endpoints);
        foreach (var version in ApiVersions)
        {
            Map(endpoints, "POST", $"/api/{version}/messages/send-template", SendTemplateAsync);
            Map(endpoints, "POST", $"/api/{version}/messages/send-template.json", SendTemplateAsync);
        }

        endpoints.MapFallback("{**path}", UnknownMethod);
    }

    private async Task<IResult> SendTemplateAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var (body, invalid) = await ReadJsonAsync(context).ConfigureAwait(false);
        return await WithFaultsAsync(context, SendTemplateEndpoint, () => invalid is not null || body is not JsonObject json
            ? Error(-1, "ValidationError", "You must specify a key value")
            : Send(json)).ConfigureAwait(false);
    }

    /// <summary>A call Mandrill does not have: its error body with <see cref="ErrorStatusCode"/> (assumed: <c>GeneralError</c>).</summary>
    private IResult UnknownMethod(HttpContext context) =>
        Error(-1, "GeneralError", $"Unknown API method: {context.Request.Method} {context.Request.Path}");

    /// <inheritdoc />
    protected override IResult FaultAnswer(HttpContext context, int status) => status == StatusCodes.Status429TooManyRequests
        ? Results.Json(ErrorBody(-1, "Too_Many_Requests", "Too many requests (injected)"), statusCode: status)
        : Results.Json(ErrorBody(-1, "GeneralError", "An unexpected error occurred processing the request (injected)"), statusCode: status);

    private IResult Send(JsonObject body)
    {
        if (body["key"] is null)
        {
            return Error(-1, "ValidationError", "You must specify a key value");
        }

        if (Str(body["key"]) is not { Length: > 0 } key || body["key"] is not JsonValue || !string.Equals(key, ApiKey, StringComparison.Ordinal))
        {
            return Error(-1, "Invalid_Key", "Invalid API key");
        }

        if (Invalid(body) is { } refused)
        {
            return Error(-2, "ValidationError", refused);
        }

        var templateName = Str(body["template_name"])!;
        var message = (JsonObject)body["message"]!;
        var to = (JsonArray)message["to"]!;
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
        var queued = body["async"] is JsonValue a && a.TryGetValue<bool>(out var isAsync) && isAsync;
        var queuedReason = message["attachments"] is JsonArray { Count: > 0 } ? "attachments" : null;
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
                    answer.Add(Result(email, "rejected", id, rejectReason: reason));
                }
                else if (!email.Contains('@', StringComparison.Ordinal))
                {
                    answer.Add(Result(email, "invalid", id));
                }
                else
                {
                    var status = queued || queuedReason is not null ? "queued" : "sent";
                    _sent.Add(new SimulatedEmail(id, templateName.Trim(), email, Str(recipient?["name"]), status, mergeVars, metadata, tags,
                        Str(message["subject"]), Str(message["from_email"]), now));
                    answer.Add(Result(email, status, id, queuedReason: queuedReason));
                }
            }
        }

        return Results.Text(answer.ToJsonString(), "application/json", statusCode: StatusCodes.Status200OK);
    }

    /// <summary>
    /// Checks the body against what the published spec declares for <c>send-template</c>: the required
    /// <c>template_name</c>, <c>template_content</c> and <c>message</c>, and the types and enums of the fields the
    /// simulator reads. Mandrill also needs at least one recipient. Returns Mandrill's message, or <see langword="null"/>.
    /// </summary>
    private static string? Invalid(JsonObject body)
    {
        static string Says(string field, string complaint) => $"Validation error: {{\"{field}\":\"{complaint}\"}}";

        if (Str(body["template_name"]) is not { } name || string.IsNullOrWhiteSpace(name) || body["template_name"] is not JsonValue)
        {
            return body["template_name"] is null ? "You must specify a template_name value" : Says("template_name", "Sorry, this field can't be left blank.");
        }

        if (body["template_content"] is null)
        {
            return "You must specify a template_content value";
        }

        if (NameContentList(body["template_content"], "template_content") is { } badContent)
        {
            return badContent;
        }

        if (body["message"] is null)
        {
            return "You must specify a message value";
        }

        if (body["message"] is not JsonObject message)
        {
            return Says("message", "Please enter a struct/associative array");
        }

        if (message["to"] is not JsonArray { Count: > 0 } to)
        {
            return Says("message.to", "Please enter an array with at least one recipient");
        }

        for (var i = 0; i < to.Count; i++)
        {
            if (to[i] is not JsonObject recipient || !IsString(recipient["email"]) || string.IsNullOrWhiteSpace(Str(recipient["email"])))
            {
                return Says($"message.to[{i}].email", "Sorry, this field can't be left blank.");
            }

            if (recipient["type"] is { } kind && Str(kind) is not ("to" or "cc" or "bcc"))
            {
                return Says($"message.to[{i}].type", "Please select one of: to, cc, bcc");
            }

            if (recipient["name"] is { } recipientName && !IsString(recipientName))
            {
                return Says($"message.to[{i}].name", "Please enter a string");
            }
        }

        foreach (var field in new[] { "subject", "from_email", "from_name" })
        {
            if (message[field] is { } value && !IsString(value))
            {
                return Says($"message.{field}", "Please enter a string");
            }
        }

        if (message["merge_language"] is { } language && Str(language) is not ("mailchimp" or "handlebars"))
        {
            return Says("message.merge_language", "Please select one of: mailchimp, handlebars");
        }

        if (message["tags"] is { } tags && (tags is not JsonArray tagList || !tagList.All(IsString)))
        {
            return Says("message.tags", "Please enter an array of strings");
        }

        if (message["metadata"] is { } metadata && metadata is not JsonObject)
        {
            return Says("message.metadata", "Please enter a struct/associative array");
        }

        if (message["global_merge_vars"] is { } vars && (vars is not JsonArray varList || !varList.All(v => v is JsonObject o && IsString(o["name"]))))
        {
            return Says("message.global_merge_vars", "Please enter an array of {name, content} structs");
        }

        return body["async"] is { } async && async.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False)
            ? Says("async", "Please enter a boolean")
            : null;
    }

    /// <summary>An array of <c>{ name, content }</c> with string values (the spec's <c>template_content</c> items).</summary>
    private static string? NameContentList(JsonNode? node, string field)
    {
        if (node is not JsonArray list)
        {
            return $"Validation error: {{\"{field}\":\"Please enter an array\"}}";
        }

        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not JsonObject item || (item["name"] is { } n && !IsString(n)) || (item["content"] is { } c && !IsString(c)))
            {
                return $"Validation error: {{\"{field}[{i}]\":\"Please enter a struct with a string name and content\"}}";
            }
        }

        return null;
    }

    private static bool IsString(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String;

    /// <summary>
    /// One recipient's result as the spec declares it: <c>email</c>, <c>status</c>, <c>_id</c>, and
    /// <c>reject_reason</c> / <c>queued_reason</c> when the status is <c>rejected</c> / <c>queued</c> (the spec's
    /// fields are strings, so a reason that does not apply is left out rather than sent as <c>null</c>).
    /// </summary>
    private static JsonObject Result(string email, string status, string id, string? rejectReason = null, string? queuedReason = null)
    {
        var result = new JsonObject { ["email"] = email, ["status"] = status };
        if (rejectReason is not null)
        {
            result["reject_reason"] = rejectReason;
        }

        if (queuedReason is not null)
        {
            result["queued_reason"] = queuedReason;
        }

        result["_id"] = id;
        return result;
    }

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
