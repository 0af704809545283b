using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace IntuneVpp.Commands.Tokens
{
    /// <summary>Deletes VPP tokens from Intune (DELETE). Asks first unless -Force or -Confirm:$false.</summary>
    [Cmdlet(VerbsCommon.Remove, "IntuneVppToken", DefaultParameterSetName = "ByInputObject", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveIntuneVppTokenCommand : VppTokenItemCmdlet
    {
        /// <summary>Deletes without asking for confirmation.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        private protected override string Activity => "Removing VPP tokens";

        private protected override async Task ProcessTokenAsync(AsyncPipeline pipeline, string id, VppToken? input, object target, CancellationToken cancellationToken)
        {
            (string description, _) = await DescribeForShouldProcessAsync(pipeline, id, input, Force, cancellationToken).ConfigureAwait(false);
            if (await ShouldActAsync(pipeline, Force, description, "Remove from Intune").ConfigureAwait(false))
            {
                await ActiveConnection.Client.VppTokens.DeleteAsync(id, Log, cancellationToken).ConfigureAwait(false);
                Log.Verbose($"Removed {description}.");
            }
        }
    }
}
