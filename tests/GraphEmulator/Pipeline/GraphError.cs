using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace GraphEmulator.Pipeline;

/// <summary>Graph's error envelope: <c>{"error":{"code","message","innerError":{date, request-id, client-request-id}}}</c>.</summary>
internal static class GraphError
{
    public static Task WriteAsync(HttpContext context, int status, string code, string message)
    {
        GraphHeaders ids = GraphHeaders.Of(context);
        return JsonResponse.WriteAsync(context, status, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("code", code);
            writer.WriteString("message", message);
            writer.WriteStartObject("innerError");
            writer.WriteString("date", ids.Date.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteString("request-id", ids.RequestId);
            writer.WriteString("client-request-id", ids.ClientRequestId ?? ids.RequestId);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    public static Task BadRequest(HttpContext context, string message) =>
        WriteAsync(context, StatusCodes.Status400BadRequest, "BadRequest", message);

    public static Task SegmentNotFound(HttpContext context, string segment) =>
        BadRequest(context, $"Resource not found for the segment '{segment}'.");

    public static Task NotFound(HttpContext context, string id) =>
        WriteAsync(context, StatusCodes.Status404NotFound, "ResourceNotFound", $"The vppToken with id '{id}' was not found.");
}
