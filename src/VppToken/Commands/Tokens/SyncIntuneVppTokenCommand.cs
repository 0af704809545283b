using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Client.Graph;
using IntuneVpp.Commands.Parameters;
using IntuneVpp.Errors;

namespace IntuneVpp.Commands.Tokens
{
    /// <summary>
    /// Starts a license sync with Apple for VPP tokens (syncLicenses). With -Wait, starts every sync first, then follows
    /// them together until each completes or fails, with a progress bar, and writes each final token as it ends.
    /// </summary>
    [Cmdlet(VerbsData.Sync, "IntuneVppToken", DefaultParameterSetName = "ByInputObject", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(VppToken))]
    public sealed class SyncIntuneVppTokenCommand : VppTokenItemCmdlet
    {
        // Reads of sync status in flight at once: enough to follow many tokens together, few enough to stay well
        // under Graph's read limits.
        private const int ConcurrentReads = 8;

        private readonly List<StartedSync> _started = new();

        /// <summary>Waits until the sync is completed or failed and writes the final token.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>How long -Wait waits for one token before giving up. A number is seconds.</summary>
        [Parameter]
        [DurationTransformation]
        [ValidateDuration("00:00:01", "1.00:00:00")]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

        /// <summary>How often -Wait reads the token's sync status. A number is seconds.</summary>
        [Parameter]
        [DurationTransformation]
        [ValidateDuration("00:00:00.1", "01:00:00")]
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

        private protected override string Activity => "Syncing VPP token licenses";

        protected override async Task BeginProcessingAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            await ParameterRules.RequireSwitchAsync(
                pipeline,
                MyInvocation.BoundParameters,
                nameof(Wait),
                Wait,
                new[] { nameof(Timeout), nameof(PollInterval) },
                "Sync-IntuneVppToken then returns as soon as each sync has started. Add -Wait to follow the syncs, or leave it out.").ConfigureAwait(false);
            await base.BeginProcessingAsync(pipeline, cancellationToken).ConfigureAwait(false);
        }

