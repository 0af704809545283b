using System;
using System.Management.Automation;
using IntuneVpp.Errors;

namespace IntuneVpp.Commands.Tokens
{
    /// <summary>Reads and checks Apple's token file for the cmdlets that send it, before anything is sent.</summary>
    internal static class TokenFiles
    {
        public static AppleVppTokenFile ReadChecked(PSCmdlet cmdlet, string path)
        {
            string resolved = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
            AppleVppTokenFile file;
            try
            {
                file = AppleVppTokenFile.Read(resolved);
            }
            catch (AppleVppTokenFileException ex)
            {
                cmdlet.ThrowTerminatingError(ErrorFor(ex, path));
                throw;
            }

            if (file.IsExpired)
            {
                cmdlet.ThrowTerminatingError(ErrorRecords.InvalidArgument(
                    "TokenFileExpired",
                    $"The token file '{resolved}' for '{file.OrganizationName}' expired on {file.ExpirationDateTime:yyyy-MM-dd}; download a new one from Apple Business Manager or Apple School Manager.",
                    path));
            }

            return file;
        }

        /// <summary>The error of a file that cannot be used: a missing file is not the same problem as a corrupt one.</summary>
        public static ErrorRecord ErrorFor(AppleVppTokenFileException ex, object target) => ex.Kind switch
        {
            AppleVppTokenFileProblem.NotFound => new ErrorRecord(ex, "TokenFileNotFound", ErrorCategory.ObjectNotFound, target),
            AppleVppTokenFileProblem.IsFolder => new ErrorRecord(ex, "TokenFileIsFolder", ErrorCategory.InvalidArgument, target),
            AppleVppTokenFileProblem.AccessDenied => new ErrorRecord(ex, "TokenFileUnreadable", ErrorCategory.PermissionDenied, target),
            AppleVppTokenFileProblem.Unreadable => new ErrorRecord(ex, "TokenFileUnreadable", ErrorCategory.ReadError, target),
            _ => new ErrorRecord(ex, "InvalidTokenFile", ErrorCategory.InvalidData, target),
        };

        public static bool SameOrganization(AppleVppTokenFile file, VppToken token) =>
            string.Equals(file.OrganizationName.Trim(), token.OrganizationName?.Trim(), StringComparison.OrdinalIgnoreCase);
    }
}
