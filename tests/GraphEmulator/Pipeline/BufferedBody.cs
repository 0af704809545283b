using System;
using System.IO;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace GraphEmulator.Pipeline;

/// <summary>The request body read once up front, so the log and the handlers share it without rewinding streams.</summary>
internal sealed class BufferedBody(byte[] bytes)
{
    public ReadOnlyMemory<byte> Bytes { get; } = bytes;

    public bool IsEmpty => Bytes.IsEmpty;

    public static BufferedBody Of(HttpContext context) =>
        context.Features.Get<BufferedBody>() ?? throw new InvalidOperationException("The body was not buffered.");

    public static async Task<BufferedBody> ReadAsync(HttpContext context)
    {
        var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var body = new BufferedBody(buffer.ToArray());
        context.Features.Set(body);
        context.Request.Body = new MemoryStream(buffer.ToArray(), writable: false);
        return body;
    }
}
