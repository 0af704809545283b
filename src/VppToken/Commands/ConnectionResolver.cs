using System;
using System.Management.Automation;
using System.Threading.Tasks;
using IntuneVpp.Connections;
using IntuneVpp.Errors;

namespace IntuneVpp.Commands
{
    /// <summary>The connection a cmdlet uses: the one it was given, else the runspace's current one, else a Connect-MgGraph session.</summary>
    internal static class ConnectionResolver
    {
        /// <summary>Resolves it on the pipeline's behalf; no usable connection ends the cmdlet with NotConnected.</summary>
        public static async Task<IntuneVppConnection> ResolveAsync(AsyncPipeline pipeline, IntuneVppConnection? given)
        {
            IntuneVppConnection? connection = given ?? ConnectionRegistry.For(pipeline.Runspace);
            try
            {
                if (connection is null)
                {
                    // No connection of our own: use a Connect-MgGraph session when there is one.
                    connection = await MgGraphSession.BorrowAsync(pipeline).ConfigureAwait(false);
                }
                else
                {
                    await MgGraphSession.RefreshIfDueAsync(pipeline, connection).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is RuntimeException or InvalidOperationException)
            {
                throw new TerminatingErrorException(ErrorRecords.MgGraphSessionFailed(ex));
            }

            if (connection is null || connection.IsDisconnected)
            {
                throw new TerminatingErrorException(ErrorRecords.NotConnected());
            }

            return connection;
        }
    }
}
