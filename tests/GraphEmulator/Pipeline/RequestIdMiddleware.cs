using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace GraphEmulator.Pipeline;

/// <summary>
/// Stamps request-id, client-request-id and Date on every answer before anything else runs, so scripted answers,
/// errors and aborted-then-retried calls all carry them, as Graph's front door does.
/// </summary>
internal sealed class RequestIdMiddleware(RequestDelegate next, TimeProvider clock)
{
    public Task InvokeAsync(HttpContext context)
    {
        string? clientRequestId = context.Request.Headers["client-request-id"];
        var ids = new GraphHeaders
        {
            RequestId = Guid.NewGuid().ToString(),
            ClientRequestId = string.IsNullOrEmpty(clientRequestId) ? null : clientRequestId,
            Date = clock.GetUtcNow(),
        };
        context.Features.Set(ids);

        IHeaderDictionary headers = context.Response.Headers;
        headers["request-id"] = ids.RequestId;
        if (ids.ClientRequestId is not null)
        {
            headers["client-request-id"] = ids.ClientRequestId;
        }

        headers.Date = ids.Date.ToString("R");
        return next(context);
    }
}
