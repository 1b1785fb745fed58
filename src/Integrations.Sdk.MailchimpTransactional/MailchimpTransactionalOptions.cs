namespace Integrations.Sdk.MailchimpTransactional;

/// <summary>Settings of the Mailchimp Transactional (Mandrill) connector, validated at start; <see cref="ToString"/> never shows the key.</summary>
public sealed class MailchimpTransactionalOptions
{
    /// <summary>Mandrill's API root: <c>https://mandrillapp.com/api/1.0/</c>.</summary>
    public static readonly Uri DefaultBaseAddress = new("https://mandrillapp.com/api/1.0/");

    /// <summary>The API key. Required; secret. It travels in each request's JSON body as <c>key</c> (Mandrill takes no auth header).</summary>
    public string ApiKey { get; set; } = string.Empty;

    /// <summary>Overrides the API root (a simulator, a proxy); absolute, ending in <c>/api/1.0/</c>. <value>Default: <see cref="DefaultBaseAddress"/>.</value></summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The sender address sent as <c>from_email</c> when an email names none (else the template's). Optional.</summary>
    public string? FromEmail { get; set; }

    /// <summary>The sender name sent as <c>from_name</c> when an email names none. Optional.</summary>
    public string? FromName { get; set; }

    /// <summary>The API root requests go to: <see cref="BaseAddress"/> when set, else <see cref="DefaultBaseAddress"/>.</summary>
    public Uri ResolveBaseAddress() => BaseAddress ?? DefaultBaseAddress;

    /// <inheritdoc />
    public override string ToString() =>
        $"MailchimpTransactionalOptions({ResolveBaseAddress()}, key ***, from {FromEmail ?? "(template)"})";

    internal IEnumerable<string> Validate() => new (bool Fails, string Message)[]
    {
        (string.IsNullOrWhiteSpace(ApiKey), $"{nameof(ApiKey)} is required (an API key from Mandrill's Settings > SMTP & API Info)."),
        (BaseAddress is { IsAbsoluteUri: false }, $"{nameof(BaseAddress)} must be an absolute URI when set."),
        (!string.IsNullOrEmpty(FromEmail) && !EmailAddress.LooksValid(FromEmail), $"{nameof(FromEmail)} '{FromEmail}' is not an email address."),
    }.Where(c => c.Fails).Select(c => "Mailchimp Transactional: " + c.Message);
}
