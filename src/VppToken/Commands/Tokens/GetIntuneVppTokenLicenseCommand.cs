using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Client.Graph;
using IntuneVpp.Errors;

namespace IntuneVpp.Commands.Tokens
{
    /// <summary>Each VPP token's license counts for an app, by its bundle id (beta getLicensesForApp).</summary>
    [Cmdlet(VerbsCommon.Get, "IntuneVppTokenLicense")]
    [OutputType(typeof(VppTokenLicenseSummary))]
    public sealed class GetIntuneVppTokenLicenseCommand : GraphCmdlet
    {
        /// <summary>The app's bundle id, such as com.microsoft.Office.Word.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string BundleId { get; set; } = string.Empty;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (ActiveConnection.ApiVersion != GraphApiVersion.Beta)
            {
                ThrowTerminatingError(VppTokenItemCmdlet.BetaRequired("Get-IntuneVppTokenLicense").ErrorRecord);
            }
        }

        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            try
            {
                foreach (VppTokenLicenseSummary summary in await ActiveConnection.Client.VppTokens.GetLicensesForAppAsync(BundleId, Log, cancellationToken).ConfigureAwait(false))
                {
                    QueueObject(summary);
                }
            }
            catch (GraphException ex)
            {
                QueueError(ErrorRecords.FromGraph(ex, BundleId));
            }
        }
    }
}
