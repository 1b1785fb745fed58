using System.Security.Cryptography;

namespace Integrations.Sdk.State;

/// <summary>Why a record was set aside.</summary>
public enum DeadLetterKind
{
    /// <summary>The record failed: bad data, a refusal by the platform, or retries exhausted.</summary>
    Failed = 0,

    /// <summary>
    /// An unsafe write may or may not have been applied (a timeout or reset after the request was sent).
    /// It is not resent blindly: a person decides.
    /// </summary>
    Ambiguous = 1,
}

/// <summary>A record that could not be processed, kept with its payload and reason so it can be fixed and replayed.</summary>
public sealed record DeadLetter
{
    /// <summary>The stable id of the entry; one record of one sync has at most one entry.</summary>
    public required string Id { get; init; }

    /// <summary>The sync's name.</summary>
    public required string Sync { get; init; }

    /// <summary>The record's key.</summary>
    public required string RecordKey { get; init; }

    /// <summary>The source record as JSON, exactly as it was read (or as last edited for a replay).</summary>
    public required string Payload { get; init; }

    /// <summary>A human-readable reason, naming the step and the field or error at fault. Never contains secrets.</summary>
    public required string Reason { get; init; }

    /// <summary>The step that failed, when the failure happened in a step.</summary>
    public string? Step { get; init; }

    /// <summary>The type of the error that caused it, for example <c>PlatformException</c>.</summary>
    public string? ErrorType { get; init; }

    /// <summary>How many attempts were made before the record was set aside.</summary>
    public int Attempts { get; init; }

    /// <summary>Whether the record failed or ended ambiguous.</summary>
    public DeadLetterKind Kind { get; init; }

    /// <summary>When the entry was first written.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the entry was last written.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Returns the stable id used for the dead letter of a record.</summary>
    /// <param name="sync">The sync's name.</param>
    /// <param name="recordKey">The record's key.</param>
    public static string CreateId(string sync, string recordKey)
    {
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(recordKey);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(sync + "\n" + recordKey));
        return Convert.ToHexStringLower(hash.AsSpan(0, 12));
    }
}
