using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Client.Graph;
using IntuneVpp.Commands.Binding;
using IntuneVpp.Completion;
using IntuneVpp.Errors;

namespace IntuneVpp.Commands
{
    /// <summary>
    /// A cmdlet that acts on tokens one by one: from -Id, from tokens piped by value, or from any object with an Id or
    /// VppTokenId property (Microsoft Graph's own objects, Import-Csv rows). Each item ends as a result or as one
    /// error record, and the next item goes on. ByInputObject is the default set so that a piped token binds whole
    /// (its organization then shows in -WhatIf), while strings and other objects still bind to -Id.
    /// </summary>
    public abstract class VppTokenItemCmdlet : GraphCmdlet
    {
        private const string ByIdSet = "ById";
        private const string ByInputObjectSet = "ByInputObject";

        // The impact PowerShell compares with $ConfirmPreference, read once per cmdlet type: reading the attribute
        // costs some 45 us a call, more than the rest of the cmdlet's own work.
        private static readonly ConcurrentDictionary<Type, ConfirmImpact> Impacts = new();

        private int _done;

        /// <summary>The id of the token.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("VppTokenId")]
        [VppTokenIdInput]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(VppTokenIdCompleter))]
        public string Id { get; set; } = string.Empty;

        /// <summary>A token from Get-IntuneVppToken.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByInputObjectSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public VppToken InputObject { get; set; } = null!;

        /// <summary>What the progress bar calls the work, e.g. "Updating VPP tokens".</summary>
        private protected abstract string Activity { get; }

        protected sealed override async Task ProcessRecordAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            bool piped = ParameterSetName == ByInputObjectSet;
            object target = piped ? InputObject : Id;
            if (VppTokenIdInputAttribute.Resolve(piped ? InputObject.Id : Id, target, out ErrorRecord? error) is not { } id)
            {
                await pipeline.WriteErrorAsync(error!).ConfigureAwait(false);
                return;
            }

            // A pipeline's progress shows from its second item on, so a single call draws nothing.
            if (_done > 0)
            {
                await pipeline.WriteProgressAsync(new ProgressRecord(ActivityId, Activity, $"{_done} done; now {id}") { PercentComplete = -1 }).ConfigureAwait(false);
            }

            try
            {
                await ProcessTokenAsync(pipeline, id, piped ? InputObject : null, target, cancellationToken).ConfigureAwait(false);
            }
            catch (GraphException ex)
            {
                await pipeline.WriteErrorAsync(ErrorRecords.FromGraph(ex, target)).ConfigureAwait(false);
            }

            _done++;
        }

        protected override Task EndProcessingAsync(AsyncPipeline pipeline, CancellationToken cancellationToken) =>
            _done > 1
                ? pipeline.WriteProgressAsync(new ProgressRecord(ActivityId, Activity, $"{_done} done") { RecordType = ProgressRecordType.Completed })
                : Task.CompletedTask;

        /// <summary>Acts on one token. Graph failures become the item's error record; other problems are the cmdlet's to report.</summary>
        private protected abstract Task ProcessTokenAsync(AsyncPipeline pipeline, string id, VppToken? input, object target, CancellationToken cancellationToken);

        /// <summary>"VPP token {id} (organization)" for ShouldProcess and messages.</summary>
        private protected static string Describe(string id, VppToken? token) =>
            token?.OrganizationName is { } organization ? $"VPP token {id} ({organization})" : $"VPP token {id}";

        /// <summary>
        /// The token as -WhatIf and -Confirm will name it. A token given by id alone is read first when they are going
        /// to show it (not otherwise: a plain run sends nothing more), so that the organization is there to check
        /// before a delete. A token that cannot be read is that item's error, as its action would have been.
        /// </summary>
        private protected async Task<(string Description, VppToken? Token)> DescribeForShouldProcessAsync(
            AsyncPipeline pipeline, string id, VppToken? input, bool force, CancellationToken cancellationToken)
        {
            if (input is null && await ShouldProcessWillShowAsync(pipeline, force).ConfigureAwait(false))
            {
                input = await ActiveConnection.Client.VppTokens.GetAsync(id, Log, cancellationToken).ConfigureAwait(false);
            }

            return (Describe(id, input), input);
        }

        /// <summary>Whether ShouldProcess is going to describe the action: -WhatIf, or a confirmation -Force does not skip.</summary>
        private async Task<bool> ShouldProcessWillShowAsync(AsyncPipeline pipeline, bool force)
        {
            if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? whatIf)
                ? whatIf is SwitchParameter { IsPresent: true }
                : LanguagePrimitives.IsTrue(await pipeline.GetVariableValueAsync("WhatIfPreference").ConfigureAwait(false)))
            {
                return true;
            }

            if (force)
            {
                return false;
            }

            if (MyInvocation.BoundParameters.TryGetValue("Confirm", out object? confirm))
            {
                return confirm is SwitchParameter { IsPresent: true };
            }

            // PowerShell asks when the cmdlet's impact reaches $ConfirmPreference (None never asks).
            object? preference = await pipeline.GetVariableValueAsync("ConfirmPreference").ConfigureAwait(false);
            ConfirmImpact threshold = preference is PSObject wrapped ? ToImpact(wrapped.BaseObject) : ToImpact(preference);
            return threshold != ConfirmImpact.None && Impacts.GetOrAdd(GetType(), ImpactOf) >= threshold;
        }

        private static ConfirmImpact ImpactOf(Type cmdletType) =>
            ((CmdletAttribute)Attribute.GetCustomAttribute(cmdletType, typeof(CmdletAttribute))!).ConfirmImpact;

        private static ConfirmImpact ToImpact(object? preference) =>
            preference is ConfirmImpact impact ? impact
            : preference is string text && Enum.TryParse(text, true, out ConfirmImpact parsed) ? parsed
            : ConfirmImpact.High;


        private int ActivityId => GetType().Name.GetHashCode() & 0x7fffffff;

        /// <summary>Whether to act: -Force skips the confirmation a High impact asks for, while -WhatIf still only tells.</summary>
        private protected Task<bool> ShouldActAsync(AsyncPipeline pipeline, bool force, string target, string action) =>
            force && !MyInvocation.BoundParameters.ContainsKey("WhatIf") && !MyInvocation.BoundParameters.ContainsKey("Confirm")
                ? Task.FromResult(true)
                : pipeline.ShouldProcessAsync(target, action);
    }
}
