using System;
using System.Text;
using System.Text.Json;
using IntuneVpp.Client.Diagnostics;

namespace IntuneVpp.Client.Graph
{
    /// <summary>Turns an unsuccessful answer into a <see cref="GraphException"/>, whatever the body holds.</summary>
    internal static class GraphErrors
    {
        /// <param name="replayable">False for a create: a 504 then may have been applied, and the error says so.</param>
        /// <param name="secrets">What the connection has sent that must not come back in Graph's message.</param>
        /// <param name="delegated">Whether the token was a user's (true), an app's (false), or unknown (null): a 403 says how to get consent.</param>
        public static GraphException FromResponse(
            GraphResponse response, string request, bool isWrite, bool replayable, int attempts, string? stopReason, SentSecrets secrets,
            bool? delegated = null)
        {
            GraphErrorKind statusKind = KindOf(response.Status);
            GraphErrorKind kind = statusKind;
            string summary = $"Graph answered {response.Status} {Clean(response.ReasonPhrase, secrets, ShortLength)} to {request}.";
            string? code = null;
            string? message = null;
            string? date = response.Date;
            string? requestId = response.RequestId;
            string? clientRequestId = response.ClientRequestId;

            if (kind == GraphErrorKind.Redirected)
            {
                message = response.Location is null
                    ? "It was a redirect with no target."
                    : $"It was a redirect to {response.Location}, which the module does not follow so that the token stays with Graph.";
            }
            else if (response.Body.Length == 0)
            {
                message = "The answer had no body.";
            }
            else if (LooksLikeHtml(response))
            {
                message = "The answer was an HTML page, not a Graph error: a proxy or gateway between here and Graph probably answered.";
            }
            else if (!Redaction.IsValidUtf8(response.Body))
            {
                // Not text at all, so not Graph's error either: the answer itself is broken, whatever its status said.
                kind = GraphErrorKind.InvalidResponse;
                message = "The answer's body is not valid UTF-8 text, so Graph's error could not be read.";
            }
            else
            {
                try
                {
                    using JsonDocument document = JsonDocument.Parse(response.Body);
                    if (document.RootElement.ValueKind == JsonValueKind.Object &&
                        document.RootElement.TryGetProperty("error", out JsonElement error) &&
                        error.ValueKind == JsonValueKind.Object)
                    {
                        code = StringOf(error, "code");
                        message = StringOf(error, "message");
                        if (TryGetObject(error, "innerError", out JsonElement inner) || TryGetObject(error, "innererror", out inner))
                        {
                            date = StringOf(inner, "date") ?? date;
                            requestId = StringOf(inner, "request-id") ?? requestId;
                            clientRequestId = StringOf(inner, "client-request-id") ?? clientRequestId;
                        }
                    }
                    else
                    {
                        message = "The answer was JSON but not a Graph error object.";
                    }
                }
                catch (JsonException)
                {
                    message = "The answer's body was not valid JSON (it may have been cut off).";
                }
                catch (InvalidOperationException)
                {
                    // An escaped string that is not valid UTF-16 (a lone surrogate) cannot be decoded.
                    kind = GraphErrorKind.InvalidResponse;
                    code = null;
                    message = "The answer's body holds text that cannot be decoded, so Graph's error could not be read.";
                }
            }

            return new GraphException(kind, summary)
            {
                StatusCode = response.Status,
                Attempts = attempts,
                ErrorCode = Clean(code, secrets, ShortLength),
                GraphMessage = Clean(message, secrets, ErrorText.DefaultMaxLength),
                RequestId = Clean(requestId, secrets, ShortLength),
                ClientRequestId = Clean(clientRequestId, secrets, ShortLength),
                Date = Clean(date, secrets, ShortLength),
                Request = request,
                Hint = stopReason ?? HintFor(statusKind, isWrite, replayable, attempts, delegated),
            };
        }

