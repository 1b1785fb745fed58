namespace Integrations.Sdk.Stripe.Internal;

/// <summary>Stripe's list envelope: <c>{ "object": "list", "data": [...], "has_more": true, "url": "/v1/..." }</c>.</summary>
/// <typeparam name="T">The listed resource.</typeparam>
internal sealed class StripeList<T>
{
    public string? Object { get; set; }

    public List<T>? Data { get; set; }

    public bool HasMore { get; set; }

    public string? Url { get; set; }
}
