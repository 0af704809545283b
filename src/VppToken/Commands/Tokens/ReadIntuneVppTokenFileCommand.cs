using System.Management.Automation;

namespace IntuneVpp.Commands.Tokens
{
    /// <summary>
    /// Reads Apple's .vpptoken file: organization, expiration, days left, and the token content as a SecureString.
    /// Nothing is sent anywhere.
    /// </summary>
    [Cmdlet(VerbsCommunications.Read, "IntuneVppTokenFile")]
    [OutputType(typeof(AppleVppTokenFile))]
    public sealed class ReadIntuneVppTokenFileCommand : PSCmdlet
    {
        /// <summary>The .vpptoken files to read.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "LiteralPath")]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = System.Array.Empty<string>();

        protected override void ProcessRecord()
        {
            foreach (string path in Path)
            {
                string resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
                try
                {
                    WriteObject(AppleVppTokenFile.Read(resolved));
                }
                catch (AppleVppTokenFileException ex)
                {
                    WriteError(new ErrorRecord(ex, "InvalidTokenFile", ErrorCategory.InvalidData, path));
                }
            }
        }
    }
}
