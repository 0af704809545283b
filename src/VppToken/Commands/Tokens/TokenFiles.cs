using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;
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

        /// <summary>
        /// The file system paths a -Path (wildcards expanded) or -LiteralPath names, for Read- and Update-IntuneVppToken;
        /// a path of another provider, or one that names nothing, is written as its own error and gives none.
        /// </summary>
        public static async Task<IReadOnlyList<string>> ResolveAsync(AsyncPipeline pipeline, string path, bool literal)
        {
            try
            {
                return await ResolveOrThrowAsync(pipeline, path, literal).ConfigureAwait(false);
            }
            catch (SessionStateException ex)
            {
                // A drive or provider that does not exist ('nodrive:\x.vpptoken'): that path's error, and the next goes on.
                await pipeline.WriteErrorAsync(new ErrorRecord(ex.ErrorRecord, ex)).ConfigureAwait(false);
                return Array.Empty<string>();
            }
        }

        private static async Task<IReadOnlyList<string>> ResolveOrThrowAsync(AsyncPipeline pipeline, string path, bool literal)
        {
            if (literal)
            {
                return new[] { await pipeline.GetUnresolvedProviderPathAsync(path).ConfigureAwait(false) };
            }

            (IReadOnlyList<string> files, string? provider) = await pipeline.ResolvePathAsync(path).ConfigureAwait(false);
            if (provider is not null && provider != "FileSystem")
            {
                await pipeline.WriteErrorAsync(ErrorRecords.InvalidArgument("TokenFileNotOnFileSystem", $"'{path}' is a {provider} path; token files are read from the file system.", path)).ConfigureAwait(false);
                return Array.Empty<string>();
            }

            if (files.Count == 0)
            {
                string message = WildcardPattern.ContainsWildcardCharacters(path)
                    ? $"No token file matches '{path}'."
                    : $"The token file '{await pipeline.GetUnresolvedProviderPathAsync(path).ConfigureAwait(false)}' does not exist.";
                await pipeline.WriteErrorAsync(ErrorRecords.TokenFileNotFound(message, path)).ConfigureAwait(false);
            }

            return files;
        }

        /// <summary>The one comparison Set -TokenFile and Update-IntuneVppToken both make (case, spaces and Unicode form aside).</summary>
        public static bool SameOrganization(AppleVppTokenFile file, VppToken token) =>
            Client.Fleet.TokenLocation.SameOrganization(file.OrganizationName, token.OrganizationName);
    }
}
