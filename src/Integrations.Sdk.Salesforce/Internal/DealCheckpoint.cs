namespace Integrations.Sdk.Salesforce.Internal;

/// <summary>
/// Where a deals read stands: the last <c>SystemModstamp</c> given and the ids given at that stamp, as
/// <c>2026-12-05T10:00:00.000Z|006A...,006B...</c>. Stamps are not unique, so the ids say which records of that stamp
/// are done.
/// </summary>
internal sealed class DealCheckpoint(DateTimeOffset stamp, List<string> ids)
{
    public DateTimeOffset Stamp { get; } = stamp;

    public List<string> Ids { get; } = ids;

    public static DealCheckpoint? Parse(string? checkpoint)
    {
        if (string.IsNullOrWhiteSpace(checkpoint))
        {
            return null;
        }

        var bar = checkpoint.IndexOf('|', StringComparison.Ordinal);
        if (bar > 0 && SalesforceJson.TryParse(checkpoint[..bar], out var stamp))
        {
            var ids = checkpoint[(bar + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            if (ids.All(SalesforceOptions.IsRecordId))
            {
                return new DealCheckpoint(Truncate(stamp), ids);
            }
        }

        throw new FormatException(
            $"The Salesforce deals checkpoint '{checkpoint}' is not '<SystemModstamp>|<ids given at it>' (for example 2026-12-05T10:00:00.000Z|006000000000001AAA).");
    }

    /// <summary>Salesforce stamps are to the millisecond.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    public DealCheckpoint Copy() => new(Stamp, [.. Ids]);

    public string Format() => SalesforceJson.Literal(Stamp) + "|" + string.Join(',', Ids);
}
