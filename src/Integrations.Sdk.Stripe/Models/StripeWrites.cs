namespace Integrations.Sdk.Stripe.Models;

/// <summary>A customer to create.</summary>
public sealed record StripeCustomerDraft
{
    /// <summary>The email address.</summary>
    public string? Email { get; init; }

    /// <summary>The full name or business name.</summary>
    public string? Name { get; init; }

    /// <summary>The description.</summary>
    public string? Description { get; init; }

    /// <summary>The phone number.</summary>
    public string? Phone { get; init; }

    /// <summary>Your key-value pairs, sent as <c>metadata[key]=value</c>.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}

/// <summary>
/// A change of one customer's metadata: the given keys are set; a <see langword="null"/> value removes its key
/// (sent as an empty string, as Stripe documents); other keys are left as they are.
/// </summary>
/// <param name="CustomerId">The customer's id, <c>cus_...</c>.</param>
/// <param name="Metadata">The keys to set or remove.</param>
public sealed record StripeMetadataUpdate(string CustomerId, IReadOnlyDictionary<string, string?> Metadata);
