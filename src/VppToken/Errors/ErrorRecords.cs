using System;
using System.IO;
using System.Management.Automation;
using System.Security.Authentication;
using IntuneVpp.Module;

namespace IntuneVpp.Errors
{
    /// <summary>
    /// Every ErrorRecord the module writes: a stable ErrorId, a precise category, the target, advice. The records of
    /// one kind live in their own file (Graph, sign-in, token files); this one holds what they share.
    /// </summary>
    internal static partial class ErrorRecords
    {
        // PowerShell 7.5's default error view shows the recommended action on a line of its own. Earlier versions and
        // Windows PowerShell never show it, so there the message carries it too; said twice nowhere.
        private static readonly bool RecommendationShown = typeof(PSObject).Assembly.GetName().Version >= new Version(7, 5);

        /// <summary>
        /// A record of our own words, its exception chosen by its category (<see cref="ExceptionFor"/>), so a script's
        /// <c>catch [System.ArgumentException]</c> or <c>catch [System.Management.Automation.ItemNotFoundException]</c>
        /// means the same as the category it sees.
        /// </summary>
        public static ErrorRecord Of(string errorId, ErrorCategory category, string message, object? target, string? recommendedAction = null)
        {
            var record = new ErrorRecord(ExceptionFor(category, message), errorId, category, target);
            if (recommendedAction is not null)
            {
                record.ErrorDetails = Details(message, recommendedAction);
            }

            return record;
        }

        public static ErrorRecord InvalidArgument(string errorId, string message, object? target, string? recommendedAction = null) =>
            Of(errorId, ErrorCategory.InvalidArgument, message, target, recommendedAction);

        /// <summary>
        /// The exception PowerShell users expect of a category: the one the engine and the built-in cmdlets use for it.
        /// Records that carry a failure of their own (a GraphException, a token file's or a sign-in's) keep it instead.
        /// </summary>
        public static Exception ExceptionFor(ErrorCategory category, string message) => category switch
        {
            ErrorCategory.InvalidArgument => new ArgumentException(message),
            ErrorCategory.ObjectNotFound => new ItemNotFoundException(message),
            ErrorCategory.InvalidOperation => new InvalidOperationException(message),
            ErrorCategory.AuthenticationError => new AuthenticationException(message),
            ErrorCategory.InvalidData => new InvalidDataException(message),
            ErrorCategory.ReadError => new IOException(message),
            ErrorCategory.PermissionDenied => new UnauthorizedAccessException(message),
            ErrorCategory.OperationTimeout => new TimeoutException(message),
            _ => new InvalidOperationException(message),
        };

        /// <summary>What the console shows of an error and what to do about it, each said once.</summary>
        public static ErrorDetails Details(string message, string? recommendedAction) =>
            new(string.IsNullOrEmpty(recommendedAction) || RecommendationShown ? message : message + " " + recommendedAction)
            {
                RecommendedAction = recommendedAction,
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
    }
}
