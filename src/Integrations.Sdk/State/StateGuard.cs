namespace Integrations.Sdk.State;

/// <summary>The argument checks every SQL state store makes before it writes a record, and the outcomes it reports alike.</summary>
internal static class StateGuard
{
    /// <summary>Throws when the dead letter, or one of its required members, is <see langword="null"/>.</summary>
    /// <param name="deadLetter">The entry to write.</param>
    /// <exception cref="ArgumentNullException">The entry or a required member is <see langword="null"/>; the parameter is <c>deadLetter</c>.</exception>
    internal static void ThrowIfIncomplete(DeadLetter deadLetter)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        ArgumentNullException.ThrowIfNull(deadLetter.Id, nameof(deadLetter));
        ArgumentNullException.ThrowIfNull(deadLetter.Sync, nameof(deadLetter));
        ArgumentNullException.ThrowIfNull(deadLetter.RecordKey, nameof(deadLetter));
        ArgumentNullException.ThrowIfNull(deadLetter.Payload, nameof(deadLetter));
        ArgumentNullException.ThrowIfNull(deadLetter.Reason, nameof(deadLetter));
    }

    /// <summary>Throws when the run summary, its run id or its sync is <see langword="null"/>.</summary>
    /// <param name="summary">The summary to write.</param>
    /// <exception cref="ArgumentNullException">The summary or a required member is <see langword="null"/>; the parameter is <c>summary</c>.</exception>
    internal static void ThrowIfIncomplete(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(summary.RunId, nameof(summary));
        ArgumentNullException.ThrowIfNull(summary.Sync, nameof(summary));
    }

    /// <summary>Throws when the memo, its sync, record key or step is <see langword="null"/>.</summary>
    /// <param name="memo">The memo to write.</param>
    /// <exception cref="ArgumentNullException">The memo or a required member is <see langword="null"/>; the parameter is <c>memo</c>.</exception>
    internal static void ThrowIfIncomplete(StepMemo memo)
    {
        ArgumentNullException.ThrowIfNull(memo);
        ArgumentNullException.ThrowIfNull(memo.Sync, nameof(memo));
        ArgumentNullException.ThrowIfNull(memo.RecordKey, nameof(memo));
        ArgumentNullException.ThrowIfNull(memo.Step, nameof(memo));
    }

    /// <summary>Throws <see cref="KeyNotFoundException"/> when an update of the inbox message <paramref name="id"/> changed no row.</summary>
    /// <param name="changed">The rows the update changed.</param>
    /// <param name="id">The message's id.</param>
    /// <exception cref="KeyNotFoundException"><paramref name="changed"/> is 0.</exception>
    internal static void ThrowIfNoInboxMessage(int changed, string id)
    {
        if (changed == 0)
        {
            throw new KeyNotFoundException($"No inbox message has the id '{id}'.");
        }
    }
}
