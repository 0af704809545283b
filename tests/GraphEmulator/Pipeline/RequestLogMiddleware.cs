using System;
using System.Collections.Generic;
using System.Text;
using System.Threading.Tasks;
using GraphEmulator.Control;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace GraphEmulator.Pipeline;

/// <summary>Buffers the body and records the request exactly as received; the control API itself is never logged.</summary>
internal sealed class RequestLogMiddleware(RequestDelegate next, RequestLog log, TimeProvider clock)
{
    public async Task InvokeAsync(HttpContext context)
    {
        BufferedBody body = await BufferedBody.ReadAsync(context).ConfigureAwait(false);
        if (!ControlPaths.IsControl(context.Request.Path))
        {
            HttpRequest request = context.Request;
            string rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (request.Path + request.QueryString);
            var headers = new Dictionary<string, string>(request.Headers.Count, StringComparer.OrdinalIgnoreCase);
            foreach (KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues> header in request.Headers)
            {
                headers[header.Key] = string.Join(", ", header.Value.ToArray());
            }

            string text = body.IsEmpty ? string.Empty : Encoding.UTF8.GetString(body.Bytes.Span);
            DateTimeOffset time = clock.GetUtcNow();
            log.Add(sequence => new LoggedRequest(sequence, time, request.Method, rawTarget, headers, text));
        }

        await next(context).ConfigureAwait(false);
    }
}
