using System.Management.Automation;
using IntuneVpp.Connections;

namespace IntuneVpp.Commands.Connection
{
    /// <summary>The session's current connection: tenant, app, sign-in kind, cloud, endpoint, token expiry, permissions.</summary>
    [Cmdlet(VerbsCommon.Get, "IntuneVppContext")]
    [OutputType(typeof(IntuneVppConnection))]
    public sealed class GetIntuneVppContextCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            if (ConnectionRegistry.Current is { IsDisconnected: false } connection)
            {
                WriteObject(connection);
            }
        }
    }
}
