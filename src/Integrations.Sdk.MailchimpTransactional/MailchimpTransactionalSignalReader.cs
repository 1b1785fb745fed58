using System.Text.Json;
using Integrations.Sdk.Transport;

namespace Integrations.Sdk.MailchimpTransactional;

/// <summary>
/// Reads Mailchimp Transactional's signals: its error body
/// <c>{ "status": "error", "code": -1, "name": "Invalid_Key", "message": "..." }</c>, whose <c>name</c> becomes the
/// error code. Throttles (429) and server errors (5xx) stay retryable; Mandrill's named refusals (see
/// <see cref="IsRefusal"/>) are not, whatever status they arrive with.
/// </summary>
public sealed class MailchimpTransactionalSignalReader : PlatformSignalReader
{
    private static readonly HashSet<string> Refusals = new(StringComparer.OrdinalIgnoreCase)
    {
        "ValidationError",
        "Invalid_Key",
        "Unknown_Template",
        "Invalid_Template",
        "Unknown_Sender",
        "Unknown_Subaccount",
        "PaymentRequired",
        "PoorReputation",
        "Invalid_Tag_Name",
        "Invalid_Reject",
        "Unknown_Metadata_Field",
        "Metadata_Field_Limit",
        "Unknown_Message",
        "Unknown_Url",
    };

    /// <summary>
    /// Whether a Mandrill error name is a refusal: the request was checked and turned down, so nothing was sent and
    /// sending it again unchanged fails the same way (<c>ValidationError</c>, <c>Invalid_Key</c>,
    /// <c>Unknown_Template</c>, <c>Unknown_Sender</c>, <c>PaymentRequired</c>...). <c>GeneralError</c> and
    /// <c>ServiceUnavailable</c> are not refusals.
    /// </summary>
    /// <param name="name">The error's <c>name</c>.</param>
    public static bool IsRefusal(string? name) => name is not null && Refusals.Contains(name);

    /// <summary>
    /// Reads <c>{ "status": "error", "code", "name", "message" }</c>: the code is <c>name</c> (else the numeric
    /// <c>code</c>), the message is <c>message</c>. Anything else goes to the default reader.
    /// </summary>
    /// <param name="response">The error response.</param>
    /// <param name="body">Its body (possibly truncated).</param>
    public override PlatformError ReadError(HttpResponseMessage response, string body)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object
                    && root.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String
                    && string.Equals(status.GetString(), "error", StringComparison.OrdinalIgnoreCase))
                {
                    var name = Text(root, "name") ?? Text(root, "code");
                    var message = Text(root, "message") ?? name ?? "Mailchimp Transactional returned an error without a message";
                    // Mandrill answers refusals with a 500 as often as with a 4xx: its error name proves nothing was sent.
                    return IsRefusal(name)
                        ? new PlatformError(name, message, IsRetryable: false, MayHaveBeenApplied: false)
                        : new PlatformError(name, message);
                }
            }
            catch (JsonException)
            {
                // Not JSON (a gateway's page, a truncated body): the default reader shows its start.
            }
        }

        return base.ReadError(response, body);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}
