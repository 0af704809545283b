using System;
using System.Threading.Tasks;
using GraphEmulator.Pipeline;
using GraphEmulator.Store;
using GraphEmulator.Throttling;
using Microsoft.AspNetCore.Http;

namespace GraphEmulator.Auth;

/// <summary>
/// Graph's gate, in Graph's order: a bearer token, a valid one for a known tenant, the permission the method
/// needs, then the throttle. Leaves the <see cref="Caller"/> and its <see cref="Tenant"/> on the request.
/// </summary>
internal sealed class GraphAuthFilter(EmulatorTokens tokens, TenantDirectory tenants, Throttle throttle) : IEndpointFilter
{
    private const string AuthenticateChallenge =
        "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        HttpContext context = invocation.HttpContext;
        string authorization = context.Request.Headers.Authorization.ToString();
        string token = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : string.Empty;
        if (token.Length == 0)
        {
            return await Unauthorized(context, "Access token is empty.").ConfigureAwait(false);
        }

        TokenReadResult read = tokens.Read(token, tenants.DefaultTenantId);
        if (read.Caller is not { } caller)
        {
            return await Unauthorized(context, read.Error!).ConfigureAwait(false);
        }

        if (tenants.Find(caller.TenantId) is not { } tenant)
        {
            return await Unauthorized(context, $"Access token validation failure. The tenant '{caller.TenantId}' of the token is not known.").ConfigureAwait(false);
        }

        bool write = !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method);
        if (!GraphPermissions.Allows(caller, write))
        {
            await GraphError.WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden",
                "Application is not authorized to perform this operation. Application must have one of the following scopes: "
                + string.Join(", ", GraphPermissions.Needed(write))).ConfigureAwait(false);
            return Results.Empty;
        }

        if (throttle.Check(caller, write) is { } retryAfter)
        {
            if (retryAfter.Length > 0)
            {
                context.Response.Headers.RetryAfter = retryAfter;
            }

            await GraphError.WriteAsync(context, StatusCodes.Status429TooManyRequests, "TooManyRequests",
                "Too many requests. The request was throttled; retry later.").ConfigureAwait(false);
            return Results.Empty;
        }

        context.Features.Set(caller);
        context.Features.Set(tenant);
        return await next(invocation).ConfigureAwait(false);
    }

    private static async Task<IResult> Unauthorized(HttpContext context, string message)
    {
        context.Response.Headers.WWWAuthenticate = AuthenticateChallenge;
        await GraphError.WriteAsync(context, StatusCodes.Status401Unauthorized, "InvalidAuthenticationToken", message).ConfigureAwait(false);
        return Results.Empty;
    }
}
