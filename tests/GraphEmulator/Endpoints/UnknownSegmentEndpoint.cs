using System;
using System.Threading.Tasks;
using GraphEmulator.Pipeline;
using Microsoft.AspNetCore.Http;

namespace GraphEmulator.Endpoints;

/// <summary>
/// What Graph says about any other path under a version: the first segment it cannot resolve, or, when every
/// segment is known, that the method is not allowed there.
/// </summary>
internal static class UnknownSegmentEndpoint
{
    private static readonly string[] KnownSegments = ["deviceAppManagement", "vppTokens"];

    public static Task Handle(HttpContext context, string? rest)
    {
        string[] segments = (rest ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < segments.Length; i++)
        {
            bool known = i < KnownSegments.Length
                ? segments[i].Equals(KnownSegments[i], StringComparison.OrdinalIgnoreCase)
                : i == KnownSegments.Length && !segments[i].Contains('(', StringComparison.Ordinal) && !IsAction(segments[i]);
            if (!known)
            {
                return GraphError.SegmentNotFound(context, segments[i]);
            }
        }

        return segments.Length == 0
            ? GraphError.BadRequest(context, "Invalid request: a resource path is required.")
            : GraphError.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "BadRequest",
                $"The HTTP method '{context.Request.Method}' is not supported by the resource '{string.Join('/', segments)}'.");
    }

    private static bool IsAction(string segment) =>
        segment is "syncLicenseCounts" or "syncLicenses" or "revokeLicenses";
}
