using System;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Core.Pipeline;

namespace IntuneVpp.Client.Http
{
    /// <summary>
    /// Keeps a connection's writes under Intune's per-app limit (a sliding window), so a long pipeline is paced instead
    /// of throttled into a retry storm. A slot is freed only when its answer has arrived: the server saw the request no
    /// later than that, so a slot reused a full window after it can never overlap the server's own window.
    /// </summary>
    internal sealed class WritePacer : HttpPipelinePolicy
    {
        private readonly object _gate = new();
        private readonly long[] _freedAt;
        private readonly long _windowTicks;
        private int _next;

        public WritePacer(int limit, TimeSpan window)
        {
            _freedAt = new long[limit];
            _windowTicks = window.Ticks;
            for (int i = 0; i < _freedAt.Length; i++)
            {
                _freedAt[i] = long.MinValue;
            }
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            GraphCall call = GraphCall.Of(message);
            if (!call.IsWrite)
            {
                await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
                return;
            }

            int slot = await TakeSlotAsync(call, message.CancellationToken).ConfigureAwait(false);
            try
            {
                await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
            }
            finally
            {
                lock (_gate)
                {
                    _freedAt[slot] = DateTimeOffset.UtcNow.UtcTicks;
                }
            }
        }

        private async Task<int> TakeSlotAsync(GraphCall call, CancellationToken cancellationToken)
        {
            bool told = false;
            while (true)
            {
                TimeSpan wait;
                lock (_gate)
                {
                    int candidate = _next;
                    long freedAt = _freedAt[candidate];
                    long now = DateTimeOffset.UtcNow.UtcTicks;
                    if (freedAt != long.MaxValue && (freedAt == long.MinValue || now - freedAt >= _windowTicks))
                    {
                        _freedAt[candidate] = long.MaxValue;
                        _next = (candidate + 1) % _freedAt.Length;
                        return candidate;
                    }

                    // The oldest slot is still in flight, or was freed less than a window ago.
                    wait = freedAt == long.MaxValue
                        ? TimeSpan.FromMilliseconds(20)
                        : TimeSpan.FromTicks(_windowTicks - (now - freedAt));
                }

                if (!told)
                {
                    call.Log.Verbose($"Pacing writes under the limit of {_freedAt.Length} per {TimeSpan.FromTicks(_windowTicks).TotalSeconds:0.###} s; waiting up to {wait.TotalSeconds:0.##} s.");
                    told = true;
                }

                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