        /// <summary>
        /// Text from the other side made fit for an error record: known secrets masked, then cut to a readable size.
        /// Null or blank stays null.
        /// </summary>
        internal static string? Clean(string? text, SentSecrets secrets, int maxLength = ErrorText.DefaultMaxLength)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            return ErrorText.Cut(secrets.Mask(text!), maxLength);
        }

        /// <summary>Codes, ids and dates are short; anything longer is not one, and is cut harder.</summary>
        internal const int ShortLength = 200;

        /// <summary>What a request that cannot be sent twice says when it may have been applied all the same.</summary>
        internal const string MayHaveBeenApplied =
            "It was not sent again because it may have been applied; check whether it took effect before trying again.";

        public static GraphErrorKind KindOf(int status) => status switch
        {
            >= 300 and < 400 => GraphErrorKind.Redirected,
            400 => GraphErrorKind.BadRequest,
            401 => GraphErrorKind.Unauthorized,
            403 => GraphErrorKind.Forbidden,
            404 => GraphErrorKind.NotFound,
            409 => GraphErrorKind.Conflict,
            412 => GraphErrorKind.PreconditionFailed,
            429 => GraphErrorKind.Throttled,
            503 => GraphErrorKind.ServiceUnavailable,
            504 => GraphErrorKind.GatewayTimeout,
            >= 500 => GraphErrorKind.ServerError,
            _ => GraphErrorKind.OtherStatus,
        };

        private static string? HintFor(GraphErrorKind kind, bool isWrite, bool replayable, int attempts, bool? delegated) => kind switch
        {
            // The gateway gave up waiting for Graph, which may have gone on to apply the create; it was not sent again.
            GraphErrorKind.GatewayTimeout when !replayable => MayHaveBeenApplied,
            GraphErrorKind.Unauthorized =>
                "The access token was refused: it may have expired, been revoked, or be meant for another tenant or resource. Sign in again with Connect-IntuneVpp.",
            GraphErrorKind.Forbidden => ConsentHint(isWrite, delegated),
            GraphErrorKind.Throttled or GraphErrorKind.ServiceUnavailable or GraphErrorKind.GatewayTimeout when attempts > 1 =>
                $"Gave up after {attempts} tries; run it again later, or allow more retries with Connect-IntuneVpp -MaxRetries / -MaxRetryWait.",
            _ => null,
        };

        /// <summary>What permission was missing, and the ways to get it for the kind of sign-in the token came from.</summary>
        private static string ConsentHint(bool isWrite, bool? delegated)
        {
            string needed = isWrite
                ? "Changing VPP tokens needs DeviceManagementServiceConfig.ReadWrite.All (or DeviceManagementApps.ReadWrite.All)."
                : "Reading VPP tokens needs DeviceManagementServiceConfig.Read.All or DeviceManagementServiceConfig.ReadWrite.All.";
            const string User =
                "Signed in as a user: connect again with Connect-IntuneVpp -Scopes DeviceManagementServiceConfig.ReadWrite.All and accept the consent prompt, " +
                "ask an administrator to grant admin consent for it to the app you sign in with, or connect with -ClientId of an app that has it; " +
                "the user also needs an Intune role that allows it.";
            const string App =
                "Signed in as an app or managed identity: an administrator must grant it that Microsoft Graph application permission, with admin consent.";
            return delegated switch
            {
                true => needed + " " + User,
                false => needed + " " + App,
                _ => needed + " " + User + " " + App,
            };
        }

        internal static bool LooksLikeHtml(GraphResponse response)
        {
            if (response.ContentType is { } type && type.IndexOf("html", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }

            string start = Encoding.UTF8.GetString(response.Body, 0, Math.Min(response.Body.Length, 64)).TrimStart();
            return start.StartsWith("<", StringComparison.Ordinal);
        }

        private static bool TryGetObject(JsonElement parent, string name, out JsonElement value) =>
            parent.TryGetProperty(name, out value) && value.ValueKind == JsonValueKind.Object;

        private static string? StringOf(JsonElement parent, string name) =>
            parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
