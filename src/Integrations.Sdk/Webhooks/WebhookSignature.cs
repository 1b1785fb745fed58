using System.Security.Cryptography;

namespace Integrations.Sdk.Connectors;

/// <summary>Helpers for verifying HMAC webhook signatures correctly: over raw bytes, compared in constant time.</summary>
public static class WebhookSignature
{
    /// <summary>Computes HMAC-SHA256 of <paramref name="data"/> with <paramref name="secret"/>.</summary>
    /// <param name="secret">The signing secret.</param>
    /// <param name="data">The signed bytes.</param>
    public static byte[] HmacSha256(string secret, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), data);
    }

    /// <summary>Compares a Base64 signature with an expected MAC in constant time. Malformed Base64 is simply invalid.</summary>
    /// <param name="expected">The MAC computed locally.</param>
    /// <param name="base64Signature">The signature received.</param>
    public static bool Base64Equals(ReadOnlySpan<byte> expected, string? base64Signature)
    {
        if (string.IsNullOrEmpty(base64Signature))
        {
            return false;
        }

        Span<byte> received = stackalloc byte[64];
        return Convert.TryFromBase64String(base64Signature.Trim(), received, out var written)
            && CryptographicOperations.FixedTimeEquals(expected, received[..written]);
    }

    /// <summary>Compares a hexadecimal signature with an expected MAC in constant time. Malformed hex is simply invalid.</summary>
    /// <param name="expected">The MAC computed locally.</param>
    /// <param name="hexSignature">The signature received.</param>
    public static bool HexEquals(ReadOnlySpan<byte> expected, string? hexSignature)
    {
        if (string.IsNullOrEmpty(hexSignature) || hexSignature.Length % 2 != 0 || hexSignature.Length > 128)
        {
            return false;
        }

        Span<byte> received = stackalloc byte[64];
        var status = Convert.FromHexString(hexSignature, received, out _, out var written);
        return status == System.Buffers.OperationStatus.Done
            && CryptographicOperations.FixedTimeEquals(expected, received[..written]);
    }
}
