using System;
using Microsoft.AspNetCore.Http;

namespace GraphEmulator.Pipeline;

/// <summary>Correlation headers every Graph answer carries; kept per request so error bodies can quote them.</summary>
internal sealed class GraphHeaders
{
    public required string RequestId { get; init; }

    public string? ClientRequestId { get; init; }

    public required DateTimeOffset Date { get; init; }

    public static GraphHeaders Of(HttpContext context) =>
        context.Features.Get<GraphHeaders>() ?? throw new InvalidOperationException("RequestIdMiddleware did not run.");
}
