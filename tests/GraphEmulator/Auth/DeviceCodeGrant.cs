using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using GraphEmulator.Pipeline;
using Microsoft.AspNetCore.Http;

namespace GraphEmulator.Auth;

/// <summary>
/// The token endpoint's device_code grant: authorization_pending until the control API says what the "user" did,
/// then a token (once), or authorization_declined, expired_token, or a slow_down for one poll.
/// </summary>
internal static class DeviceCodeGrant
{
    // RFC 8628's name, and the short one Entra ID also takes and MSAL sends.
    public static bool IsGrantType(string grantType) => grantType is "urn:ietf:params:oauth:grant-type:device_code" or "device_code";

    private const int LifetimeSeconds = 3599;
    private static readonly string[] OpenId = ["openid", "profile", "offline_access"];

    public static Task Handle(HttpContext context, string tenant, string clientId, string deviceCode, DeviceCodeStore codes, EmulatorTokens tokens, TimeProvider clock)
    {
        DeviceAuthorization? authorization = deviceCode.Length == 0 ? null : codes.FindByDeviceCode(deviceCode);
        if (authorization is null || !string.Equals(authorization.TenantId, tenant, StringComparison.OrdinalIgnoreCase) ||
            !string.Equals(authorization.ClientId, clientId, StringComparison.OrdinalIgnoreCase))
        {
            return new EntraError(400, "bad_verification_code", 70000, "The provided value for the 'device_code' is not valid for this tenant and client.").WriteAsync(context);
        }

        lock (authorization)
        {
            authorization.Polls++;
            if (authorization.State == DeviceCodeState.Pending && clock.GetUtcNow() >= authorization.ExpiresAt)
            {
                authorization.State = DeviceCodeState.Expired;
            }

            if (authorization.SlowDownNext && authorization.State == DeviceCodeState.Pending)
            {
                authorization.SlowDownNext = false;
                return new EntraError(400, "slow_down", 70016, "OAuth 2.0 device flow error. The client is polling too quickly; poll less often.").WriteAsync(context);
            }

            switch (authorization.State)
            {
                case DeviceCodeState.Pending:
                    return new EntraError(400, "authorization_pending", 70016, "OAuth 2.0 device flow error. Authorization is pending. Continue polling.").WriteAsync(context);
                case DeviceCodeState.Declined:
                    return new EntraError(400, "authorization_declined", 65004, "User declined to consent to access the app.").WriteAsync(context);
                case DeviceCodeState.Expired:
                    return new EntraError(400, "expired_token", 70020, "The provided value for the input parameter 'device_code' is not valid. This device code has expired.").WriteAsync(context);
                case DeviceCodeState.Redeemed:
                    return new EntraError(400, "invalid_grant", 54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code.").WriteAsync(context);
            }

            authorization.State = DeviceCodeState.Redeemed;
        }

        // Named permissions were consented to when the user approved; .default gets what was consented before.
        IReadOnlyList<string> granted = authorization.AsksDefault
            ? codes.Consented(authorization.TenantId, authorization.ClientId)
            : authorization.Permissions;
        string accessToken = tokens.Issue(new TokenRequest(
            authorization.TenantId, authorization.ClientId, null, string.Join(' ', granted), LifetimeSeconds, authorization.Resource, authorization.User));
        string idToken = tokens.IssueIdToken(authorization.TenantId, authorization.ClientId, authorization.User,
            context.Request.Scheme + "://" + context.Request.Host.Value, LifetimeSeconds);
        string clientInfo = Base64UrlJson.Encode(new JsonObject
        {
            ["uid"] = EmulatorTokens.UserObjectId(authorization.TenantId, authorization.User),
            ["utid"] = authorization.TenantId,
        });

        return JsonResponse.WriteAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["token_type"] = "Bearer",
            ["scope"] = string.Join(' ', granted.Select(p => authorization.Resource + "/" + p).Concat(OpenId)),
            ["expires_in"] = LifetimeSeconds,
            ["ext_expires_in"] = LifetimeSeconds,
            ["access_token"] = accessToken,
            ["id_token"] = idToken,
            ["client_info"] = clientInfo,
        });
    }
}
