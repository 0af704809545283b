using System;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace GraphEmulator.Auth;

/// <summary>
/// Checks a certificate credential's client assertion as Entra ID does: RS256/PS256 signature by the registered
/// certificate, iss = sub = client id, aud = the token endpoint, and a current validity window.
/// </summary>
internal static class ClientAssertion
{
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    /// <returns>null when valid; otherwise the error to answer.</returns>
    public static EntraError? Validate(string assertion, AppRegistration app, string tokenEndpoint, DateTimeOffset now)
    {
        string[] parts = assertion.Split('.');
        JsonObject? header = parts.Length == 3 ? Base64UrlJson.TryDecode(parts[0]) : null;
        JsonObject? payload = parts.Length == 3 ? Base64UrlJson.TryDecode(parts[1]) : null;
        if (header is null || payload is null || !Base64Url.IsValid(parts[2]))
        {
            return EntraError.Assertion(50027, "JWT token is invalid or malformed.");
        }

        if (app.Certificate?.GetRSAPublicKey() is not { } key)
        {
            return EntraError.Assertion(700027, "The certificate with identifier used to sign the client assertion is not registered on application.");
        }

        using (key)
        {
            RSASignaturePadding? padding = (string?)header["alg"] switch
            {
                "RS256" => RSASignaturePadding.Pkcs1,
                "PS256" => RSASignaturePadding.Pss,
                _ => null,
            };
            if (padding is null)
            {
                return EntraError.Assertion(5002738, $"Invalid JWT token. '{(string?)header["alg"]}' is not a supported signature algorithm.");
            }

            byte[] signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            if (!key.VerifyData(signed, Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256, padding))
            {
                return EntraError.Assertion(700027, "Client assertion failed signature validation.");
            }
        }

        if (!string.Equals((string?)payload["iss"], app.ClientId, StringComparison.OrdinalIgnoreCase)
            || !string.Equals((string?)payload["sub"], app.ClientId, StringComparison.OrdinalIgnoreCase))
        {
            return EntraError.Assertion(700021, "Client assertion application identifier doesn't match 'client_id' parameter.");
        }

        string? audience = (string?)payload["aud"];
        if (!string.Equals(audience?.TrimEnd('/'), tokenEndpoint, StringComparison.OrdinalIgnoreCase))
        {
            return EntraError.Assertion(700212, $"Client assertion audience claim '{audience}' does not match the token endpoint '{tokenEndpoint}'.");
        }

        long seconds = now.ToUnixTimeSeconds();
        if (Seconds(payload["exp"]) is not long exp || exp + Skew.TotalSeconds < seconds
            || (Seconds(payload["nbf"]) is long nbf && nbf - Skew.TotalSeconds > seconds))
        {
            return EntraError.Assertion(700024, "Client assertion is not within its valid time range.");
        }

        return null;
    }

    // MSAL writes the time claims as numeric strings; JWT allows either form, so read both.
    private static long? Seconds(System.Text.Json.Nodes.JsonNode? claim) => claim switch
    {
        null => null,
        System.Text.Json.Nodes.JsonValue value when value.TryGetValue(out long number) => number,
        System.Text.Json.Nodes.JsonValue value when value.TryGetValue(out string? text) && long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long parsed) => parsed,
        _ => null,
    };
}
