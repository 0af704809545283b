using System;
using System.Management.Automation;
using IntuneVpp.Connections;

namespace IntuneVpp.Commands.Connection
{
    /// <summary>
    /// The connection the cmdlets would use now: tenant, account or app, sign-in kind, cloud, endpoint, token expiry,
    /// permissions. Without a connection of VppToken's own, that is the Connect-MgGraph session, borrowed as the cmdlets
    /// would borrow it (and kept for them).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "IntuneVppContext")]
    [OutputType(typeof(IntuneVppConnection))]
    public sealed class GetIntuneVppContextCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            if (ConnectionRegistry.Current is { IsDisconnected: false } connection)
            {
                WriteObject(connection);
                return;
            }

            try
            {
                if (MgGraphSession.Borrow(this) is { } borrowed)
                {
                    WriteObject(borrowed);
                }
            }
            catch (Exception ex) when (ex is RuntimeException or InvalidOperationException)
            {
                WriteError(Errors.ErrorRecords.MgGraphSessionFailed(ex));
            }
        }
    }
}
