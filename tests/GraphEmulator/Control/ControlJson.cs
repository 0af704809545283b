using System;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using GraphEmulator.Pipeline;
using Microsoft.AspNetCore.Http;

namespace GraphEmulator.Control;

/// <summary>Plain JSON in and out for the control API; its errors are <c>{"error": "..."}</c>, not Graph's shape.</summary>
internal static class ControlJson
{
    public static JsonObject ReadObject(HttpContext context)
    {
        ReadOnlyMemory<byte> bytes = BufferedBody.Of(context).Bytes;
        try
        {
            return (bytes.IsEmpty ? null : JsonNode.Parse(bytes.Span)) as JsonObject
                ?? throw new ControlException("The body must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new ControlException("The body is not valid JSON: " + ex.Message);
        }
    }

    public static Task Ok(HttpContext context, JsonNode? node) => JsonResponse.WriteAsync(context, StatusCodes.Status200OK, node);

    public static Task Error(HttpContext context, int status, string message) =>
        JsonResponse.WriteAsync(context, status, new JsonObject { ["error"] = message });
}

/// <summary>A control-API request the emulator cannot act on; answered with 400 and the message.</summary>
internal sealed class ControlException(string message) : Exception(message);
