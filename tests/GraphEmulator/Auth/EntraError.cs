using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using GraphEmulator.Pipeline;
using Microsoft.AspNetCore.Http;

namespace GraphEmulator.Auth;

/// <summary>An Entra ID (AADSTS) error: the OAuth2 error, its AADSTS code and message.</summary>
internal sealed record EntraError(int Status, string Error, int Code, string Message)
{
    public Task WriteAsync(HttpContext context)
    {
        GraphHeaders ids = GraphHeaders.Of(context);
        string timestamp = ids.Date.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        string code = Code.ToString(CultureInfo.InvariantCulture);
        return JsonResponse.WriteAsync(context, Status, new JsonObject
        {
            ["error"] = Error,
            ["error_description"] = $"AADSTS{code}: {Message} Trace ID: {ids.RequestId} Correlation ID: {ids.ClientRequestId ?? ids.RequestId} Timestamp: {timestamp}",
            ["error_codes"] = new JsonArray(Code),
            ["timestamp"] = timestamp,
            ["trace_id"] = ids.RequestId,
            ["correlation_id"] = ids.ClientRequestId ?? ids.RequestId,
            ["error_uri"] = context.Request.Scheme + "://" + context.Request.Host.Value + "/error?code=" + code,
        });
    }

    public static EntraError TenantNotFound(string tenant) => new(400, "invalid_request", 90002,
        $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.");

    public static EntraError AppNotFound(string clientId, string tenant) => new(400, "unauthorized_client", 700016,
        $"Application with identifier '{clientId}' was not found in the directory '{tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.");

    public static EntraError InvalidSecret(string clientId) => new(401, "invalid_client", 7000215,
        $"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{clientId}'.");

    public static EntraError Missing(string parameter, int code = 900144) => new(400, "invalid_request", code,
        $"The request body must contain the following parameter: '{parameter}'.");

    public static EntraError Assertion(int code, string message) => new(401, "invalid_client", code, message);
}
