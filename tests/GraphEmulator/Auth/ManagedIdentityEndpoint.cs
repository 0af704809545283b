using System;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using GraphEmulator.Pipeline;
using GraphEmulator.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GraphEmulator.Auth;

/// <summary>
/// The App Service / Azure Automation managed identity endpoint (IDENTITY_ENDPOINT): plain http, a shared secret in
/// X-IDENTITY-HEADER, api-version 2019-08-01, and a token for the requested resource.
/// </summary>
internal static class ManagedIdentityEndpoint
{
    public const string Path = "/msi/token";

    public static void MapManagedIdentity(this IEndpointRouteBuilder app) =>
        app.MapGet(Path, (HttpContext c, ManagedIdentityStore mi, EmulatorTokens tokens, TenantDirectory tenants, TimeProvider clock) =>
            Handle(c, mi.Current, tokens, tenants, clock));

    private static Task Handle(HttpContext context, ManagedIdentity mi, EmulatorTokens tokens, TenantDirectory tenants, TimeProvider clock)
    {
        IQueryCollection query = context.Request.Query;
        string? secret = context.Request.Headers["X-IDENTITY-HEADER"];
        if (string.IsNullOrEmpty(secret))
        {
            return Error(context, StatusCodes.Status400BadRequest, "The request is missing the X-IDENTITY-HEADER header.");
        }

        if (!string.Equals(secret, mi.IdentityHeader, StringComparison.Ordinal))
        {
            return Error(context, StatusCodes.Status401Unauthorized, "The X-IDENTITY-HEADER header is not valid.");
        }

        if (query["api-version"] != "2019-08-01")
        {
            return Error(context, StatusCodes.Status400BadRequest, $"The api-version '{query["api-version"]}' is not supported; use 2019-08-01.");
        }

        string resource = query["resource"].ToString();
        if (resource.Length == 0)
        {
            return Error(context, StatusCodes.Status400BadRequest, "The 'resource' query parameter is required.");
        }

        string? clientId = query["client_id"];
        if (!string.IsNullOrEmpty(clientId) && !string.Equals(clientId, mi.ClientId, StringComparison.OrdinalIgnoreCase))
        {
            return Error(context, StatusCodes.Status400BadRequest,
                "No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.");
        }

        string audience = resource.EndsWith("/.default", StringComparison.Ordinal) ? resource[..^"/.default".Length] : resource;
        string token = tokens.Issue(new TokenRequest(mi.TenantId ?? tenants.DefaultTenantId, mi.ClientId, mi.Roles, null, mi.LifetimeSeconds, audience));
        long expiresOn = clock.GetUtcNow().ToUnixTimeSeconds() + mi.LifetimeSeconds;
        return JsonResponse.WriteAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["access_token"] = token,
            ["expires_on"] = expiresOn.ToString(CultureInfo.InvariantCulture),
            ["resource"] = resource,
            ["token_type"] = "Bearer",
            ["client_id"] = mi.ClientId,
        });
    }

    private static Task Error(HttpContext context, int status, string message) =>
        JsonResponse.WriteAsync(context, status, new JsonObject
        {
            ["statusCode"] = status,
            ["message"] = message,
            ["correlationId"] = GraphHeaders.Of(context).RequestId,
        });
}
