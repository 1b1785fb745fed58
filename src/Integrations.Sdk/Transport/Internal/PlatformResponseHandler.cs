using System.Diagnostics;
using System.Net.Sockets;
using Integrations.Sdk.Transport.Auth;
using Microsoft.Extensions.Logging;

namespace Integrations.Sdk.Transport.Internal;

/// <summary>
/// The innermost handler, once per attempt: traces the attempt, feeds the platform's rate-limit signals to the
/// budget and turns every failure into a <see cref="PlatformException"/> that says whether it may have been applied.
/// </summary>
internal sealed class PlatformResponseHandler(
    string connector,
    IOptionsMonitor<ConnectorHttpOptions> optionsMonitor,
    RateLimitBudgets budgets,
    SecretRedactor redactor,
    TimeProvider timeProvider,
    ILogger logger) : DelegatingHandler
{
    private const int MaxErrorBody = 4096;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var options = optionsMonitor.Get(connector);
        var signals = options.Signals;
        var account = request.GetAccount();
        using var activity = IntegrationsTelemetry.Source.StartActivity("integrations.http.attempt", ActivityKind.Client);
        activity?.SetTag("integrations.connector", connector);
        activity?.SetTag("http.request.method", request.Method.Method);
        var method = request.Method.Method;

        // Some platforms put the token in the path (a bot token): the path is redacted once, for the trace and the logs.
        var path = redactor.Redact(request.RequestUri?.AbsolutePath ?? "?");
        activity?.SetTag("url.path", path);
        var started = timeProvider.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            Log.HttpAttempt(logger, connector, method, path, (int)response.StatusCode, timeProvider.GetElapsedTime(started));
        }
        catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Refused connections never reached the platform; anything else may have been received and applied.
            var notSent = ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
                && ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound };
            activity?.SetStatus(ActivityStatusCode.Error, ex.HttpRequestError.ToString());
            Log.HttpAttemptFailed(logger, connector, method, path, ex.HttpRequestError.ToString());
            throw new PlatformException(connector, null, "transport_" + ex.HttpRequestError.ToString().ToLowerInvariant(),
                redactor.Redact(ex.Message), isRetryable: true, mayHaveBeenApplied: !notSent, innerException: null);
        }

        activity?.SetTag("http.response.status_code", (int)response.StatusCode);
        var budget = budgets.Get(connector, account);
        signals.ObserveBudget(response, budget);
        if (response.IsSuccessStatusCode)
        {
            var hidden = await signals.InspectSuccessAsync(response, budget, cancellationToken).ConfigureAwait(false);
            if (hidden is null)
            {
                return response;
            }

            response.Dispose();
            activity?.SetStatus(ActivityStatusCode.Error, hidden.ErrorCode);
            throw new PlatformException(hidden.Platform, hidden.StatusCode, hidden.ErrorCode, redactor.Redact(hidden.PlatformMessage), hidden.RequestId,
                hidden.IsRetryable, hidden.MayHaveBeenApplied, hidden.RetryAfter, hidden.InnerException);
        }

        using (response)
        {
            var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
            var error = signals.ReadError(response, body);
            var status = response.StatusCode;
            var retryAfter = signals.ReadRetryAfter(response, timeProvider.GetUtcNow());
            var tokenRejected = status == HttpStatusCode.Unauthorized
                && request.Options.TryGetValue(OAuth2BearerHandler.TokenRejected, out var rejected) && rejected;
            if (status == HttpStatusCode.TooManyRequests)
            {
                budget.PauseFor(retryAfter ?? options.RetryBaseDelay);
            }

            activity?.SetStatus(ActivityStatusCode.Error, error.Code ?? ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture));
            throw new PlatformException(
                connector,
                status,
                error.Code,
                redactor.Redact(error.Message),
                error.RequestId ?? signals.ReadRequestId(response),
                isRetryable: tokenRejected || (error.IsRetryable ?? signals.IsRetryable(status)),
                mayHaveBeenApplied: error.MayHaveBeenApplied ?? ((int)status >= 500 || status == HttpStatusCode.RequestTimeout),
                retryAfter: retryAfter);
        }
    }

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new char[MaxErrorBody];
            using var reader = new StreamReader(stream);
            var read = await reader.ReadBlockAsync(buffer, cancellationToken).ConfigureAwait(false);
            return new string(buffer, 0, read);
        }
    }
}
