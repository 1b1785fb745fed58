namespace Integrations.Sdk.Stripe.Internal;

/// <summary>Stripe's list envelope: <c>{ "object": "list", "data": [...], "has_more": true }</c>.</summary>
/// <typeparam name="T">The listed resource.</typeparam>
internal sealed record StripeList<T>(List<T>? Data, bool HasMore);
