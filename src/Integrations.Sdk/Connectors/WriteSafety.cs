namespace Integrations.Sdk.Connectors;

/// <summary>
/// How a write can be retried without a duplicate side effect. Every step declares one; the runner decides from it
/// what to do after a failure whose effect is unknown (a timeout or a dropped connection after the request was sent).
/// </summary>
public enum WriteSafety
{
    /// <summary>The step only reads: it is always safe to run again.</summary>
    ReadOnly = 0,

    /// <summary>
    /// The platform deduplicates by a key sent with the request (Stripe <c>Idempotency-Key</c>, QuickBooks
    /// <c>requestid</c>, Square <c>idempotency_key</c>). The SDK derives the key from (sync, record key, step) and
    /// reuses it on every retry.
    /// </summary>
    IdempotencyKey = 1,

    /// <summary>The write is an upsert on a natural key (HubSpot upsert by property, Salesforce external id): safe by construction.</summary>
    NaturalUpsert = 2,

    /// <summary>After a failure with unknown effect the step first looks for what it may have created, and creates only if nothing is found.</summary>
    LookupThenCreate = 3,

    /// <summary>
    /// Nothing prevents a duplicate (an email, a chat message). After a failure with unknown effect the record ends
    /// <c>ambiguous</c> for a person to review, unless the step opted into at-least-once delivery.
    /// </summary>
    Unsafe = 4,
}
