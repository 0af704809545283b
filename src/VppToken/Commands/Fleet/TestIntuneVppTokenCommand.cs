using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Client.Fleet;
using IntuneVpp.Commands.Binding;
using IntuneVpp.Completion;
using IntuneVpp.Errors;

namespace IntuneVpp.Commands.Fleet
{
    /// <summary>
    /// Checks every token of every tenant given (HealthEvaluator): expiry against two windows, state, license sync.
    /// One record per token; a tenant that cannot be read is a Critical record of its own, never a gap.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "IntuneVppToken")]
    [OutputType(typeof(VppTokenHealth), typeof(bool))]
    public sealed class TestIntuneVppTokenCommand : FleetCmdlet
    {
        private readonly List<string> _ids = new();
        private bool _badInput;
        private HealthThresholds _thresholds = new();

        #region Parameters

        /// <summary>Only these tokens; every token of every tenant by default.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("VppTokenId")]
        [VppTokenIdInput]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(VppTokenIdCompleter))]
        public string[]? Id { get; set; }

        /// <summary>A token that expires within this many days is a Warning.</summary>
        [Parameter]
        [ValidateRange(0, 3650)]
        public int WarningDays { get; set; } = 30;

        /// <summary>A token that expires within this many days is Critical.</summary>
        [Parameter]
        [ValidateRange(0, 3650)]
        public int CriticalDays { get; set; } = 7;

        /// <summary>A token with no sync for more than this many days is a Warning.</summary>
        [Parameter]
        [ValidateRange(0, 3650)]
        public int StaleSyncDays { get; set; } = 7;

        /// <summary>Writes one $true when every token is Healthy, else $false, instead of the records.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        #endregion

        private protected override string ReadActivity => "Reading VPP tokens to check them";

        protected override async Task BeginProcessingAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            if (CriticalDays > WarningDays)
            {
                throw new TerminatingErrorException(ErrorRecords.HealthWindowsConflict(WarningDays, CriticalDays));
            }

            _thresholds = new HealthThresholds(WarningDays, CriticalDays, StaleSyncDays);
            await base.BeginProcessingAsync(pipeline, cancellationToken).ConfigureAwait(false);
        }

        protected override async Task ProcessRecordAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            foreach (string id in Id ?? Array.Empty<string>())
            {
                if (VppTokenIdInputAttribute.Resolve(id, id, out ErrorRecord? error) is not { } normalized)
                {
                    _badInput = true;
                    await pipeline.WriteErrorAsync(error!).ConfigureAwait(false);
                    continue;
                }

                if (!_ids.Contains(normalized, StringComparer.OrdinalIgnoreCase))
                {
                    _ids.Add(normalized);
                }
            }
        }

        protected override async Task EndProcessingAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            // Ids were asked for and none was usable: there is nothing to check, and listing everything would answer another question.
            if (_badInput && _ids.Count == 0)
            {
                if (Quiet)
                {
                    await pipeline.WriteObjectAsync(false).ConfigureAwait(false);
                }

                return;
            }

            IReadOnlyList<TenantTokens> tenants = await ReadTenantsAsync(pipeline, cancellationToken).ConfigureAwait(false);
            DateTimeOffset now = DateTimeOffset.UtcNow;
            var records = new List<VppTokenHealth>();
            var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (TenantTokens tenant in tenants)
            {
                if (tenant.Error is { } error)
                {
                    records.Add(HealthEvaluator.Unreadable(tenant.TenantId, ErrorRecords.GraphText(error) + (error.Hint is { } hint ? " " + hint : string.Empty)));
                    continue;
                }

                foreach (VppToken token in tenant.Tokens)
                {
                    if (_ids.Count == 0 || _ids.Contains(token.Id, StringComparer.OrdinalIgnoreCase))
                    {
                        found.Add(token.Id);
                        records.Add(HealthEvaluator.Evaluate(tenant.TenantId, token, _thresholds, now));
                    }
                }
            }

            string? onlyTenant = tenants.Count == 1 ? tenants[0].TenantId : null;
            records.AddRange(_ids.Where(id => !found.Contains(id)).Select(id => HealthEvaluator.NotFound(onlyTenant, id, tenants.Count)));

            if (Quiet)
            {
                await pipeline.WriteObjectAsync(!_badInput && records.All(record => record.Status == VppTokenHealthStatus.Healthy)).ConfigureAwait(false);
                return;
            }

            foreach (VppTokenHealth record in records)
            {
                await pipeline.WriteObjectAsync(record).ConfigureAwait(false);
            }
        }
    }
}
