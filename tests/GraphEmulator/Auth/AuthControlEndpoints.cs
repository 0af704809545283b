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
        control.MapGet("/device-codes", (HttpContext c, DeviceCodeStore codes) => ControlJson.Ok(c, new JsonArray([.. codes.All().Select(ToJson)])));
        control.MapPost("/device-codes/{userCode}", (HttpContext c, string userCode, DeviceCodeStore codes) => ActOnDeviceCode(c, userCode, codes));
    }

    /// <summary>What the "user" at the verification page does: approve, decline, let it expire, or make the next poll slow_down.</summary>
    private static Task ActOnDeviceCode(HttpContext context, string userCode, DeviceCodeStore codes)
    {
        JsonObject body = ControlJson.ReadObject(context);
        DeviceAuthorization authorization = codes.FindByUserCode(userCode)
            ?? throw new ControlException($"No device authorization has the user code '{userCode}'.");
        string outcome = (string?)body["outcome"] ?? throw new ControlException("\"outcome\" is required: approve, decline, expire or slow_down.");
        lock (authorization)
        {
            if (authorization.State != DeviceCodeState.Pending)
            {
                throw new ControlException($"The device authorization '{authorization.UserCode}' is {authorization.State}, not pending.");
            }

            switch (outcome)
            {
                case "approve":
                    authorization.User = (string?)body["user"] ?? authorization.User;
                    authorization.State = DeviceCodeState.Approved;
                    codes.Consent(authorization.TenantId, authorization.ClientId, authorization.Permissions);
                    break;
                case "decline":
                    authorization.State = DeviceCodeState.Declined;
                    break;
                case "expire":
                    authorization.State = DeviceCodeState.Expired;
                    break;
                case "slow_down":
                    authorization.SlowDownNext = true;
                    break;
                default:
                    throw new ControlException($"Unknown outcome '{outcome}': give approve, decline, expire or slow_down.");
            }
        }

        return ControlJson.Ok(context, ToJson(authorization));
    }

    // The device code itself is the client's secret: the control API names authorizations by their user code only.
    private static JsonObject ToJson(DeviceAuthorization a) => new()
    {
        ["userCode"] = a.UserCode,
        ["tenantId"] = a.TenantId,
        ["clientId"] = a.ClientId,
        ["resource"] = a.Resource,
        ["permissions"] = new JsonArray([.. a.Permissions.Select(p => (JsonNode?)p)]),
        ["asksDefault"] = a.AsksDefault,
        ["state"] = a.State.ToString(),
        ["polls"] = a.Polls,
        ["user"] = a.User,
    };

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
