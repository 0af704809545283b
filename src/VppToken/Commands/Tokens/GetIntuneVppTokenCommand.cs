using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Client.Graph;
using IntuneVpp.Commands.Binding;
using IntuneVpp.Completion;
using IntuneVpp.Errors;

namespace IntuneVpp.Commands.Tokens
{
    /// <summary>Lists the tenant's VPP tokens, or gets them by id.</summary>
    [Cmdlet(VerbsCommon.Get, "IntuneVppToken", DefaultParameterSetName = ListSet)]
    [OutputType(typeof(VppToken))]
    public sealed class GetIntuneVppTokenCommand : GraphCmdlet
    {
        private const string ListSet = "List";
        private const string ByIdSet = "ById";

        #region Parameters

        /// <summary>The ids of the tokens to get.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("VppTokenId")]
        [VppTokenIdInput]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(VppTokenIdCompleter))]
        public string[] Id { get; set; } = Array.Empty<string>();

        /// <summary>An OData filter Graph applies to the list, such as "state eq 'valid'".</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public string? Filter { get; set; }

        /// <summary>Only tokens that expire within this many days, those already expired included: what a monitoring runbook needs.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateRange(0, 3650)]
        public int ExpiringWithinDays { get; set; }

        /// <summary>The most pages of the list to follow before stopping with an error: a guard against a server that never stops paging.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateRange(1, 100000)]
        public int MaxPages { get; set; } = VppTokenService.DefaultMaxPages;

        /// <summary>Keeps the Apple token (as a SecureString) in the tokens written, when Graph returns it.</summary>
        [Parameter]
        public SwitchParameter IncludeToken { get; set; }

        #endregion

        private protected override bool KeepsAppleToken => IncludeToken;

        protected override async Task ProcessRecordAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            if (ParameterSetName == ListSet)
            {
                await ListAsync(pipeline, cancellationToken).ConfigureAwait(false);
                return;
            }

            foreach (string id in Id)
            {
                if (VppTokenIdInputAttribute.Resolve(id, id, out ErrorRecord? error) is not { } normalized)
                {
                    await pipeline.WriteErrorAsync(error!).ConfigureAwait(false);
                    continue;
                }

                try
                {
                    await pipeline.WriteObjectAsync(await ActiveConnection.Client.VppTokens.GetAsync(normalized, Log, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
                }
                catch (GraphException ex)
                {
                    await pipeline.WriteErrorAsync(ErrorRecords.FromGraph(ex, id)).ConfigureAwait(false);
                }
            }
        }

        private async Task ListAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            VppTokenService tokens = ActiveConnection.Client.VppTokens;
            DateTimeOffset? deadline = MyInvocation.BoundParameters.ContainsKey(nameof(ExpiringWithinDays))
                ? DateTimeOffset.UtcNow.AddDays(ExpiringWithinDays)
                : null;
            try
            {
                VppTokenPage page = await tokens.ListAsync(Filter, MaxPages, Log, cancellationToken).ConfigureAwait(false);
                while (true)
                {
                    foreach (VppToken token in page.Tokens)
                    {
                        if (deadline is null || token.ExpirationDateTime <= deadline)
                        {
                            await pipeline.WriteObjectAsync(token).ConfigureAwait(false);
                        }
                    }

                    if (page.NextLink is null)
                    {
                        break;
                    }

                    page = await tokens.ListNextAsync(page, Log, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (GraphException ex)
            {
                await pipeline.WriteErrorAsync(ErrorRecords.FromGraph(ex, Filter)).ConfigureAwait(false);
            }
        }
    }
}
