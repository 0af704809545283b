using GraphEmulator.Auth;
using GraphEmulator.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GraphEmulator.Endpoints;

/// <summary>Both Graph versions behind the auth gate; beta gets its extra operations.</summary>
internal static class GraphRoutes
{
    public static void MapGraph(this IEndpointRouteBuilder app)
    {
        foreach (ApiVersion version in new[] { ApiVersion.V1, ApiVersion.Beta })
        {
            RouteGroupBuilder group = app.MapGroup("/" + version.Segment());
            group.AddEndpointFilter<GraphAuthFilter>();
            VppTokenEndpoints.Map(group, version);
            if (version == ApiVersion.Beta)
            {
                BetaActionEndpoints.Map(group);
            }

            group.Map("/{**rest}", (HttpContext c, string? rest) => UnknownSegmentEndpoint.Handle(c, rest));
        }
    }
}
