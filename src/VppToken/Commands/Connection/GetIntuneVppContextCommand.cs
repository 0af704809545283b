using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
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
    public sealed class GetIntuneVppContextCommand : AsyncPSCmdlet
    {
        protected override async Task EndProcessingAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            if (ConnectionRegistry.For(pipeline.Runspace) is { IsDisconnected: false } connection)
            {
                await pipeline.WriteObjectAsync(connection).ConfigureAwait(false);
                return;
            }

            try
            {
                if (await MgGraphSession.BorrowAsync(pipeline).ConfigureAwait(false) is { } borrowed)
                {
                    await pipeline.WriteObjectAsync(borrowed).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is RuntimeException or InvalidOperationException)
            {
                await pipeline.WriteErrorAsync(Errors.ErrorRecords.MgGraphSessionFailed(ex)).ConfigureAwait(false);
            }
        }
    }
}
