using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Client.Graph;
using IntuneVpp.Errors;

namespace IntuneVpp.Commands.Tokens
{
    /// <summary>
    /// Changes properties of VPP tokens (PATCH). The tokens come from -Id or the pipeline; the values come from
    /// parameters, and only the parameters given are sent.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "IntuneVppToken", DefaultParameterSetName = ByIdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(VppToken))]
    public sealed class SetIntuneVppTokenCommand : GraphCmdlet
    {
        private const string ByIdSet = "ById";
        private const string ByInputObjectSet = "ByInputObject";

        private VppTokenChanges _changes = new();

        #region Parameters

        /// <summary>The id of the token to change.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("VppTokenId")]
        [ValidateNotNullOrEmpty]
        public string Id { get; set; } = string.Empty;

        /// <summary>A token from Get-IntuneVppToken.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByInputObjectSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public VppToken InputObject { get; set; } = null!;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? OrganizationName { get; set; }

        [Parameter]
        [ValidateSet("business", "education")]
        public string? VppTokenAccountType { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? AppleId { get; set; }

        [Parameter]
        public DateTimeOffset ExpirationDateTime { get; set; }

        [Parameter]
        public DateTimeOffset LastSyncDateTime { get; set; }

        /// <summary>The Apple VPP token content (the .vpptoken file's text).</summary>
        [Parameter]
        [ValidateNotNull]
        public SecureString? Token { get; set; }

        [Parameter]
        [ValidateSet("unknown", "valid", "expired", "invalid", "assignedToExternalMDM")]
        public string? State { get; set; }

        [Parameter]
        [ValidateSet("none", "inProgress", "completed", "failed")]
        public string? LastSyncStatus { get; set; }

        /// <summary>Whether apps are updated automatically. A [bool]: -AutomaticallyUpdateApps $false sends false.</summary>
        [Parameter]
        public bool AutomaticallyUpdateApps { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CountryOrRegion { get; set; }

        /// <summary>Writes the updated token.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        #endregion

        protected override void BeginProcessing()
        {
            _changes = ChangesFromParameters();
            if (_changes.IsEmpty)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument(
                    "NothingToChange",
                    "Nothing to change: give at least one property to set, such as -CountryOrRegion or -AutomaticallyUpdateApps.",
                    null));
            }

            base.BeginProcessing();
        }

        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            object target = ParameterSetName == ByInputObjectSet ? InputObject : Id;
            string rawId = ParameterSetName == ByInputObjectSet ? InputObject.Id : Id;
            string? id = VppTokenId.Normalize(rawId, out string? problem);
            if (id is null)
            {
                QueueError(ErrorRecords.InvalidArgument("InvalidVppTokenId", problem!, target));
                return;
            }

            string description = ParameterSetName == ByInputObjectSet && InputObject.OrganizationName is { } organization
                ? $"VPP token {id} ({organization})"
                : $"VPP token {id}";
            if (!await ShouldProcessAsync(description, "Set " + string.Join(", ", ChangedNames())).ConfigureAwait(false))
            {
                return;
            }

            try
            {
                VppToken? updated = await ActiveConnection.Client.VppTokens.UpdateAsync(id, _changes, Log, cancellationToken).ConfigureAwait(false);
                if (PassThru)
                {
                    if (updated is null)
                    {
                        Log.Verbose("Graph answered without the token; reading it back for -PassThru.");
                        updated = await ActiveConnection.Client.VppTokens.GetAsync(id, Log, cancellationToken).ConfigureAwait(false);
                    }

                    QueueObject(updated);
                }
            }
            catch (GraphException ex)
            {
                QueueError(ErrorRecords.FromGraph(ex, target));
            }
        }

        private VppTokenChanges ChangesFromParameters()
        {
            var bound = MyInvocation.BoundParameters;
            return new VppTokenChanges
            {
                OrganizationName = OrganizationName,
                VppTokenAccountType = VppTokenValues.Canonical(VppTokenValues.AccountTypes, VppTokenAccountType),
                AppleId = AppleId,
                ExpirationDateTime = bound.ContainsKey(nameof(ExpirationDateTime)) ? ExpirationDateTime : null,
                LastSyncDateTime = bound.ContainsKey(nameof(LastSyncDateTime)) ? LastSyncDateTime : null,
                Token = Token,
                State = VppTokenValues.Canonical(VppTokenValues.States, State),
                LastSyncStatus = VppTokenValues.Canonical(VppTokenValues.SyncStatuses, LastSyncStatus),
                AutomaticallyUpdateApps = bound.ContainsKey(nameof(AutomaticallyUpdateApps)) ? AutomaticallyUpdateApps : null,
                CountryOrRegion = CountryOrRegion,
            };
        }

        private IEnumerable<string> ChangedNames()
        {
            string[] valueParameters =
            {
                nameof(OrganizationName), nameof(VppTokenAccountType), nameof(AppleId), nameof(ExpirationDateTime),
                nameof(LastSyncDateTime), nameof(Token), nameof(State), nameof(LastSyncStatus),
                nameof(AutomaticallyUpdateApps), nameof(CountryOrRegion),
            };
            return valueParameters.Where(MyInvocation.BoundParameters.ContainsKey);
        }
    }
}
