using System.Security.Cryptography;

namespace Integrations.Sdk.Pipelines;

/// <summary>Derives the deterministic idempotency key of one step of one record.</summary>
public static class IdempotencyKeys
{
    /// <summary>
    /// Returns a 40-character key derived from (sync, record key, step, generation): the same on every retry and
    /// rerun, different once the platform definitively refused an earlier attempt (the generation moved on). It fits
    /// every platform's limit (QuickBooks <c>requestid</c>, Stripe, Xero, Square).
    /// </summary>
    /// <param name="sync">The sync's name.</param>
    /// <param name="recordKey">The record's key.</param>
    /// <param name="step">The step's name.</param>
    /// <param name="generation">The step's generation.</param>
    public static string Derive(string sync, string recordKey, string step, int generation)
    {
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(recordKey);
        ArgumentNullException.ThrowIfNull(step);
        var text = string.Join('\n', sync, recordKey, step, generation.ToString(CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 20));
    }
}
