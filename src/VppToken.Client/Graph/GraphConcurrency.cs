using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace IntuneVpp.Client.Graph
{
    /// <summary>Requests in flight together, bounded: Sync -Wait's status reads, the fleet cmdlets' tenants.</summary>
    public static class GraphConcurrency
    {
        /// <summary>Runs <paramref name="work"/> on every item, at most <paramref name="limit"/> at a time; results in the items' order.</summary>
        public static async Task<IReadOnlyList<TResult>> ForEachAsync<TItem, TResult>(
            IEnumerable<TItem> items, int limit, Func<TItem, CancellationToken, Task<TResult>> work, CancellationToken cancellationToken)
        {
            if (limit < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(limit), limit, "At least one at a time.");
            }

            using var slots = new SemaphoreSlim(limit);
            async Task<TResult> RunAsync(TItem item)
            {
                await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    return await work(item, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    slots.Release();
                }
            }

            return await Task.WhenAll(items.Select(RunAsync).ToList()).ConfigureAwait(false);
        }
    }
}
