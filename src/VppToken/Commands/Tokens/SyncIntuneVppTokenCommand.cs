using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Errors;

namespace IntuneVpp.Commands.Tokens
{
    /// <summary>
    /// Starts a license sync with Apple for VPP tokens (syncLicenses). With -Wait, follows each sync until it completes
    /// or fails, with a progress bar, and writes the final token.
    /// </summary>
    [Cmdlet(VerbsData.Sync, "IntuneVppToken", DefaultParameterSetName = "ByInputObject", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(VppToken))]
    public sealed class SyncIntuneVppTokenCommand : VppTokenItemCmdlet
    {
        /// <summary>Waits until the sync is completed or failed and writes the final token.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>How long -Wait waits for one token before giving up.</summary>
        [Parameter]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

        /// <summary>How often -Wait reads the token's sync status.</summary>
        [Parameter]
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

        private protected override string Activity => "Syncing VPP token licenses";

        protected override void BeginProcessing()
        {
            ParameterRules.RequireSwitch(
                this,
                nameof(Wait),
                Wait,
                new[] { nameof(Timeout), nameof(PollInterval) },
                "Sync-IntuneVppToken then returns as soon as each sync has started. Add -Wait to follow the syncs, or leave it out.");
            if (Timeout <= TimeSpan.Zero || PollInterval <= TimeSpan.Zero)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument("InvalidWaitSetting", "-Timeout and -PollInterval must be positive.", null));
            }

            base.BeginProcessing();
        }

        private protected override async Task ProcessTokenAsync(string id, VppToken? input, object target, CancellationToken cancellationToken)
        {
            if (!await ShouldProcessAsync((await DescribeForShouldProcessAsync(id, input, false, cancellationToken).ConfigureAwait(false)).Description, "Sync licenses with Apple").ConfigureAwait(false))
            {
                return;
            }

            VppToken? token = await ActiveConnection.Client.VppTokens.SyncLicensesAsync(id, Log, cancellationToken).ConfigureAwait(false);
            if (!Wait)
            {
                QueueObject(token ?? await ActiveConnection.Client.VppTokens.GetAfterSyncAsync(id, Log, cancellationToken).ConfigureAwait(false));
                return;
            }

            int activityId = id.GetHashCode() & 0x7fffffff;
            Stopwatch waited = Stopwatch.StartNew();
            while (true)
            {
                token = await ActiveConnection.Client.VppTokens.GetAsync(id, Log, cancellationToken).ConfigureAwait(false);
                string status = token.LastSyncStatus ?? "unknown";
                if (string.Equals(status, "completed", StringComparison.OrdinalIgnoreCase) || string.Equals(status, "failed", StringComparison.OrdinalIgnoreCase))
                {
                    QueueProgress(new ProgressRecord(activityId, $"Syncing licenses of {Describe(id, token)}", status) { RecordType = ProgressRecordType.Completed });
                    if (string.Equals(status, "failed", StringComparison.OrdinalIgnoreCase))
                    {
                        QueueWarning($"The license sync of {Describe(id, token)} failed; check the token in Intune and in Apple Business Manager or Apple School Manager.");
                    }

                    QueueObject(token);
                    return;
                }

                if (waited.Elapsed >= Timeout)
                {
                    QueueProgress(new ProgressRecord(activityId, $"Syncing licenses of {Describe(id, token)}", status) { RecordType = ProgressRecordType.Completed });
                    QueueError(new ErrorRecord(
                        new TimeoutException($"The license sync of {Describe(id, token)} was still '{status}' after {Timeout}; it goes on in Intune. Check again later with Get-IntuneVppToken -Id {id}."),
                        "SyncTimedOut",
                        ErrorCategory.OperationTimeout,
                        target));
                    return;
                }

                QueueProgress(new ProgressRecord(activityId, $"Syncing licenses of {Describe(id, token)}", $"{status}, {waited.Elapsed:mm\\:ss} elapsed")
                {
                    PercentComplete = (int)Math.Min(99, 100 * waited.Elapsed.TotalMilliseconds / Timeout.TotalMilliseconds),
                });
                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
