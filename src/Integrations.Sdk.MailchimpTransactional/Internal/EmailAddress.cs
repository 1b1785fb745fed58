namespace Integrations.Sdk.MailchimpTransactional;

/// <summary>A light check of an email address: one <c>@</c> with text on both sides and a dot in the domain, no spaces.</summary>
internal static class EmailAddress
{
    public static bool LooksValid(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Any(char.IsWhiteSpace))
        {
            return false;
        }

        var at = value.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == value.LastIndexOf('@') && value.IndexOf('.', at) > at + 1 && !value.EndsWith('.');
    }
}
