using System.Collections.ObjectModel;
using System.Management.Automation;

namespace IntuneVpp.Commands.Tokens
{
    /// <summary>
    /// Reads Apple's .vpptoken file: organization, expiration, days left, and the token content as a SecureString.
    /// Nothing is sent anywhere. -Path expands wildcards, as Get-Content does; -LiteralPath (what Get-ChildItem's
    /// output binds to) takes names as they are, brackets and all.
    /// </summary>
    [Cmdlet(VerbsCommunications.Read, "IntuneVppTokenFile", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(AppleVppTokenFile))]
    public sealed class ReadIntuneVppTokenFileCommand : PSCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        /// <summary>The .vpptoken files to read; wildcards are expanded.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Path { get; set; } = System.Array.Empty<string>();

        /// <summary>The .vpptoken files to read, taken as they are written.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP", "FullName")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = System.Array.Empty<string>();

        protected override void ProcessRecord()
        {
            if (ParameterSetName == LiteralPathSet)
            {
                foreach (string path in LiteralPath)
                {
                    Read(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path));
                }

                return;
            }

            foreach (string path in Path)
            {
                Collection<string> files;
                ProviderInfo provider;
                try
                {
                    files = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out provider);
                }
                catch (ItemNotFoundException)
                {
                    NotFound(path);
                    continue;
                }

                if (provider.Name != "FileSystem")
                {
                    WriteError(Errors.ErrorRecords.InvalidArgument("TokenFileNotOnFileSystem", $"'{path}' is a {provider.Name} path; token files are read from the file system.", path));
                    continue;
                }

                if (files.Count == 0)
                {
                    NotFound(path);
                }

                foreach (string file in files)
                {
                    Read(file);
                }
            }
        }

        private void Read(string path)
        {
            try
            {
                WriteObject(AppleVppTokenFile.Read(path));
            }
            catch (AppleVppTokenFileException ex)
            {
                WriteError(TokenFiles.ErrorFor(ex, path));
            }
        }

        private void NotFound(string path)
        {
            string message = WildcardPattern.ContainsWildcardCharacters(path)
                ? $"No token file matches '{path}'."
                : $"The token file '{SessionState.Path.GetUnresolvedProviderPathFromPSPath(path)}' does not exist.";
            WriteError(new ErrorRecord(new ItemNotFoundException(message), "TokenFileNotFound", ErrorCategory.ObjectNotFound, path));
        }
    }
}
