using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using GraphEmulator.Pipeline;
using GraphEmulator.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace GraphEmulator.Auth;

/// <summary>
/// Entra ID's device authorization endpoint (v2.0): hands out a device code and a user code for the scopes asked,
/// checked as Entra ID checks them (one resource; .default alone or named permissions, not both).
/// </summary>
internal static class DeviceCodeEndpoint
{
    // Entra ID says 5 s; the emulator's "user" approves through the control API, so polls may come quickly.
    private const int IntervalSeconds = 1;
    private const int ExpiresInSeconds = 900;
    private const string Default = ".default";
    private const string MicrosoftGraph = "https://graph.microsoft.com";
    private static readonly string[] OpenIdScopes = ["openid", "profile", "offline_access", "email"];

    public static void MapDeviceCodeEndpoint(this IEndpointRouteBuilder app) =>
        app.MapPost("/{tenant}/oauth2/v2.0/devicecode", (HttpContext c, string tenant, TenantDirectory tenants, DeviceCodeStore codes, TimeProvider clock) =>
            Handle(c, tenant, tenants, codes, clock));

    private static Task Handle(HttpContext context, string tenant, TenantDirectory tenants, DeviceCodeStore codes, TimeProvider clock)
    {
        Dictionary<string, StringValues> form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(BufferedBody.Of(context).Bytes.Span));
        string Field(string name) => form.TryGetValue(name, out StringValues value) ? value.ToString() : string.Empty;

        if (!tenants.Exists(tenant))
        {
            return EntraError.TenantNotFound(tenant).WriteAsync(context);
        }

        string clientId = Field("client_id");
        if (clientId.Length == 0)
        {
            return EntraError.Missing("client_id").WriteAsync(context);
        }

        string[] asked = Field("scope").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        (string Resource, string Name)[] resourceScopes = [.. asked.Where(s => !OpenIdScopes.Contains(s, StringComparer.OrdinalIgnoreCase)).Select(Split)];
        if (resourceScopes.Length == 0)
        {
            return EntraError.Missing("scope").WriteAsync(context);
        }

        string[] resources = [.. resourceScopes.Select(s => s.Resource).Distinct(StringComparer.OrdinalIgnoreCase)];
        if (resources.Length > 1)
        {
            return new EntraError(400, "invalid_scope", 28000,
                $"Provided value for the input parameter scope is not valid because it contains more than one resource. Scope {Field("scope")} is not valid.").WriteAsync(context);
        }

        bool asksDefault = resourceScopes.Any(s => s.Name == Default);
        if (asksDefault && resourceScopes.Length > 1)
        {
            return new EntraError(400, "invalid_scope", 70011,
                $"The provided value for the input parameter 'scope' is not valid. The scope {Field("scope")} combines .default with named permissions.").WriteAsync(context);
        }

        var authorization = new DeviceAuthorization(
            tenant, clientId, resources[0], asksDefault ? [] : [.. resourceScopes.Select(s => s.Name)], asksDefault,
            clock.GetUtcNow().AddSeconds(ExpiresInSeconds));
        codes.Add(authorization);

        string verificationUri = context.Request.Scheme + "://" + context.Request.Host.Value + "/devicelogin";
        return JsonResponse.WriteAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["user_code"] = authorization.UserCode,
            ["device_code"] = authorization.DeviceCode,
            ["verification_uri"] = verificationUri,
            ["expires_in"] = ExpiresInSeconds,
            ["interval"] = IntervalSeconds,
            ["message"] = $"To sign in, use a web browser to open the page {verificationUri} and enter the code {authorization.UserCode} to authenticate.",
        });
    }

    /// <summary>"https://host/Name" → (https://host, Name); a bare name is Microsoft Graph's, as Entra ID reads it.</summary>
    private static (string Resource, string Name) Split(string scope)
    {
        int slash = scope.LastIndexOf('/');
        return slash > 0 ? (scope[..slash], scope[(slash + 1)..]) : (MicrosoftGraph, scope);
    }
}
