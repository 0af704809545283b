using System;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using GraphEmulator.Control;
using GraphEmulator.Endpoints;
using GraphEmulator.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GraphEmulator.Auth;

/// <summary>Control routes for identities: app registrations, ready-made access tokens, the managed identity.</summary>
internal static class AuthControlEndpoints
{
    public static void MapAuthControl(this RouteGroupBuilder control)
    {
        control.MapPost("/apps", (HttpContext c, AppRegistry apps) => RegisterApp(c, apps));
        control.MapPost("/issue-token", (HttpContext c, EmulatorTokens tokens, TenantDirectory tenants) => IssueToken(c, tokens, tenants));
        control.MapGet("/managed-identity", (HttpContext c, ManagedIdentityStore mi) => ControlJson.Ok(c, ToJson(mi.Current)));
        control.MapPut("/managed-identity", (HttpContext c, ManagedIdentityStore mi) => ConfigureManagedIdentity(c, mi));
    }

    private static Task RegisterApp(HttpContext context, AppRegistry apps)
    {
        JsonObject body = ControlJson.ReadObject(context);
        X509Certificate2? certificate = null;
        if ((string?)body["certificate"] is { } der)
        {
            try
            {
                certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(der));
            }
            catch (Exception ex) when (ex is FormatException or CryptographicException)
            {
                throw new ControlException("\"certificate\" must be the base64 DER of an X.509 certificate: " + ex.Message);
            }
        }

        var app = new AppRegistration(
            Required(body, "tenantId"),
            Required(body, "clientId"),
            (string?)body["clientSecret"],
            certificate,
            Roles(body));
        apps.Register(app);
        return ControlJson.Ok(context, new JsonObject { ["tenantId"] = app.TenantId, ["clientId"] = app.ClientId });
    }

    private static Task IssueToken(HttpContext context, EmulatorTokens tokens, TenantDirectory tenants)
    {
        JsonObject body = ControlJson.ReadObject(context);
        string token = tokens.Issue(new TokenRequest(
            (string?)body["tenantId"] ?? tenants.DefaultTenantId,
            (string?)body["clientId"] ?? "11111111-2222-3333-4444-555555555555",
            Roles(body),
            (string?)body["scp"],
            body["lifetimeSeconds"]?.GetValue<int>() ?? 3600,
            GraphUrls.Base(context.Request)));
        return ControlJson.Ok(context, new JsonObject { ["access_token"] = token });
    }

    private static Task ConfigureManagedIdentity(HttpContext context, ManagedIdentityStore store)
    {
        JsonObject body = ControlJson.ReadObject(context);
        ManagedIdentity mi = store.Current;
        store.Current = new ManagedIdentity(
            (string?)body["identityHeader"] ?? mi.IdentityHeader,
            body.ContainsKey("tenantId") ? (string?)body["tenantId"] : mi.TenantId,
            (string?)body["clientId"] ?? mi.ClientId,
            body.ContainsKey("roles") ? Roles(body) : mi.Roles,
            body["lifetimeSeconds"]?.GetValue<int>() ?? mi.LifetimeSeconds);
        return ControlJson.Ok(context, ToJson(store.Current));
    }

    private static JsonObject ToJson(ManagedIdentity mi) => new()
    {
        ["identityHeader"] = mi.IdentityHeader,
        ["tenantId"] = mi.TenantId,
        ["clientId"] = mi.ClientId,
        ["roles"] = mi.Roles is null ? null : new JsonArray([.. mi.Roles.Select(r => (JsonNode?)r)]),
        ["lifetimeSeconds"] = mi.LifetimeSeconds,
    };

    private static string[]? Roles(JsonObject body) =>
        body["roles"] is JsonArray roles ? [.. roles.Select(r => (string?)r ?? string.Empty)] : null;

    private static string Required(JsonObject body, string name) =>
        (string?)body[name] ?? throw new ControlException($"\"{name}\" is required.");
}