        protected override async Task EndProcessingAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            await FollowAsync(pipeline, cancellationToken).ConfigureAwait(false);
            await base.EndProcessingAsync(pipeline, cancellationToken).ConfigureAwait(false);
        }

        private protected override async Task ProcessTokenAsync(AsyncPipeline pipeline, string id, VppToken? input, object target, CancellationToken cancellationToken)
        {
            if (!await pipeline.ShouldProcessAsync((await DescribeForShouldProcessAsync(pipeline, id, input, false, cancellationToken).ConfigureAwait(false)).Description, "Sync licenses with Apple").ConfigureAwait(false))
            {
                return;
            }

            VppToken? token = await ActiveConnection.Client.VppTokens.SyncLicensesAsync(id, Log, cancellationToken).ConfigureAwait(false);
            if (Wait)
            {
                // Followed at the end, together with every other sync this pipeline starts: one slow sync must not
                // hold back the start of the next.
                _started.Add(new StartedSync(id, target, Describe(id, token ?? input)));
                return;
            }

            await pipeline.WriteObjectAsync(token ?? await ActiveConnection.Client.VppTokens.GetAfterSyncAsync(id, Log, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        }

        /// <summary>
        /// Reads every started sync each -PollInterval until it has completed, failed or passed -Timeout, and writes
        /// each as it ends: the last result comes about when the slowest sync ends.
        /// </summary>
        private async Task FollowAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            var running = new List<StartedSync>(_started);
            while (running.Count > 0)
            {
                IReadOnlyList<(StartedSync Sync, VppToken? Token, GraphException? Error)> round = await GraphConcurrency.ForEachAsync(
                    running, ConcurrentReads, ReadAsync, cancellationToken).ConfigureAwait(false);
                foreach ((StartedSync sync, VppToken? token, GraphException? error) in round)
                {
                    if (await ReportAsync(pipeline, sync, token, error).ConfigureAwait(false))
                    {
                        running.Remove(sync);
                    }
                }

                if (running.Count > 0)
                {
                    // Never sleep past a deadline: a -Timeout shorter than -PollInterval still ends on time.
                    TimeSpan untilDeadline = running.Min(sync => Timeout - sync.Elapsed.Elapsed);
                    TimeSpan delay = untilDeadline < PollInterval ? untilDeadline : PollInterval;
                    await Task.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        private async Task<(StartedSync, VppToken?, GraphException?)> ReadAsync(StartedSync sync, CancellationToken cancellationToken)
        {
            try
            {
                return (sync, await ActiveConnection.Client.VppTokens.GetAsync(sync.Id, Log, cancellationToken).ConfigureAwait(false), null);
            }
            catch (GraphException ex)
            {
                return (sync, null, ex);
            }
        }

        /// <summary>Writes what one read says; true when that sync needs no more reads.</summary>
        private async Task<bool> ReportAsync(AsyncPipeline pipeline, StartedSync sync, VppToken? token, GraphException? error)
        {
            string activity = $"Syncing licenses of {sync.Description}";
            if (error is not null)
            {
                await pipeline.WriteProgressAsync(new ProgressRecord(sync.ActivityId, activity, "failed to read") { RecordType = ProgressRecordType.Completed }).ConfigureAwait(false);
                await pipeline.WriteErrorAsync(ErrorRecords.FromGraph(error, sync.Target)).ConfigureAwait(false);
                return true;
            }

            string status = token!.LastSyncStatus ?? "unknown";
            bool failed = string.Equals(status, "failed", StringComparison.OrdinalIgnoreCase);
            if (failed || string.Equals(status, "completed", StringComparison.OrdinalIgnoreCase))
            {
                await pipeline.WriteProgressAsync(new ProgressRecord(sync.ActivityId, activity, status) { RecordType = ProgressRecordType.Completed }).ConfigureAwait(false);
                if (failed)
                {
                    await pipeline.WriteWarningAsync($"The license sync of {Describe(sync.Id, token)} failed; check the token in Intune and in Apple Business Manager or Apple School Manager.").ConfigureAwait(false);
                }

                await pipeline.WriteObjectAsync(token).ConfigureAwait(false);
                return true;
            }

            TimeSpan elapsed = sync.Elapsed.Elapsed;
            if (elapsed >= Timeout)
            {
                await pipeline.WriteProgressAsync(new ProgressRecord(sync.ActivityId, activity, status) { RecordType = ProgressRecordType.Completed }).ConfigureAwait(false);
                await pipeline.WriteErrorAsync(ErrorRecords.Of(
                    "SyncTimedOut",
                    ErrorCategory.OperationTimeout,
                    $"The license sync of {Describe(sync.Id, token)} was still '{status}' after {Timeout}; it goes on in Intune. Check again later with Get-IntuneVppToken -Id {sync.Id}.",
                    sync.Target)).ConfigureAwait(false);
                return true;
            }

            await pipeline.WriteProgressAsync(new ProgressRecord(sync.ActivityId, activity, $"{status}, {elapsed:mm\\:ss} elapsed")
            {
                PercentComplete = (int)Math.Min(99, 100 * elapsed.TotalMilliseconds / Timeout.TotalMilliseconds),
            }).ConfigureAwait(false);
            return false;
        }

        /// <summary>A sync this pipeline started and -Wait follows; its -Timeout counts from its start.</summary>
        private sealed class StartedSync
        {
            public StartedSync(string id, object target, string description)
            {
                Id = id;
                Target = target;
                Description = description;
            }

            public string Id { get; }

            public object Target { get; }

            public string Description { get; }

            public Stopwatch Elapsed { get; } = Stopwatch.StartNew();

            public int ActivityId => Id.GetHashCode() & 0x7fffffff;
        }
    }
}
