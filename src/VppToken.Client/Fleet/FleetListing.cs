using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Graph;

namespace IntuneVpp.Client.Fleet
{
    /// <summary>What the fleet cmdlets share: each tenant's whole token list read once, several tenants at a time.</summary>
    public static class FleetListing
    {
        /// <summary>
        /// Tenants read at once. Each tenant paces its own writes; this bounds the reads and answers in flight, so that
        /// a run over a hundred tenants neither opens a hundred connections nor waits for them one by one.
        /// </summary>
        public const int ConcurrentTenants = 4;

        /// <summary>Every page of a tenant's list; a Graph failure comes back as an unreadable tenant, not an exception.</summary>
        public static async Task<TenantTokens> ReadAsync(VppTokenService service, string? tenantId, string apiVersion, IGraphLog log, CancellationToken cancellationToken)
        {
            try
            {
                return TenantTokens.Read(tenantId, apiVersion, await service.ListAllAsync(null, log, cancellationToken).ConfigureAwait(false));
            }
            catch (GraphException ex)
            {
                return TenantTokens.Unreadable(tenantId, apiVersion, ex);
            }
        }
    }
}
