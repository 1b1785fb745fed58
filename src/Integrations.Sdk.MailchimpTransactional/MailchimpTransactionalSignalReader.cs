namespace Integrations.Sdk.MailchimpTransactional;

/// <summary>
/// Reads Mailchimp Transactional's error body <c>{ "status": "error", "code", "name", "message" }</c>, whose
/// <c>name</c> becomes the error code. Mandrill's named refusals (<see cref="IsRefusal"/>) are never retryable,
/// whatever status they arrive with; throttles and other server errors stay retryable.
/// </summary>
public sealed class MailchimpTransactionalSignalReader : PlatformSignalReader
{
    private static readonly HashSet<string> Refusals = new(StringComparer.OrdinalIgnoreCase)
    {
        "ValidationError", "Invalid_Key", "Unknown_Template", "Invalid_Template", "Unknown_Sender", "Unknown_Subaccount", "PaymentRequired",
        "PoorReputation", "Invalid_Tag_Name", "Invalid_Reject", "Unknown_Metadata_Field", "Metadata_Field_Limit", "Unknown_Message", "Unknown_Url",
    };

    /// <summary>
    /// Whether a Mandrill error name is a refusal: the request was checked and turned down, so nothing was sent and
    /// sending it again unchanged fails the same way. <c>GeneralError</c> and <c>ServiceUnavailable</c> are not.
    /// </summary>
    /// <param name="name">The error's <c>name</c>.</param>
    public static bool IsRefusal(string? name) => name is not null && Refusals.Contains(name);

    /// <summary>Reads Mandrill's error body: the code is <c>name</c> (else the numeric <c>code</c>), the message <c>message</c>.</summary>
    /// <param name="response">The error response.</param>
    /// <param name="body">Its body (possibly truncated).</param>
    public override PlatformError ReadError(HttpResponseMessage response, string body) => ReadJsonError(response, body, root =>
    {
        if (!string.Equals(PlatformJson.Text(root, "status"), "error", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var name = PlatformJson.Text(root, "name") ?? PlatformJson.Text(root, "code");
        var message = PlatformJson.Text(root, "message") ?? name ?? "Mailchimp Transactional returned an error without a message";

        // Mandrill answers refusals with a 500 as often as with a 4xx: its error name proves nothing was sent.
        return IsRefusal(name) ? new PlatformError(name, message, IsRetryable: false, MayHaveBeenApplied: false) : new PlatformError(name, message);
    });
}
