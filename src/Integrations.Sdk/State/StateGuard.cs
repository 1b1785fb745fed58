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

    /// <summary>Returns the claim token of a message to settle, or throws when it is missing.</summary>
    /// <param name="claimed">The message as the inbox's claim returned it.</param>
    /// <exception cref="ArgumentNullException"><paramref name="claimed"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The message has no claim token; the parameter is <c>claimed</c>.</exception>
    internal static string ClaimTokenOf(InboxMessage claimed)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        ArgumentNullException.ThrowIfNull(claimed.Id, nameof(claimed));
        return claimed.ClaimToken ?? throw new ArgumentException(
            $"{nameof(InboxMessage)}.{nameof(InboxMessage.ClaimToken)} of inbox message '{claimed.Id}' is null: only a message returned by {nameof(IWebhookInbox.ClaimAsync)} can be completed, retried or dead-lettered.",
            nameof(claimed));
    }
}
