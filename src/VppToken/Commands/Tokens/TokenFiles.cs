using System;
using IntuneVpp.Errors;

namespace IntuneVpp.Commands.Tokens
{
    /// <summary>Reads and checks Apple's token file for the cmdlets that send it, before anything is sent.</summary>
    internal static class TokenFiles
    {
        /// <summary>
        /// The one check of a token file to send: it reads, it is a token file, it has not expired. Returns the problem
        /// (the caller chooses a terminating or a pipeline error, ErrorRecords.TokenFile makes it), or null with the file.
        /// </summary>
        /// <param name="path">A file system path, resolved by the caller.</param>
        public static TokenFileProblem? Check(string path, out AppleVppTokenFile? file)
        {
            try
            {
                file = AppleVppTokenFile.Read(path);
            }
            catch (AppleVppTokenFileException ex)
            {
                file = null;
                return TokenFileProblem.CannotRead(path, ex);
            }

            return file.IsExpired ? TokenFileProblem.HasExpired(path, file) : null;
        }

        /// <summary>The one comparison Set -TokenFile and Update-IntuneVppToken both make (case, spaces and Unicode form aside).</summary>
        public static bool SameOrganization(AppleVppTokenFile file, VppToken token) =>
            Client.Fleet.TokenLocation.SameOrganization(file.OrganizationName, token.OrganizationName);
    }
}
