using System;
using System.Globalization;
using System.Text.Json;

namespace GraphEmulator.Store;

/// <summary>
/// Apple's .vpptoken file: base64 of <c>{"token","expDate","orgName"}</c>, expDate with a colon-less offset
/// (<c>2014-08-15T18:13:52-0700</c>). Intune reads the organization and expiry from it, so the emulator does too.
/// </summary>
internal sealed record AppleTokenFile(string OrganizationName, DateTimeOffset ExpirationDateTime)
{
    public static AppleTokenFile? TryRead(string token)
    {
        byte[] bytes = new byte[token.Length];
        if (!Convert.TryFromBase64String(token.Trim(), bytes, out int length))
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(bytes.AsMemory(0, length));
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("token", out JsonElement inner) || inner.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("orgName", out JsonElement org) || org.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("expDate", out JsonElement exp) || exp.ValueKind != JsonValueKind.String
                || !TryParseAppleDate(exp.GetString()!, out DateTimeOffset expires))
            {
                return null;
            }

            return new AppleTokenFile(org.GetString()!, expires);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool TryParseAppleDate(string text, out DateTimeOffset value)
    {
        string[] formats = ["yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ssK"];
        string normalized = text.Length > 5 && text[^5] is '+' or '-' && text[^3] != ':' ? text.Insert(text.Length - 2, ":") : text;
        return DateTimeOffset.TryParseExact(normalized, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }
}
