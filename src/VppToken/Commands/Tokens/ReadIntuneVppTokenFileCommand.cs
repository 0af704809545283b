using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace IntuneVpp.Commands.Tokens
{
    /// <summary>
    /// Reads Apple's .vpptoken file: organization, expiration, days left, and the token content as a SecureString.
    /// Nothing is sent anywhere. -Path expands wildcards, as Get-Content does; -LiteralPath (what Get-ChildItem's
    /// output binds to) takes names as they are, brackets and all.
    /// </summary>
    [Cmdlet(VerbsCommunications.Read, "IntuneVppTokenFile", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(AppleVppTokenFile))]
    public sealed class ReadIntuneVppTokenFileCommand : AsyncPSCmdlet
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

        protected override async Task ProcessRecordAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            bool literal = ParameterSetName == LiteralPathSet;
            foreach (string path in literal ? LiteralPath : Path)
            {
                foreach (string file in await TokenFiles.ResolveAsync(pipeline, path, literal).ConfigureAwait(false))
                {
                    try
                    {
                        await pipeline.WriteObjectAsync(AppleVppTokenFile.Read(file)).ConfigureAwait(false);
                    }
                    catch (AppleVppTokenFileException ex)
                    {
                        await pipeline.WriteErrorAsync(Errors.ErrorRecords.TokenFile(ex, file)).ConfigureAwait(false);
                    }
                }
            }
        }
    }
}
