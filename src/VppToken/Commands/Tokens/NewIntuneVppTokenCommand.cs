using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Commands.Binding;
using IntuneVpp.Client.Graph;
using IntuneVpp.Errors;

namespace IntuneVpp.Commands.Tokens
{
    /// <summary>
    /// Adds a VPP token to Intune (POST) from Apple's .vpptoken file or its content. A create is never sent twice:
    /// after a timeout or a dropped connection the error says to check whether it took effect.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "IntuneVppToken", DefaultParameterSetName = TokenFileSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(VppToken))]
    public sealed class NewIntuneVppTokenCommand : GraphCmdlet, IDynamicParameters
    {
        private readonly TokenSettings _settings = new();

        private const string TokenFileSet = "TokenFile";
        private const string TokenSet = "Token";

        #region Parameters

        /// <summary>Apple's .vpptoken file, checked (readable, not expired) before anything is sent.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = TokenFileSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "Path")]
        [ValidateNotNullOrEmpty]
        public string TokenFile { get; set; } = string.Empty;

        /// <summary>The token content (the .vpptoken file's text) as a SecureString.</summary>
        [Parameter(Mandatory = true, ParameterSetName = TokenSet)]
        [ValidateNotNull]
        public SecureString Token { get; set; } = null!;

        #endregion

        /// <summary>The token's settings (-CountryOrRegion, -AutomaticallyUpdateApps, ...), declared in <see cref="TokenSettings"/>.</summary>
        public object GetDynamicParameters() => _settings;

        protected override async Task BeginProcessingAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            await base.BeginProcessingAsync(pipeline, cancellationToken).ConfigureAwait(false);
            VppTokenChanges changes = _settings.ToChanges(null);
            if (changes.BetaProperties.Count > 0)
            {
                RequireBeta(TokenSettings.BetaParameters(changes));
            }
        }

        protected override async Task ProcessRecordAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            SecureString token;
            string description;
            if (ParameterSetName == TokenFileSet)
            {
                string path = await pipeline.GetUnresolvedProviderPathAsync(TokenFile).ConfigureAwait(false);
                if (TokenFiles.Check(path, out AppleVppTokenFile? file) is { } problem)
                {
                    await pipeline.WriteErrorAsync(ErrorRecords.TokenFile(problem, TokenFile)).ConfigureAwait(false);
                    return;
                }

                token = file!.Token;
                description = $"VPP token of '{file.OrganizationName}' from '{path}' (expires {file.ExpirationDateTime:yyyy-MM-dd})";
            }
            else
            {
                token = Token;
                description = "VPP token" + (_settings.AppleId is null ? string.Empty : $" for {_settings.AppleId}");
            }

            // The file's token needs no mention beside the file; a -Token given as such shows masked.
            VppTokenChanges changes = _settings.ToChanges(token);
            string values = TokenSettings.DescribeValues(changes, includeToken: ParameterSetName == TokenSet);
            if (!await pipeline.ShouldProcessAsync(description, values.Length == 0 ? "Add to Intune" : "Add to Intune with " + values).ConfigureAwait(false))
            {
                return;
            }

            try
            {
                await pipeline.WriteObjectAsync(await ActiveConnection.Client.VppTokens.CreateAsync(changes, Log, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            }
            catch (GraphException ex)
            {
                await pipeline.WriteErrorAsync(ErrorRecords.FromGraph(ex, ParameterSetName == TokenFileSet ? TokenFile : null)).ConfigureAwait(false);
            }
        }
    }
}
