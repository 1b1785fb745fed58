using System.ComponentModel.DataAnnotations;

namespace Integrations.Sdk.Webhooks;

/// <summary>How webhooks are received and processed. Validated when the host starts.</summary>
public sealed class WebhookOptions
{
    /// <summary>The largest body accepted; larger requests get 413 and are not stored. 1 or more. <value>Default: 1 MiB.</value></summary>
    [Range(1, int.MaxValue)]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Inbox messages processed at once; 1 to 256. <value>Default: 4.</value></summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = 4;

    /// <summary>
    /// How long a processor holds a claimed message before another may take it (a crashed processor's messages come
    /// back); 1 second to 7 days. <value>Default: 2 minutes.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts before a message is dead-lettered; 1 to 1000. <value>Default: 8.</value></summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failed attempt; it doubles each time. Zero to 1 day. <value>Default: 5 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between attempts; not shorter than <see cref="RetryBaseDelay"/>, at most 7 days. <value>Default: 1 hour.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often an idle processor looks for due messages (new deliveries wake it at once); 1 ms to 1 hour. <value>Default: 1 second.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The public address of the application's root, as the platforms call it (for example
    /// <c>https://hooks.example.com/</c>), when a TLS-terminating proxy or load balancer sits in front of the host.
    /// HubSpot (v3) and Trello sign the URL they called; when this is set, that URL is rebuilt as this address plus the
    /// request's path below the path base (<c>/webhooks/hubspot</c>) and query, so the request's scheme, host and path
    /// base are not used. Include any path the proxy adds in front of the application (<c>https://example.com/app/</c>).
    /// Optional; an absolute <c>http</c> or <c>https</c> URI without query or fragment. When unset, the request's
    /// scheme and host are used, which ASP.NET Core's forwarded-headers middleware can set from a trusted proxy.
    /// <value>Default: <see langword="null"/>.</value>
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }
}
