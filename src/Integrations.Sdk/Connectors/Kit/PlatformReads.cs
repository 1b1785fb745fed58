namespace Integrations.Sdk.Connectors.Kit;

/// <summary>Read helpers for connector authors.</summary>
public static class PlatformReads
{
    /// <summary>
    /// Awaits a read by id and turns the platform's "no such thing" (a 404, with the platform's error code when it
    /// sends one) into <see langword="null"/>; every other failure propagates.
    /// </summary>
    /// <typeparam name="T">What is read.</typeparam>
    /// <param name="read">The read.</param>
    /// <param name="errorCode">The error code the platform sends with a 404 for a missing entity (Stripe's <c>resource_missing</c>); <see langword="null"/> for any 404.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<T?> OrNullWhenMissingAsync<T>(Func<CancellationToken, Task<T>> read, string? errorCode = null, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return await read(cancellationToken).ConfigureAwait(false);
        }
        catch (PlatformException ex) when (ex.StatusCode == HttpStatusCode.NotFound && (errorCode is null || ex.ErrorCode == errorCode))
        {
            return null;
        }
    }
}
