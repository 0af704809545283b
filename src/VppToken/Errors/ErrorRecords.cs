using System;
using System.Management.Automation;
using IntuneVpp.Client.Graph;
using IntuneVpp.Module;

namespace IntuneVpp.Errors
{
    /// <summary>Every ErrorRecord the module writes: a stable ErrorId, a precise category, the target, advice.</summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord FromGraph(GraphException ex, object? target)
        {
            var record = new ErrorRecord(ex, "Graph" + ex.Kind, CategoryOf(ex.Kind), target);
            if (!string.IsNullOrEmpty(ex.Hint))
            {
                record.ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = ex.Hint };
            }

            return record;
        }

        public static ErrorRecord InvalidArgument(string errorId, string message, object? target, string? recommendedAction = null)
        {
            var record = new ErrorRecord(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, target);
            if (recommendedAction is not null)
            {
                record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = recommendedAction };
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
                ErrorDetails = new ErrorDetails(
                    "Not connected to Graph. Run Connect-IntuneVpp first, or pass -Connection with an object from Connect-IntuneVpp -PassThru.")
                {
                    RecommendedAction = "Run Connect-IntuneVpp (see Get-Help Connect-IntuneVpp -Examples).",
                },
            };

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
