namespace Integrations.Sdk.WooCommerce;

/// <summary>
/// Settings of the WooCommerce connector, validated when the host starts; every problem names its setting. The consumer
/// key and secret authenticate by HTTP Basic over HTTPS. WooCommerce over plain HTTP requires OAuth 1.0a, which this
/// connector does not do, so a plain <c>http://</c> store is refused (except a loopback address: a simulator). Its
/// <see cref="ToString"/> shows no secret.
/// </summary>
public sealed class WooCommerceOptions
{
    /// <summary>The store's address, for example <c>https://shop.example.com/</c> (the REST API is under <c>wp-json/wc/v3/</c>). Required; HTTPS.</summary>
    public Uri? StoreUrl { get; set; }

    /// <summary>The REST API consumer key (<c>ck_…</c>). Required.</summary>
    public string ConsumerKey { get; set; } = string.Empty;

    /// <summary>The REST API consumer secret (<c>cs_…</c>). Required; secret.</summary>
    public string ConsumerSecret { get; set; } = string.Empty;

    /// <summary>
    /// Sends the key and secret as <c>consumer_key</c>/<c>consumer_secret</c> query parameters instead of the
    /// <c>Authorization</c> header, for servers that drop that header (WooCommerce's documented fallback). Only over
    /// HTTPS: with an <c>http://</c> <see cref="StoreUrl"/> the host refuses to start. <value>Default: <see langword="false"/>.</value>
    /// </summary>
    public bool CredentialsInQueryString { get; set; }

    /// <summary>The secret of the store's webhooks, with which WooCommerce signs deliveries. Secret; required only to receive webhooks.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Items per page on list reads (<c>per_page</c>). <value>Default: 100, WooCommerce's maximum.</value></summary>
    public int PageSize { get; set; } = 100;

    /// <summary>
    /// How far before the checkpoint a resumed order read starts (<c>modified_after</c>), to catch orders saved late or
    /// changed during the previous read; the step memo skips the orders read again. <value>Default: 5 minutes.</value>
    /// </summary>
    public TimeSpan ModifiedOverlap { get; set; } = TimeSpan.FromMinutes(5);

    /// <inheritdoc />
    public override string ToString() =>
        $"WooCommerceOptions({StoreUrl}, key {ConsumerKey}, secret ***, {(CredentialsInQueryString ? "query string" : "Basic")}, {PageSize} per page)";

    internal IEnumerable<string> Validate()
    {
        if (StoreUrl is not { IsAbsoluteUri: true })
        {
            yield return $"WooCommerce: {nameof(StoreUrl)} is required, an absolute https:// address such as https://shop.example.com/.";
        }
        else if (StoreUrl.Scheme != Uri.UriSchemeHttps)
        {
            if (StoreUrl.Scheme != Uri.UriSchemeHttp || !StoreUrl.IsLoopback)
            {
                yield return $"WooCommerce: {nameof(StoreUrl)} must be https:// ('{StoreUrl}'): over plain HTTP WooCommerce requires OAuth 1.0a, and the consumer secret would travel in clear.";
            }

            if (CredentialsInQueryString)
            {
                yield return $"WooCommerce: {nameof(CredentialsInQueryString)} is refused over plain HTTP ('{StoreUrl}'): the consumer key and secret would travel in the URL in clear. Use an https:// {nameof(StoreUrl)} or the Authorization header.";
            }
        }

        if (string.IsNullOrWhiteSpace(ConsumerKey))
        {
            yield return $"WooCommerce: {nameof(ConsumerKey)} is required (the REST API consumer key, ck_...).";
        }

        if (string.IsNullOrWhiteSpace(ConsumerSecret))
        {
            yield return $"WooCommerce: {nameof(ConsumerSecret)} is required (the REST API consumer secret, cs_...).";
        }

        if (PageSize is < 1 or > 100)
        {
            yield return $"WooCommerce: {nameof(PageSize)} must be between 1 and 100 (WooCommerce's per_page maximum).";
        }

        if (ModifiedOverlap < TimeSpan.FromSeconds(1))
        {
            yield return $"WooCommerce: {nameof(ModifiedOverlap)} must be at least 1 second (modified_after is exclusive and to the second).";
        }
    }
}
