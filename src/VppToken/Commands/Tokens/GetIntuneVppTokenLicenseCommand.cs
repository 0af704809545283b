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

        protected override async Task BeginProcessingAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            await base.BeginProcessingAsync(pipeline, cancellationToken).ConfigureAwait(false);
            RequireBeta("Get-IntuneVppTokenLicense");
        }

        protected override async Task ProcessRecordAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            try
            {
                foreach (VppTokenLicenseSummary summary in await ActiveConnection.Client.VppTokens.GetLicensesForAppAsync(BundleId, Log, cancellationToken).ConfigureAwait(false))
                {
                    await pipeline.WriteObjectAsync(summary).ConfigureAwait(false);
                }
            }
            catch (GraphException ex)
            {
                await pipeline.WriteErrorAsync(ErrorRecords.FromGraph(ex, BundleId)).ConfigureAwait(false);
            }
        }
    }
}
