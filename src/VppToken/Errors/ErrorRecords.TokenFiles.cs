using System.Management.Automation;

namespace IntuneVpp.Errors
{
    /// <summary>The records of Apple token files that cannot be read or sent: a missing file is not the same problem as a corrupt one.</summary>
    internal static partial class ErrorRecords
    {
        public static ErrorRecord TokenFile(AppleVppTokenFileException ex, object target) => ex.Kind switch
        {
            AppleVppTokenFileProblem.NotFound => new ErrorRecord(ex, "TokenFileNotFound", ErrorCategory.ObjectNotFound, target),
            AppleVppTokenFileProblem.IsFolder => new ErrorRecord(ex, "TokenFileIsFolder", ErrorCategory.InvalidArgument, target),
            AppleVppTokenFileProblem.AccessDenied => new ErrorRecord(ex, "TokenFileUnreadable", ErrorCategory.PermissionDenied, target),
            AppleVppTokenFileProblem.Unreadable => new ErrorRecord(ex, "TokenFileUnreadable", ErrorCategory.ReadError, target),
            _ => new ErrorRecord(ex, "InvalidTokenFile", ErrorCategory.InvalidData, target),
        };

        /// <summary>The record of a token file that cannot be sent, as the token-file check found it.</summary>
        public static ErrorRecord TokenFile(TokenFileProblem problem, object target) =>
            problem.Unusable is { } unusable
                ? TokenFile(unusable, target)
                : InvalidArgument(
                    "TokenFileExpired",
                    $"The token file '{problem.Path}' for '{problem.Expired!.OrganizationName}' expired on {problem.Expired.ExpirationDateTime:yyyy-MM-dd}; download a new one from Apple Business Manager or Apple School Manager.",
                    target);

        /// <summary>A path or wildcard that names no file; <paramref name="message"/> says which of the two.</summary>
        public static ErrorRecord TokenFileNotFound(string message, object target) =>
            Of("TokenFileNotFound", ErrorCategory.ObjectNotFound, message, target);
    }
}
