using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Commands.Binding;
using IntuneVpp.Errors;

namespace IntuneVpp.Commands.Tokens
{
    /// <summary>
    /// Changes properties of VPP tokens (PATCH), or renews one from Apple's new token file. The tokens come from -Id
    /// or the pipeline; the values come from parameters, and only the parameters given are sent.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "IntuneVppToken", DefaultParameterSetName = "ByInputObject", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(VppToken))]
    public sealed class SetIntuneVppTokenCommand : VppTokenItemCmdlet, IDynamicParameters
    {
        private readonly SetTokenSettings _settings = new();
        private VppTokenChanges _changes = new();
        private AppleVppTokenFile? _tokenFile;

        #region Parameters

        /// <summary>The Apple VPP token content (the .vpptoken file's text). Prefer -TokenFile, which checks the file first.</summary>
        [Parameter]
        [ValidateNotNull]
        public SecureString? Token { get; set; }

        /// <summary>Apple's new .vpptoken file: checked (readable, not expired, same organization) before anything is sent.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TokenFile { get; set; }

        /// <summary>With -TokenFile, sends the file even when its organization differs from the Intune token's.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Writes the updated token.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        #endregion

        /// <summary>The settings to change (-CountryOrRegion, -AutomaticallyUpdateApps, ...), declared in <see cref="SetTokenSettings"/>.</summary>
        public object GetDynamicParameters() => _settings;

        private protected override string Activity => "Updating VPP tokens";

        protected override async Task BeginProcessingAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            // Warned about, not refused: -Force is often given to Set cmdlets out of habit, or splatted with -Confirm:$false.
            if (Force && TokenFile is null)
            {
                await pipeline.WriteWarningAsync(ParameterRules.NoEffectMessage(
                    nameof(Force),
                    "without -TokenFile: it only lets a token file whose organization differs from the token's be sent. It does not skip confirmation; that is -Confirm:$false.")).ConfigureAwait(false);
            }

            if (Token is not null && TokenFile is not null)
            {
                throw new TerminatingErrorException(ErrorRecords.InvalidArgument("ConflictingParameters", "-Token and -TokenFile both give the token; use one.", null));
            }

            if (TokenFile is not null)
            {
                if (TokenFiles.Check(await pipeline.GetUnresolvedProviderPathAsync(TokenFile).ConfigureAwait(false), out _tokenFile) is { } problem)
                {
                    throw new TerminatingErrorException(ErrorRecords.TokenFile(problem, TokenFile));
                }
            }

            _changes = _settings.ToChanges(_tokenFile?.Token ?? Token);
            if (_changes.IsEmpty)
            {
                throw new TerminatingErrorException(ErrorRecords.InvalidArgument(
                    "NothingToChange",
                    "Nothing to change: give at least one property to set, such as -CountryOrRegion, -AutomaticallyUpdateApps or -TokenFile.",
                    null));
            }

            await base.BeginProcessingAsync(pipeline, cancellationToken).ConfigureAwait(false);
            if (_changes.BetaProperties.Count > 0)
            {
                RequireBeta(TokenSettings.BetaParameters(_changes));
            }
        }

        private protected override async Task ProcessTokenAsync(AsyncPipeline pipeline, string id, VppToken? input, object target, CancellationToken cancellationToken)
        {
            string action = "Set " + TokenSettings.DescribeValues(_changes);
            string description;
            if (_tokenFile is not null)
            {
                // Renewal: compare the file with the token it replaces, and show both expirations.
                VppToken current = await ActiveConnection.Client.VppTokens.GetAsync(id, Log, cancellationToken).ConfigureAwait(false);
                if (!Force && !TokenFiles.SameOrganization(_tokenFile, current))
                {
                    await pipeline.WriteErrorAsync(ErrorRecords.TokenFileOrganizationMismatch(
                        $"The token file '{_tokenFile.Path}' is for '{_tokenFile.OrganizationName}', but {Describe(id, current)} belongs to '{current.OrganizationName}'. Nothing was sent; use -Force if the organization really changed.",
                        target)).ConfigureAwait(false);
                    return;
                }

                action = $"Renew with '{_tokenFile.Path}' (organization '{_tokenFile.OrganizationName}'; expiration {current.ExpirationDateTime:yyyy-MM-dd} -> {_tokenFile.ExpirationDateTime:yyyy-MM-dd})";
                string others = TokenSettings.DescribeValues(_changes, includeToken: false);
                if (others.Length > 0)
                {
                    action += " and set " + others;
                }

                description = Describe(id, current);
            }
            else
            {
                (description, _) = await DescribeForShouldProcessAsync(pipeline, id, input, false, cancellationToken).ConfigureAwait(false);
            }

            if (!await pipeline.ShouldProcessAsync(description, action).ConfigureAwait(false))
            {
                return;
            }

            if (PassThru)
            {
                // A read-back that fails after the PATCH says the change was made, so that it is not sent again blindly.
                await pipeline.WriteObjectAsync(await ActiveConnection.Client.VppTokens.UpdateAndGetAsync(id, _changes, Log, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            }
            else
            {
                await ActiveConnection.Client.VppTokens.UpdateAsync(id, _changes, Log, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
