using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace GraphEmulator.Auth;

/// <summary>What the emulator puts into an access token it issues.</summary>
internal sealed record TokenRequest(
    string TenantId,
    string ClientId,
    IReadOnlyList<string>? Roles,
    string? Scopes,
    int LifetimeSeconds,
    string Audience,
    string? User = null);

/// <summary>
/// Issues and validates the emulator's own access tokens: HS256 JWTs signed with a key that lives and dies with
/// the process, so no token outlives the emulator that made it.
/// </summary>
internal sealed class EmulatorTokens(TimeProvider clock)
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public string Issue(TokenRequest request)
    {
        long now = clock.GetUtcNow().ToUnixTimeSeconds();
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "HS256" };
        var payload = new JsonObject
        {
            ["aud"] = request.Audience,
            ["iss"] = $"https://sts.windows.net/{request.TenantId}/",
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + request.LifetimeSeconds,
            ["appid"] = request.ClientId,
            ["oid"] = request.User is null ? StableGuid(request.TenantId + "/" + request.ClientId) : UserObjectId(request.TenantId, request.User),
            ["sub"] = StableGuid(request.TenantId + "/" + request.ClientId),
            ["tid"] = request.TenantId,
            ["ver"] = "1.0",
        };
        if (request.User is not null)
        {
            payload["upn"] = request.User;
            payload["name"] = request.User;
        }

        if (request.Roles is not null)
        {
            payload["roles"] = new JsonArray([.. request.Roles.Select(r => (JsonNode?)r)]);
        }

        if (request.Scopes is not null)
        {
            payload["scp"] = request.Scopes;
        }

        string signingInput = Base64UrlJson.Encode(header) + "." + Base64UrlJson.Encode(payload);
        return signingInput + "." + Base64Url.EncodeToString(Sign(signingInput));
    }

    /// <summary>
    /// An ID token for a user sign-in (device code): MSAL reads the user from it. Signed like the access tokens,
    /// though nothing checks an ID token's signature here.
    /// </summary>
    public string IssueIdToken(string tenantId, string clientId, string user, string authority, int lifetimeSeconds)
    {
        long now = clock.GetUtcNow().ToUnixTimeSeconds();
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "HS256" };
        var payload = new JsonObject
        {
            ["aud"] = clientId,
            ["iss"] = $"{authority}/{tenantId}/v2.0",
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + lifetimeSeconds,
            ["name"] = user,
            ["oid"] = UserObjectId(tenantId, user),
            ["preferred_username"] = user,
            ["sub"] = StableGuid(tenantId + "/" + clientId + "/" + user),
            ["tid"] = tenantId,
            ["ver"] = "2.0",
        };
        string signingInput = Base64UrlJson.Encode(header) + "." + Base64UrlJson.Encode(payload);
        return signingInput + "." + Base64Url.EncodeToString(Sign(signingInput));
    }

    /// <summary>A user's object id: the same for the same user of the same tenant, in every emulator run.</summary>
    public static string UserObjectId(string tenantId, string user) => StableGuid(tenantId + "/user/" + user.ToUpperInvariant());

    /// <summary>Reads a bearer token: opaque strings reach the default tenant; JWTs must be valid ones of ours.</summary>
    public TokenReadResult Read(string token, string defaultTenantId)
    {
        string[] parts = token.Split('.');
        JsonObject? header = parts.Length == 3 ? Base64UrlJson.TryDecode(parts[0]) : null;
        if (header?["alg"] is null)
        {
            return TokenReadResult.Ok(new Caller(defaultTenantId, string.Empty, null));
        }

        JsonObject? payload = Base64UrlJson.TryDecode(parts[1]);
        if (payload is null)
        {
            return TokenReadResult.Fail("JWT is not well formed, the payload is not base64url-encoded JSON.");
        }

        if ((string?)header["alg"] != "HS256" || !SignatureMatches(parts[0] + "." + parts[1], parts[2]))
        {
            return TokenReadResult.Fail("Access token validation failure. Invalid signature.");
        }

        long now = clock.GetUtcNow().ToUnixTimeSeconds();
        if (payload["exp"]?.GetValue<long>() is not long exp || exp <= now)
        {
            return TokenReadResult.Fail("Lifetime validation failed, the token is expired.");
        }

        if (payload["nbf"]?.GetValue<long>() is long nbf && nbf > now)
        {
            return TokenReadResult.Fail("Lifetime validation failed, the token is not yet valid.");
        }

        string tenantId = (string?)payload["tid"] ?? string.Empty;
        HashSet<string>? permissions = null;
        if (payload["roles"] is JsonArray roles)
        {
            permissions = [.. roles.Select(r => (string?)r ?? string.Empty)];
        }

        if (payload["scp"] is JsonValue scp)
        {
            permissions ??= [];
            permissions.UnionWith(((string?)scp ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        return TokenReadResult.Ok(new Caller(tenantId, (string?)payload["appid"] ?? string.Empty, permissions));
    }

    private byte[] Sign(string signingInput) => HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(signingInput));

    private bool SignatureMatches(string signingInput, string signature)
    {
        Span<byte> given = stackalloc byte[64];
        return Base64Url.IsValid(signature)
            && Base64Url.TryDecodeFromChars(signature, given, out int written)
            && CryptographicOperations.FixedTimeEquals(given[..written], Sign(signingInput));
    }

    private static string StableGuid(string seed) => new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(seed)).AsSpan(0, 16)).ToString();
}

internal readonly record struct TokenReadResult(Caller? Caller, string? Error)
{
    public static TokenReadResult Ok(Caller caller) => new(caller, null);

    public static TokenReadResult Fail(string error) => new(null, error);
}
