using System.ComponentModel.DataAnnotations;

namespace Integrations.Sdk.Transport;

/// <summary>A request budget: so many requests per window, and at most so many at once.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Requests allowed per <see cref="Window"/>. <value>Default: 10.</value></summary>
    [Range(1, int.MaxValue)]
    public int PermitsPerWindow { get; set; } = 10;

    /// <summary>The window the permits refill over (evenly). <value>Default: 1 second.</value></summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Requests allowed in flight at once; 0 for no limit. <value>Default: 0.</value></summary>
    [Range(0, int.MaxValue)]
    public int MaxConcurrency { get; set; }

    /// <summary>Returns a copy.</summary>
    public RateLimitOptions Clone() => new() { PermitsPerWindow = PermitsPerWindow, Window = Window, MaxConcurrency = MaxConcurrency };
}
