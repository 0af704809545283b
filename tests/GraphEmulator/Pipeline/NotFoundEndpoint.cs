using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace GraphEmulator.Pipeline;

/// <summary>Anything outside the served surface; Graph answers an unknown version or root like this.</summary>
internal static class NotFoundEndpoint
{
    public static Task Handle(HttpContext context) =>
        GraphError.WriteAsync(context, StatusCodes.Status404NotFound, "NotFound",
            $"Resource not found for the request '{context.Request.Method} {context.Request.Path}'.");
}
