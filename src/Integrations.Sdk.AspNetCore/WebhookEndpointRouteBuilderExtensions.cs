using Integrations.Sdk.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the webhook endpoints of the registered connectors.</summary>
public static class WebhookEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>POST</c> (and <c>HEAD</c> and <c>GET</c>, for platforms that check the URL with them) <c>{prefix}/{source}</c> for every registered webhook source (<c>/webhooks/stripe</c>,
    /// <c>/webhooks/hubspot</c>...). Each request's raw body is read up to <see cref="WebhookOptions.MaxBodyBytes"/>
    /// (413 beyond), verified (401 and nothing stored when the signature is wrong), handshakes are answered, events
    /// are deduplicated by id and stored in the inbox before the 200 goes back; processing happens afterwards.
    /// The URL handed to the signature check (HubSpot v3 and Trello sign it) is <see cref="WebhookOptions.PublicBaseUrl"/>
    /// plus the request's path and query when that is set, else the request's scheme, host, path base, path and query:
    /// behind a TLS-terminating proxy, set <see cref="WebhookOptions.PublicBaseUrl"/> or use the forwarded-headers
    /// middleware (<c>app.UseForwardedHeaders()</c>, with the proxy trusted) before the endpoints.
    /// </summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <param name="prefix">The path prefix. <value>Default: <c>/webhooks</c>.</value></param>
    /// <returns>The group of webhook endpoints, to add authorization, rate limiting or filters.</returns>
    public static IEndpointConventionBuilder MapIntegrationWebhooks(this IEndpointRouteBuilder endpoints, string prefix = "/webhooks")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        var receiver = endpoints.ServiceProvider.GetRequiredService<WebhookReceiver>();
        var group = endpoints.MapGroup(prefix);
        var handshakes = endpoints.ServiceProvider.GetServices<IWebhookSource>().OfType<IWebhookHandshake>().Cast<IWebhookSource>().Select(s => s.Name).ToHashSet();
        foreach (var source in receiver.Sources)
        {
            // HEAD and GET too for a source that answers a handshake: Trello checks a callback URL with HEAD before it
            // creates a webhook, Mailchimp with a GET when a list webhook is saved.
            string[] methods = handshakes.Contains(source) ? [HttpMethods.Post, HttpMethods.Head, HttpMethods.Get] : [HttpMethods.Post];
            group.MapMethods("/" + source, methods, (HttpContext context) => HandleAsync(context, source))
                .WithName("integrations-webhook-" + source)
                .DisableAntiforgery();
        }

        return group;
    }

    private static async Task HandleAsync(HttpContext context, string source)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<WebhookOptions>>().Value;
        var request = context.Request;
        if (request.ContentLength > options.MaxBodyBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        var body = await ReadBodyAsync(request, options.MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        var url = PublicUrl(request, options.PublicBaseUrl);
        var headers = request.Headers.Select(h => new KeyValuePair<string, string>(h.Key, h.Value.ToString()));
        var webhook = new WebhookRequest(request.Method, url, headers, body);
        var receipt = await services.GetRequiredService<WebhookReceiver>().ReceiveAsync(source, webhook, context.RequestAborted).ConfigureAwait(false);

        var response = receipt.Response;
        context.Response.StatusCode = response.StatusCode;
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (response.Body is not null)
        {
            context.Response.ContentType = response.ContentType ?? "text/plain; charset=utf-8";
            await context.Response.WriteAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The URL the platform called, which HubSpot (v3) and Trello sign: <paramref name="publicBaseUrl"/> (the public
    /// address of the application's root, replacing the scheme, host and path base) plus the path and query when set;
    /// otherwise the request's own scheme, host and path base, which the forwarded-headers middleware may have set.
    /// </summary>
    private static Uri PublicUrl(HttpRequest request, Uri? publicBaseUrl)
    {
        if (publicBaseUrl is null)
        {
            return new Uri($"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}{request.Path.ToUriComponent()}{request.QueryString.ToUriComponent()}");
        }

        var root = publicBaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri(root + request.Path.ToUriComponent() + request.QueryString.ToUriComponent());
    }

    /// <summary>Reads the raw body, or returns <see langword="null"/> when it is longer than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
