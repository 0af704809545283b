using System;
using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace GraphEmulator.Pipeline;

/// <summary>Writes JSON bodies with an explicit length, so clients never see chunked Graph answers.</summary>
internal static class JsonResponse
{
    public const string ContentType = "application/json; charset=utf-8";

    // Graph writes quotes and non-ASCII text as they are; the default encoder would escape them as \u0027 etc.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Task WriteAsync(HttpContext context, int status, JsonNode? node, string contentType = ContentType) =>
        WriteAsync(context, status, writer =>
        {
            if (node is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                node.WriteTo(writer);
            }
        }, contentType);

    public static async Task WriteAsync(HttpContext context, int status, Action<Utf8JsonWriter> write, string contentType = ContentType)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        HttpResponse response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    public static void NoContent(HttpContext context, int status = StatusCodes.Status204NoContent) =>
        context.Response.StatusCode = status;
}
