using System.ComponentModel.DataAnnotations;

namespace Integrations.Sdk.Transport;

/// <summary>A request budget: so many requests per window, and at most so many at once.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Requests allowed per <see cref="Window"/>; 1 or more. <value>Default: 10.</value></summary>
    [Range(1, int.MaxValue)]
    public int PermitsPerWindow { get; set; } = 10;

    /// <summary>The window the permits refill over (evenly); 1 ms to 31 days. <value>Default: 1 second.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "31.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Requests allowed in flight at once; 0 for no limit. <value>Default: 0.</value></summary>
    [Range(0, int.MaxValue)]
    public int MaxConcurrency { get; set; }

    /// <summary>Returns a copy.</summary>
    public RateLimitOptions Clone() => new() { PermitsPerWindow = PermitsPerWindow, Window = Window, MaxConcurrency = MaxConcurrency };
}
