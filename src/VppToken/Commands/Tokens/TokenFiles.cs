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
                cmdlet.ThrowTerminatingError(new ErrorRecord(ex, "InvalidTokenFile", ErrorCategory.InvalidData, path));
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

        public static bool SameOrganization(AppleVppTokenFile file, VppToken token) =>
            string.Equals(file.OrganizationName.Trim(), token.OrganizationName?.Trim(), StringComparison.OrdinalIgnoreCase);
    }
}
