using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Text;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Graph;
using IntuneVpp.Module;

namespace IntuneVpp.Errors
{
    /// <summary>Every ErrorRecord the module writes: a stable ErrorId, a precise category, the target, advice.</summary>
    internal static class ErrorRecords
    {
        // PowerShell 7.5's default error view shows the recommended action on a line of its own. Earlier versions and
        // Windows PowerShell never show it, so there the message carries it too; said twice nowhere.
        private static readonly bool RecommendationShown = typeof(PSObject).Assembly.GetName().Version >= new Version(7, 5);

        public static ErrorRecord FromGraph(GraphException ex, object? target) =>
            new(ex, "Graph" + ex.Kind, CategoryOf(ex.Kind), target) { ErrorDetails = Details(GraphText(ex), ex.Hint) };

        public static ErrorRecord InvalidArgument(string errorId, string message, object? target, string? recommendedAction = null)
        {
            var record = new ErrorRecord(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, target);
            if (recommendedAction is not null)
            {
                record.ErrorDetails = Details(message, recommendedAction);
            }

            return record;
        }

        public static ErrorRecord NotConnected() =>
            new(
                new InvalidOperationException(
                    "Not connected to Graph. Connect first, for example: Connect-IntuneVpp -TenantId <tenant> (interactive), " +
                    "Connect-IntuneVpp -Identity (managed identity), or Connect-IntuneVpp -AccessToken <SecureString>; " +
                    "or pass -Connection with an object from Connect-IntuneVpp -PassThru."),
                "NotConnected",
                ErrorCategory.AuthenticationError,
                null)
            {
                ErrorDetails = Details(
                    "Not connected to Graph: there is no Connect-IntuneVpp connection in this runspace, no -Connection was given, and no Connect-MgGraph session to use.",
                    "Connect first with Connect-IntuneVpp (Get-Help Connect-IntuneVpp -Examples shows each way to sign in), or pass -Connection with an object from Connect-IntuneVpp -PassThru."),
            };

        /// <summary>A Connect-MgGraph session that could not be used; that module's words cut to a readable length, on one line.</summary>
        public static ErrorRecord MgGraphSessionFailed(Exception ex) =>
            new(ex, "MgGraphSessionFailed", ErrorCategory.AuthenticationError, null) { ErrorDetails = Details(ErrorText.OneLine(ErrorText.Cut(ex.Message)), null) };

        /// <summary>What the console shows of an error and what to do about it, each said once.</summary>
        public static ErrorDetails Details(string message, string? recommendedAction) =>
            new(string.IsNullOrEmpty(recommendedAction) || RecommendationShown ? message : message + " " + recommendedAction)
            {
                RecommendedAction = recommendedAction,
            };

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

        /// <summary>
        /// A TypeLoadException, FileLoadException or MissingMethodException from our own code, as one error that names
        /// the conflicting assembly, its version and location, and what to do.
        /// </summary>
        public static ErrorRecord DependencyLoadFailed(Exception failure)
        {
            DependencyLoadException exception = DependencyLoadException.From(failure, out LoadFailureReport report);
            return new ErrorRecord(exception, "DependencyLoadFailed", ErrorCategory.ResourceUnavailable, report.Target)
            {
                ErrorDetails = new ErrorDetails(report.Summary) { RecommendedAction = report.Advice },
            };
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
