using System;
using System.Collections.Generic;
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
/// Entra ID's v2.0 token endpoint: the client credentials grant, with a secret or a certificate assertion, and the
/// device code grant of a public client (<see cref="DeviceCodeGrant"/>).
/// </summary>
internal static class TokenEndpoint
{
    private const int LifetimeSeconds = 3599;
    private const string JwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    public static void MapTokenEndpoint(this IEndpointRouteBuilder app) =>
        app.MapPost("/{tenant}/oauth2/v2.0/token", (HttpContext c, string tenant, TenantDirectory tenants, AppRegistry apps, DeviceCodeStore codes, EmulatorTokens tokens, TimeProvider clock) =>
            Handle(c, tenant, tenants, apps, codes, tokens, clock));

    private static Task Handle(HttpContext context, string tenant, TenantDirectory tenants, AppRegistry apps, DeviceCodeStore codes, EmulatorTokens tokens, TimeProvider clock)
    {
        Dictionary<string, StringValues> form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(BufferedBody.Of(context).Bytes.Span));
        string Field(string name) => form.TryGetValue(name, out StringValues value) ? value.ToString() : string.Empty;

        if (!tenants.Exists(tenant))
        {
            return EntraError.TenantNotFound(tenant).WriteAsync(context);
        }

        if (DeviceCodeGrant.IsGrantType(Field("grant_type")))
        {
            return DeviceCodeGrant.Handle(context, tenant, Field("client_id"), Field("device_code"), codes, tokens, clock);
        }

        if (Field("grant_type") != "client_credentials")
        {
            return new EntraError(400, "unsupported_grant_type", 70003,
                $"The app requested an unsupported grant type '{Field("grant_type")}'; this emulator supports client_credentials and device_code.").WriteAsync(context);
        }

        string clientId = Field("client_id");
        if (clientId.Length == 0)
        {
            return EntraError.Missing("client_id").WriteAsync(context);
        }

        string scope = Field("scope");
        if (!scope.EndsWith("/.default", StringComparison.Ordinal) || scope.Contains(' ', StringComparison.Ordinal))
        {
            return new EntraError(400, "invalid_scope", 1002012,
                $"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).").WriteAsync(context);
        }

        if (apps.Find(tenant, clientId) is not { } app)
        {
            return EntraError.AppNotFound(clientId, tenant).WriteAsync(context);
        }

        EntraError? refusal = Authenticate(context, app, Field("client_secret"), Field("client_assertion_type"), Field("client_assertion"), clock);
        if (refusal is not null)
        {
            return refusal.WriteAsync(context);
        }

        string token = tokens.Issue(new TokenRequest(app.TenantId, app.ClientId, app.Roles, null, LifetimeSeconds, scope[..^"/.default".Length]));
        return JsonResponse.WriteAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = LifetimeSeconds,
            ["ext_expires_in"] = LifetimeSeconds,
            ["access_token"] = token,
        });
    }

    private static EntraError? Authenticate(HttpContext context, AppRegistration app, string secret, string assertionType, string assertion, TimeProvider clock)
    {
        if (assertion.Length > 0)
        {
            if (assertionType != JwtBearer)
            {
                return new EntraError(400, "invalid_request", 700025,
                    $"The client_assertion_type '{assertionType}' is not supported; use '{JwtBearer}'.");
            }

            HttpRequest request = context.Request;
            string endpoint = request.Scheme + "://" + request.Host.Value + request.Path.Value;
            return ClientAssertion.Validate(assertion, app, endpoint, clock.GetUtcNow());
        }

        if (secret.Length == 0)
        {
            return new EntraError(401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
        }

        return app.ClientSecret is not null && string.Equals(secret, app.ClientSecret, StringComparison.Ordinal)
            ? null
            : EntraError.InvalidSecret(app.ClientId);
    }
}
