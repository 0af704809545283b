using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Commands.Binding;

namespace IntuneVpp.Commands.Tokens
{
    /// <summary>Revokes the app licenses of VPP tokens (beta revokeLicenses). Asks first unless -Force.</summary>
    [Cmdlet(VerbsSecurity.Revoke, "IntuneVppTokenLicense", DefaultParameterSetName = "ByInputObject", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RevokeIntuneVppTokenLicenseCommand : VppTokenItemCmdlet
    {
        /// <summary>Whether the devices that hold the licenses are told.</summary>
        [Parameter]
        [BooleanText]
        public bool NotifyManagedDevices { get; set; }

        /// <summary>Whether licenses Intune does not track are revoked too.</summary>
        [Parameter]
        [BooleanText]
        public bool RevokeUntrackedLicenses { get; set; }

        /// <summary>Revokes without asking for confirmation.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        private protected override string Activity => "Revoking VPP token licenses";

        protected override async Task BeginProcessingAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            await base.BeginProcessingAsync(pipeline, cancellationToken).ConfigureAwait(false);
            RequireBeta("Revoke-IntuneVppTokenLicense");
        }

        private protected override async Task ProcessTokenAsync(AsyncPipeline pipeline, string id, VppToken? input, object target, CancellationToken cancellationToken)
        {
            string action = $"Revoke licenses: NotifyManagedDevices = {NotifyManagedDevices}, RevokeUntrackedLicenses = {RevokeUntrackedLicenses}";
            (string description, _) = await DescribeForShouldProcessAsync(pipeline, id, input, Force, cancellationToken).ConfigureAwait(false);
            if (await ShouldActAsync(pipeline, Force, description, action).ConfigureAwait(false))
            {
                await ActiveConnection.Client.VppTokens.RevokeLicensesAsync(id, NotifyManagedDevices, RevokeUntrackedLicenses, Log, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
