using System;
using System.Management.Automation;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Http;

namespace IntuneVpp.Commands
{
    /// <summary>
    /// The client layer's log, written to the cmdlet's streams through its <see cref="AsyncPipeline"/>, which knows
    /// whether anyone sees its verbose and debug lines: when nobody does, the client skips making them. Waits between
    /// tries longer than a moment show as a progress bar counting down, so a long Retry-After is not a blank screen.
    /// </summary>
    internal sealed class PipelineGraphLog : IGraphLog, IRetryWaitObserver
    {
        private const string WaitActivity = "Waiting for Graph";
        private static readonly TimeSpan ShowWaitsFrom = TimeSpan.FromSeconds(2);

        private readonly AsyncPipeline _pipeline;

        public PipelineGraphLog(AsyncPipeline pipeline) => _pipeline = pipeline;

        // Not awaited: the client logs as it goes, and the lines are written in order on the pipeline thread.
        public bool IsVerboseEnabled => _pipeline.ShowsVerbose;

        public bool IsDebugEnabled => _pipeline.ShowsDebug;

        public void Verbose(string message) => _ = _pipeline.WriteVerboseAsync(message);

        public void Debug(string message) => _ = _pipeline.WriteDebugAsync(message);

        public void Warning(string message) => _ = _pipeline.WriteWarningAsync(message);

        public void Waiting(RetryWait wait)
        {
            if (wait.Duration <= ShowWaitsFrom)
            {
                return;
            }

            // Waits of requests in flight together (Sync -Wait) each get a bar of their own.
            var record = new ProgressRecord(0x40000000 | (wait.Id & 0x3fffffff), WaitActivity, wait.ToString());
            if (wait.IsOver)
            {
                record.RecordType = ProgressRecordType.Completed;
            }
            else
            {
                record.SecondsRemaining = (int)Math.Ceiling(wait.Remaining.TotalSeconds);
                record.PercentComplete = (int)Math.Min(99, 100 * (1 - (wait.Remaining.TotalMilliseconds / wait.Duration.TotalMilliseconds)));
            }

            _ = _pipeline.WriteProgressAsync(record);
        }
    }
}
