using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Fleet;
using IntuneVpp.Client.Graph;
using IntuneVpp.Connections;

namespace IntuneVpp.Commands.Fleet
{
    /// <summary>
    /// A cmdlet over many tenants at once: -Connection takes several connections (the current one by default), each
    /// tenant's list is read once, a few tenants at a time, and each connection keeps its own write pacing.
    /// </summary>
    public abstract class FleetCmdlet : AsyncPSCmdlet
    {
        private readonly Dictionary<Uri, GraphCaller> _callers = new();
        private List<IntuneVppConnection> _connections = new();
        private PipelineGraphLog? _log;

        /// <summary>The connections to use, one per tenant (from Connect-IntuneVpp -PassThru); the session's current one by default.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public IntuneVppConnection[]? Connection { get; set; }

        private protected IReadOnlyList<IntuneVppConnection> Connections => _connections;

        /// <summary>What the progress bar calls reading the tenants.</summary>
        private protected abstract string ReadActivity { get; }

        protected override async Task BeginProcessingAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            var resolved = new List<IntuneVppConnection>();
            foreach (IntuneVppConnection? given in Connection ?? new IntuneVppConnection?[] { null })
            {
                resolved.Add(await ConnectionResolver.ResolveAsync(pipeline, given).ConfigureAwait(false));
            }

            _connections = Distinct(resolved);
            _log = new PipelineGraphLog(pipeline);
        }

        /// <summary>
        /// The log for one connection's requests. Connections to one Graph endpoint share what they learn about an
        /// outage, so that Graph out of reach fails every tenant at once instead of costing each its own retries.
        /// </summary>
        private protected IGraphLog LogFor(IntuneVppConnection connection)
        {
            lock (_callers)
            {
                if (!_callers.TryGetValue(connection.GraphEndpoint, out GraphCaller? caller))
                {
                    caller = new GraphCaller(_log!, _log);
                    _callers[connection.GraphEndpoint] = caller;
                }

                return caller;
            }
        }

        /// <summary>Every tenant's whole list, a few tenants at a time, in the order of the connections; with a progress bar for more than one.</summary>
        private protected async Task<IReadOnlyList<TenantTokens>> ReadTenantsAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            var progress = new CountedProgress(pipeline, (GetType().Name + "Read").GetHashCode() & 0x7fffffff, ReadActivity, _connections.Count, "tenants read");
            IReadOnlyList<TenantTokens> tenants = await GraphConcurrency.ForEachAsync(_connections, FleetListing.ConcurrentTenants, async (connection, token) =>
            {
                TenantTokens read = await FleetListing.ReadAsync(connection.Client.VppTokens, connection.TenantId, connection.ApiVersion, LogFor(connection), token).ConfigureAwait(false);
                await progress.StepAsync().ConfigureAwait(false);
                return read;
            }, cancellationToken).ConfigureAwait(false);

            await progress.CompleteAsync().ConfigureAwait(false);
            return tenants;
        }

        /// <summary>
        /// One connection per tenant: the same object twice, or two connections to one tenant, would list its tokens
        /// twice and make every file for it look ambiguous. A beta connection is kept over a v1.0 one: it knows locations.
        /// </summary>
        private static List<IntuneVppConnection> Distinct(List<IntuneVppConnection> connections)
        {
            var kept = new List<IntuneVppConnection>();
            foreach (IntuneVppConnection connection in connections)
            {
                int same = kept.FindIndex(k => k.Id == connection.Id ||
                                               (k.TenantId is not null && string.Equals(k.TenantId, connection.TenantId, StringComparison.OrdinalIgnoreCase) && k.GraphEndpoint == connection.GraphEndpoint));
                if (same < 0)
                {
                    kept.Add(connection);
                }
                else if (kept[same].ApiVersion != GraphApiVersion.Beta && connection.ApiVersion == GraphApiVersion.Beta)
                {
                    kept[same] = connection;
                }
            }

            return kept;
        }
    }
}
