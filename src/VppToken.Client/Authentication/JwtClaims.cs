using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace IntuneVpp.Client.Authentication
{
    /// <summary>
    /// The few claims of an access token the module shows (tenant, app, expiry, permissions). Read without checking
    /// the signature: Graph checks it; this is for display and for knowing when to refresh.
    /// </summary>
    public sealed class JwtClaims
    {
        private JwtClaims()
        {
        }

        public string? TenantId { get; private set; }

        public string? ClientId { get; private set; }

        public DateTimeOffset? ExpiresOn { get; private set; }

        public IReadOnlyList<string> Permissions { get; private set; } = Array.Empty<string>();

        /// <summary>The signed-in user's name (upn, preferred_username or unique_name); null for an app.</summary>
        public string? UserName { get; private set; }

        /// <summary>A delegated token carries scopes (scp); an app's carries roles only.</summary>
        public bool IsDelegated { get; private set; }

        /// <summary>Returns null when the token is not a readable JWT (opaque tokens are allowed).</summary>
        public static JwtClaims? TryRead(string token)
        {
            string[] parts = token.Split('.');
            if (parts.Length != 3)
            {
                return null;
            }

            try
            {
                using JsonDocument payload = JsonDocument.Parse(Base64Url.Decode(parts[1]));
                JsonElement root = payload.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return null;
                }

                var claims = new JwtClaims
                {
                    TenantId = StringClaim(root, "tid"),
                    ClientId = StringClaim(root, "appid") ?? StringClaim(root, "azp"),
                    UserName = StringClaim(root, "upn") ?? StringClaim(root, "preferred_username") ?? StringClaim(root, "unique_name"),
                };
                if (root.TryGetProperty("exp", out JsonElement exp) && exp.ValueKind == JsonValueKind.Number && exp.TryGetInt64(out long seconds))
                {
                    claims.ExpiresOn = DateTimeOffset.FromUnixTimeSeconds(seconds);
                }

                var permissions = new List<string>();
                if (root.TryGetProperty("roles", out JsonElement roles) && roles.ValueKind == JsonValueKind.Array)
                {
                    foreach (JsonElement role in roles.EnumerateArray())
                    {
                        if (role.ValueKind == JsonValueKind.String)
                        {
                            permissions.Add(role.GetString()!);
                        }
                    }
                }

                if (StringClaim(root, "scp") is { } scopes)
                {
                    claims.IsDelegated = true;
                    permissions.AddRange(scopes.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries));
                }

                claims.Permissions = permissions;
                return claims;
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
            {
                return null;
            }
        }

        private static string? StringClaim(JsonElement root, string name) =>
            root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    internal static class Base64Url
    {
        public static byte[] Decode(string value)
        {
            string padded = value.Replace('-', '+').Replace('_', '/');
            switch (padded.Length % 4)
            {
                case 2: padded += "=="; break;
                case 3: padded += "="; break;
            }

            return Convert.FromBase64String(padded);
        }

        public static string Encode(byte[] value) =>
            Convert.ToBase64String(value).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
