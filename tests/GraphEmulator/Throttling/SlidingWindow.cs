using System;
using System.Collections.Concurrent;
using System.Collections.Generic;

namespace GraphEmulator.Throttling;

/// <summary>
/// Counts admitted requests per key over a sliding window; when full, says how long until the oldest one leaves.
/// One lock per key, so tenants and apps never contend with each other.
/// </summary>
internal sealed class SlidingWindow(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Queue<long>> _windows = new(StringComparer.Ordinal);

    /// <returns>null when admitted; otherwise the wait until a slot frees up.</returns>
    public TimeSpan? TryAdmit(string key, int limit, TimeSpan window)
    {
        long now = clock.GetTimestamp();
        long span = (long)(window.TotalSeconds * clock.TimestampFrequency);
        Queue<long> admitted = _windows.GetOrAdd(key, _ => new Queue<long>());
        lock (admitted)
        {
            while (admitted.Count > 0 && now - admitted.Peek() >= span)
            {
                admitted.Dequeue();
            }

            if (admitted.Count < limit)
            {
                admitted.Enqueue(now);
                return null;
            }

            long waitTicks = admitted.Peek() + span - now;
            return TimeSpan.FromSeconds((double)waitTicks / clock.TimestampFrequency);
        }
    }

    public void Clear() => _windows.Clear();
}
