using System;
using System.Management.Automation;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Graph;
using IntuneVpp.Client.Http;
using IntuneVpp.Connections;
using IntuneVpp.Errors;

namespace IntuneVpp.Commands
{
    /// <summary>
    /// A cmdlet that talks to Graph. It resolves its connection once, on the pipeline thread, before any input:
    /// -Connection if given, else the runspace's current connection.
    /// </summary>
    public abstract class GraphCmdlet : AsyncPSCmdlet
    {
        private IntuneVppConnection? _connection;
        private IGraphLog? _log;

        /// <summary>The connection to use instead of the session's current one (from Connect-IntuneVpp -PassThru).</summary>
        [Parameter]
        [ValidateNotNull]
        public IntuneVppConnection? Connection { get; set; }

        private protected IntuneVppConnection ActiveConnection => _connection!;

        private protected IGraphLog Log => _log!;

        /// <summary>
        /// Whether the tokens written keep the Apple token Graph returned. It is a secret, and Export-Clixml on Linux
        /// and macOS stores a SecureString in a form anyone can decode, so only Get-IntuneVppToken -IncludeToken keeps it.
        /// </summary>
        private protected virtual bool KeepsAppleToken => false;

        private protected override object? PrepareOutput(object? value)
        {
            if (value is VppToken { Token: { } secret } token && !KeepsAppleToken)
            {
                token.Token = null;
                secret.Dispose();
            }

            return value;
        }

        protected override void BeginProcessing()
        {
            IntuneVppConnection? connection = Connection ?? ConnectionRegistry.Current;
            try
            {
                if (connection is null)
                {
                    // No connection of our own: use a Connect-MgGraph session when there is one.
                    connection = MgGraphSession.Borrow(this);
                }
                else
                {
                    MgGraphSession.RefreshIfDue(this, connection);
                }
            }
            catch (Exception ex) when (ex is RuntimeException or InvalidOperationException)
            {
                ThrowTerminatingError(ErrorRecords.MgGraphSessionFailed(ex));
            }

            if (connection is null || connection.IsDisconnected)
            {
                ThrowTerminatingError(ErrorRecords.NotConnected());
            }

            _connection = connection;
            var log = new CmdletGraphLog(this);
            // One caller per invocation: a pipeline's requests share what they learn about an outage.
            _log = new GraphCaller(log, log);
            base.BeginProcessing();
        }

        /// <summary>
        /// Queues every message: WriteVerbose and WriteDebug then honour the caller's own preference, which a binary
        /// module's cmdlet cannot read (GetVariableValue sees the module's scope, not the caller's). Waits between tries
        /// longer than a moment show as a progress bar counting down, so a long Retry-After is not a blank screen.
        /// </summary>
        private sealed class CmdletGraphLog : IGraphLog, IRetryWaitObserver
        {
            private const string WaitActivity = "Waiting for Graph";
            private static readonly TimeSpan ShowWaitsFrom = TimeSpan.FromSeconds(2);

            private readonly GraphCmdlet _cmdlet;

            public CmdletGraphLog(GraphCmdlet cmdlet) => _cmdlet = cmdlet;

            public void Verbose(string message) => _cmdlet.QueueVerbose(message);

            public void Debug(string message) => _cmdlet.QueueDebug(message);

            public void Warning(string message) => _cmdlet.QueueWarning(message);

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

                _cmdlet.QueueProgress(record);
            }
        }
    }
}
