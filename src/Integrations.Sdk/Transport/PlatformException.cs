namespace Integrations.Sdk.Transport;

/// <summary>
/// The one exception every connector throws for a platform failure: an error response, a throttle, a timeout, a
/// dropped connection or an open circuit. It says whether a retry can help and whether the write may have happened.
/// Its message never contains secrets.
/// </summary>
public sealed class PlatformException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="platform">The connector's name.</param>
    /// <param name="statusCode">The HTTP status, or <see langword="null"/> when no response arrived.</param>
    /// <param name="errorCode">The platform's own error code, when it sent one.</param>
    /// <param name="message">What went wrong, already free of secrets.</param>
    /// <param name="requestId">The platform's request id, for its support.</param>
    /// <param name="isRetryable">Whether trying again later can succeed.</param>
    /// <param name="mayHaveBeenApplied">Whether the platform may have acted on the request (unknown effect).</param>
    /// <param name="retryAfter">How long the platform asked to wait.</param>
    /// <param name="innerException">The underlying exception.</param>
    public PlatformException(
        string platform,
        HttpStatusCode? statusCode,
        string? errorCode,
        string message,
        string? requestId = null,
        bool isRetryable = false,
        bool mayHaveBeenApplied = false,
        TimeSpan? retryAfter = null,
        Exception? innerException = null)
        : base(Format(platform, statusCode, errorCode, message, requestId), innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(platform);
        Platform = platform;
        StatusCode = statusCode;
        ErrorCode = errorCode;
        PlatformMessage = message;
        RequestId = requestId;
        IsRetryable = isRetryable;
        MayHaveBeenApplied = mayHaveBeenApplied;
        RetryAfter = retryAfter;
    }

    /// <summary>
    /// The exception for a 2xx answer the connector cannot use (a missing id, a null item, paging that would not end):
    /// <c>invalid_response</c>, not retryable.
    /// </summary>
    /// <param name="platform">The connector's name.</param>
    /// <param name="message">What is wrong with the answer.</param>
    /// <param name="mayHaveBeenApplied">Whether the request was a write that may have taken effect.</param>
    /// <param name="innerException">Why the answer could not be read (a <c>JsonException</c>), if anything threw.</param>
    public static PlatformException InvalidResponse(string platform, string message, bool mayHaveBeenApplied = false, Exception? innerException = null) =>
        new(platform, HttpStatusCode.OK, "invalid_response", message, mayHaveBeenApplied: mayHaveBeenApplied, innerException: innerException);

    /// <summary>The connector's name, for example <c>quickbooks</c>.</summary>
    public string Platform { get; }

    /// <summary>The HTTP status, or <see langword="null"/> when no response arrived (timeout, reset, open circuit).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The platform's own error code (QuickBooks <c>Fault.Error.code</c>, Stripe <c>error.code</c>...).</summary>
    public string? ErrorCode { get; }

    /// <summary>The platform's message, free of secrets.</summary>
    public string PlatformMessage { get; }

    /// <summary>The platform's request id, to quote to its support.</summary>
    public string? RequestId { get; }

    /// <summary>Whether trying again later can succeed (throttles, 5xx, timeouts). Validation errors are not retryable.</summary>
    public bool IsRetryable { get; }

    /// <summary>
    /// Whether the platform may have acted on the request: a 5xx, a timeout or a dropped connection after the request
    /// was sent. <see langword="false"/> when the platform clearly refused it (4xx, 429) or it was never sent.
    /// </summary>
    public bool MayHaveBeenApplied { get; }

    /// <summary>How long the platform asked to wait before retrying (<c>Retry-After</c> or its own signal).</summary>
    public TimeSpan? RetryAfter { get; }

    private static string Format(string platform, HttpStatusCode? status, string? code, string message, string? requestId)
    {
        var text = status is { } s ? $"{platform} returned {(int)s} ({s})" : $"{platform} request failed";
        if (!string.IsNullOrEmpty(code))
        {
            text += $" [{code}]";
        }

        text += ": " + message;
        if (!string.IsNullOrEmpty(requestId))
        {
            text += $" (request id {requestId})";
        }

        return text;
    }
}
