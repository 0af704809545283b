using System;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using GraphEmulator.Pipeline;
using GraphEmulator.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GraphEmulator.Auth;

/// <summary>The metadata MSAL may fetch before a token request: OpenID configuration and instance discovery.</summary>
internal static class DiscoveryEndpoints
{
    public static void MapDiscovery(this IEndpointRouteBuilder app)
    {
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (HttpContext c, string tenant, TenantDirectory tenants) =>
            OpenIdConfiguration(c, tenant, tenants));
        app.MapGet("/common/discovery/instance", InstanceDiscovery);
    }

    private static Task OpenIdConfiguration(HttpContext context, string tenant, TenantDirectory tenants)
    {
        if (!tenants.Exists(tenant) && tenant is not ("common" or "organizations"))
        {
            return EntraError.TenantNotFound(tenant).WriteAsync(context);
        }

        string authority = Authority(context.Request) + "/" + tenant;
        return JsonResponse.WriteAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["token_endpoint"] = authority + "/oauth2/v2.0/token",
            ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post", "private_key_jwt", "client_secret_basic"),
            ["jwks_uri"] = authority + "/discovery/v2.0/keys",
            ["response_modes_supported"] = new JsonArray("query", "fragment", "form_post"),
            ["subject_types_supported"] = new JsonArray("pairwise"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["response_types_supported"] = new JsonArray("code", "id_token", "code id_token", "id_token token"),
            ["scopes_supported"] = new JsonArray("openid", "profile", "email", "offline_access"),
            ["issuer"] = authority + "/v2.0",
            ["authorization_endpoint"] = authority + "/oauth2/v2.0/authorize",
            ["device_authorization_endpoint"] = authority + "/oauth2/v2.0/devicecode",
            ["end_session_endpoint"] = authority + "/oauth2/v2.0/logout",
            ["tenant_region_scope"] = null,
            ["cloud_instance_name"] = context.Request.Host.Host,
            ["cloud_graph_host_name"] = context.Request.Host.Host,
            ["msgraph_host"] = context.Request.Host.Value,
        });
    }

    private static Task InstanceDiscovery(HttpContext context)
    {
        string host = context.Request.Host.Value ?? "127.0.0.1";
        string authorize = context.Request.Query["authorization_endpoint"].ToString();
        string tenantPath = Uri.TryCreate(authorize, UriKind.Absolute, out Uri? uri) && uri.Segments.Length > 1
            ? uri.Segments[1].TrimEnd('/')
            : "common";
        return JsonResponse.WriteAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["tenant_discovery_endpoint"] = $"{Authority(context.Request)}/{tenantPath}/v2.0/.well-known/openid-configuration",
            ["api-version"] = "1.1",
            ["metadata"] = new JsonArray(new JsonObject
            {
                ["preferred_network"] = host,
                ["preferred_cache"] = host,
                ["aliases"] = new JsonArray(host),
            }),
        });
    }

    private static string Authority(HttpRequest request) => request.Scheme + "://" + request.Host.Value;
}
