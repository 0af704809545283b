using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Text;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Graph;

namespace IntuneVpp.Errors
{
    /// <summary>The records of Graph's failures: the ErrorId and category follow the kind the client found.</summary>
    internal static partial class ErrorRecords
    {
        public static ErrorRecord FromGraph(GraphException ex, object? target) =>
            new(ex, "Graph" + ex.Kind, CategoryOf(ex.Kind), target) { ErrorDetails = Details(GraphText(ex), ex.Hint) };

        /// <summary>
        /// A Graph error as a person reads it: what happened, Graph's own words on one line (the client has cut them to a
        /// readable length already), and the ids a support ticket asks for, the date in ISO 8601. What to do is the
        /// recommendation, not part of this text.
        /// </summary>
        public static string GraphText(GraphException ex)
        {
            var text = new StringBuilder(ex.Summary);
            if (!string.IsNullOrWhiteSpace(ex.GraphMessage))
            {
                string said = ErrorText.OneLine(ex.GraphMessage!);
                text.Append(' ').Append(said);
                if (!said.EndsWith(".", StringComparison.Ordinal) && !said.EndsWith("]", StringComparison.Ordinal))
                {
                    text.Append('.');
                }
            }

            var ids = new List<string>();
            if (!string.IsNullOrEmpty(ex.ErrorCode)) ids.Add("code: " + ErrorText.OneLine(ex.ErrorCode!));
            if (!string.IsNullOrEmpty(ex.RequestId)) ids.Add("request-id: " + ErrorText.OneLine(ex.RequestId!));
            if (!string.IsNullOrEmpty(ex.ClientRequestId)) ids.Add("client-request-id: " + ErrorText.OneLine(ex.ClientRequestId!));
            if (!string.IsNullOrEmpty(ex.Date)) ids.Add("date: " + ErrorText.IsoDate(ex.Date!));
            if (ids.Count > 0)
            {
                text.Append(" (").Append(string.Join(", ", ids)).Append(')');
            }

            return text.ToString();
        }

        public static ErrorCategory CategoryOf(GraphErrorKind kind) => kind switch
        {
            GraphErrorKind.BadRequest => ErrorCategory.InvalidArgument,
            GraphErrorKind.Unauthorized => ErrorCategory.AuthenticationError,
            GraphErrorKind.Forbidden => ErrorCategory.PermissionDenied,
            GraphErrorKind.NotFound => ErrorCategory.ObjectNotFound,
            GraphErrorKind.Conflict => ErrorCategory.ResourceExists,
            GraphErrorKind.PreconditionFailed => ErrorCategory.InvalidOperation,
            GraphErrorKind.Throttled => ErrorCategory.LimitsExceeded,
            GraphErrorKind.ServiceUnavailable or GraphErrorKind.GatewayTimeout => ErrorCategory.ResourceUnavailable,
            GraphErrorKind.NoAnswer or GraphErrorKind.Unreachable => ErrorCategory.ConnectionError,
            GraphErrorKind.InvalidResponse or GraphErrorKind.PagingLoop => ErrorCategory.InvalidResult,
            GraphErrorKind.PageLimitExceeded => ErrorCategory.LimitsExceeded,
            GraphErrorKind.Redirected or GraphErrorKind.UntrustedHost or GraphErrorKind.UntrustedLink => ErrorCategory.SecurityError,
            _ => ErrorCategory.ProtocolError,
        };
    }
}
