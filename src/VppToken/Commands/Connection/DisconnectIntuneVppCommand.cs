using System.Management.Automation;
using IntuneVpp.Connections;

namespace IntuneVpp.Commands.Connection
{
    /// <summary>Forgets a connection and its tokens. Without -Connection, the session's current one.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "IntuneVpp")]
    [OutputType(typeof(void))]
    public sealed class DisconnectIntuneVppCommand : PSCmdlet
    {
        /// <summary>The connection to forget (from Connect-IntuneVpp -PassThru).</summary>
        [Parameter(ValueFromPipeline = true)]
        [ValidateNotNull]
        public IntuneVppConnection? Connection { get; set; }

        protected override void ProcessRecord()
        {
            IntuneVppConnection? current = ConnectionRegistry.Current;
            IntuneVppConnection? target = Connection ?? current;
            if (target is null)
            {
                WriteVerbose("No connection to disconnect.");
                return;
            }

            target.Disconnect();
            if (ReferenceEquals(target, current))
            {
                ConnectionRegistry.Current = null;
            }

            WriteVerbose($"Disconnected the {target}.");
        }
    }
}
