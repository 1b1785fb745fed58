namespace Integrations.Sdk.Testing.Conformance;

/// <summary>Which half of an HTTP exchange a conformance check looked at.</summary>
public enum ConformanceSide
{
    /// <summary>The request a client (a connector) sent.</summary>
    Request,

    /// <summary>The answer a server (a simulator) gave.</summary>
    Response,
}

/// <summary>One HTTP exchange as seen on the wire, by a simulator's middleware or by a client-side handler.</summary>
/// <param name="Platform">The platform: <c>stripe</c>, <c>hubspot</c>, <c>mailchimp-transactional</c>, <c>trello</c>, <c>quickbooks</c> or <c>shopify</c> (or a platform of your own spec).</param>
/// <param name="Method">The HTTP method, for example <c>GET</c>.</param>
/// <param name="Path">The absolute path as sent, without the query string, for example <c>/v1/invoices/in_123</c>.</param>
/// <param name="Query">The raw query string without <c>?</c>; empty when there is none.</param>
/// <param name="RequestHeaders">The request's headers (case-insensitive keys; repeated values joined with <c>", "</c>).</param>
/// <param name="RequestContentType">The request's <c>Content-Type</c>, or <see langword="null"/>.</param>
/// <param name="RequestBody">The request's body (empty when none).</param>
/// <param name="Status">The answer's HTTP status, or <see langword="null"/> when it is not known (no answer, or seen before it).</param>
/// <param name="ResponseContentType">The answer's <c>Content-Type</c>, or <see langword="null"/>.</param>
/// <param name="ResponseBody">The answer's body (empty when none).</param>
/// <param name="Injected">Whether the answer was made by fault injection rather than by the platform model; such answers are not checked.</param>
public sealed record ConformanceExchange(
    string Platform,
    string Method,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> RequestHeaders,
    string? RequestContentType,
    ReadOnlyMemory<byte> RequestBody,
    int? Status,
    string? ResponseContentType,
    ReadOnlyMemory<byte> ResponseBody,
    bool Injected);

/// <summary>One way an exchange departs from what the platform's spec declares, in the spec's words.</summary>
/// <param name="Platform">The platform whose spec was checked.</param>
/// <param name="Side">Whether the request or the answer departs from the spec.</param>
/// <param name="Operation">The spec's operation, method and path template (<c>GET /v1/invoices/{invoice}</c>), or the method and path as sent when no operation matched.</param>
/// <param name="Where">Where in the exchange: <c>path</c>, <c>query:limit</c>, <c>query:created[gte]</c>, <c>header:Authorization</c>, <c>content-type</c>, <c>status</c>, <c>body:/lines/data/0</c>.</param>
/// <param name="SchemaLocation">The spec's words: a JSON pointer into the spec file (<c>spec3.json#/components/schemas/invoice/required</c>), or empty when none applies.</param>
/// <param name="Keyword">The rule broken: <c>operation</c>, <c>required</c>, <c>type</c>, <c>enum</c>, <c>additionalProperties</c>, <c>status</c>, <c>contentType</c>, <c>graphql</c>, ...</param>
/// <param name="Message">What is wrong, naming the value and what the spec wants.</param>
public sealed record ConformanceViolation(
    string Platform,
    ConformanceSide Side,
    string Operation,
    string Where,
    string SchemaLocation,
    string Keyword,
    string Message)
{
    /// <summary>One line: <c>stripe request GET /v1/invoices/{invoice}: at query:limit (spec3.json#/...) [type] Value is ...</c>.</summary>
    /// <returns>The violation as one line of text.</returns>
    public override string ToString() =>
        $"{Platform} {(Side == ConformanceSide.Request ? "request" : "response")} {Operation}: at {Where}"
        + (SchemaLocation.Length > 0 ? $" ({SchemaLocation})" : "") + $" [{Keyword}] {Message}";
}

/// <summary>
/// One platform's published truth (an OpenAPI document, a GraphQL schema, an XML schema), able to check exchanges
/// against it. Public so that a connector of your own can bring its platform's spec (see
/// <see cref="OpenApiPlatformSpec"/>).
/// </summary>
public interface IPlatformSpec
{
    /// <summary>The platform name exchanges carry (<see cref="ConformanceExchange.Platform"/>).</summary>
    string Platform { get; }

    /// <summary>Checks a request: the operation exists, its parameters and body are declared and well typed.</summary>
    /// <param name="exchange">The exchange.</param>
    /// <returns>Every violation found; empty when the request conforms.</returns>
    IReadOnlyList<ConformanceViolation> CheckRequest(ConformanceExchange exchange);

    /// <summary>Checks an answer: its status is declared and its body matches the declared schema. Not called for injected answers or unknown statuses.</summary>
    /// <param name="exchange">The exchange (with its status).</param>
    /// <returns>Every violation found; empty when the answer conforms.</returns>
    IReadOnlyList<ConformanceViolation> CheckResponse(ConformanceExchange exchange);
}
