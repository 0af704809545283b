using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
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

        protected override async Task BeginProcessingAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            _connection = await ConnectionResolver.ResolveAsync(pipeline, Connection).ConfigureAwait(false);
            var log = new PipelineGraphLog(pipeline);
            // One caller per invocation: a pipeline's requests share what they learn about an outage.
            _log = new GraphCaller(log, log);
        }

        /// <summary>Refuses, before anything is sent, a beta-only request on a v1.0 connection.</summary>
        private protected void RequireBeta(string what)
        {
            if (ActiveConnection.ApiVersion != GraphApiVersion.Beta)
            {
                throw new TerminatingErrorException(ErrorRecords.BetaRequired(what));
            }
        }
    }
}
