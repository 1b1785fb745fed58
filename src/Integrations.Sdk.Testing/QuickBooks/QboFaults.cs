namespace Integrations.Sdk.Testing.QuickBooks;

/// <summary>An answer of the simulator: a status and a JSON body.</summary>
internal sealed record QboAnswer(int Status, string Body, TimeSpan? RetryAfter = null)
{
    public bool IsSuccess => Status is >= 200 and < 300;
}

/// <summary>QuickBooks' error bodies, in the two shapes it uses.</summary>
internal static class QboFaults
{
    public static string Time(DateTimeOffset now) => now.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    /// <summary><c>{"Fault":{"Error":[{"Message","Detail","code","element"}],"type":"ValidationFault"},"time":...}</c>.</summary>
    public static QboAnswer Validation(DateTimeOffset now, string code, string message, string detail, string? element = null, int status = 400) =>
        new(status, Upper(now, "ValidationFault", code, message, detail, element));

    /// <summary>The 401 QuickBooks answers to a missing, unknown or expired access token (lower-case shape).</summary>
    public static QboAnswer Authentication(DateTimeOffset now, string detail) =>
        new(401, Lower(now, "AUTHENTICATION", "3200", "message=AuthenticationFailed; errorCode=003200; statusCode=401", detail));

    /// <summary>The 403 for a realm the token does not grant.</summary>
    public static QboAnswer Authorization(DateTimeOffset now, string detail) =>
        new(403, Upper(now, "AuthorizationFault", "3100", "message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403", detail, null));

    /// <summary>The 429 of the throttle (lower-case shape).</summary>
    public static QboAnswer Throttled(DateTimeOffset now, TimeSpan? retryAfter, string detail) =>
        new(429, Lower(now, "SERVICE", "3001", "message=ThrottleExceeded; errorCode=003001; statusCode=429", detail), retryAfter);

    /// <summary>A server error.</summary>
    public static QboAnswer Server(DateTimeOffset now, int status) =>
        new(status, Upper(now, "SystemFault", "10000", "An application error has occurred while processing your request", $"System Failure Error: the simulator answered {status} on purpose", null));

    private static string Upper(DateTimeOffset now, string type, string code, string message, string detail, string? element)
    {
        var error = new JsonObject { ["Message"] = message, ["Detail"] = detail, ["code"] = code };
        if (element is not null)
        {
            error["element"] = element;
        }

        return new JsonObject
        {
            ["Fault"] = new JsonObject { ["Error"] = new JsonArray(error), ["type"] = type },
            ["time"] = Time(now),
        }.ToJsonString();
    }

    private static string Lower(DateTimeOffset now, string type, string code, string message, string detail) =>
        new JsonObject
        {
            ["fault"] = new JsonObject
            {
                ["error"] = new JsonArray(new JsonObject { ["message"] = message, ["detail"] = detail, ["code"] = code }),
                ["type"] = type,
            },
            ["time"] = Time(now),
        }.ToJsonString();
}
