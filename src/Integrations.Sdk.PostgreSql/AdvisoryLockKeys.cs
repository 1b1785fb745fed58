using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Integrations.Sdk.PostgreSql;

/// <summary>Turns names into PostgreSQL advisory lock keys.</summary>
internal static class AdvisoryLockKeys
{
    /// <summary>
    /// The first of the two 32-bit keys of the migration lock (ASCII "ISDB"). Two-key advisory locks live in another key
    /// space than the single 64-bit keys of <see cref="ForName"/>, so the two never collide.
    /// </summary>
    internal const int MigrationClass = 0x49534442;

    /// <summary>
    /// The 64-bit key of a named lock: the first 8 bytes (big-endian) of the SHA-256 of the UTF-8 text
    /// <c>{schema}\n{name}</c>, so deployments using different schemas of one database do not block each other.
    /// </summary>
    internal static long ForName(string schema, string name)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(schema + "\n" + name), hash);
        return BinaryPrimitives.ReadInt64BigEndian(hash);
    }

    /// <summary>The second key of the migration lock of a schema: the first 4 bytes of the SHA-256 of its name.</summary>
    internal static int ForMigration(string schema)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(schema), hash);
        return BinaryPrimitives.ReadInt32BigEndian(hash);
    }
}
