using System;

namespace IntuneVpp.Client.Http
{
    /// <summary>How hard a connection tries before it gives up, and how it paces its writes.</summary>
    public sealed class RetrySettings
    {
        /// <summary>Retries after the first try. Graph's own SDK stops at 3, which throttled runbooks outlast.</summary>
        public int MaxRetries { get; set; } = 5;

        /// <summary>The most time spent waiting between tries of one request, Retry-After waits included.</summary>
        public TimeSpan MaxTotalWait { get; set; } = TimeSpan.FromMinutes(5);

        /// <summary>How long one try may take to answer. Separate from the waits, so a long Retry-After is honoured.</summary>
        public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(100);

        /// <summary>First wait of the exponential backoff used when the server gives no Retry-After.</summary>
        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>Longest single backoff wait when the server gives no Retry-After.</summary>
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(32);

        /// <summary>Writes allowed per <see cref="WriteWindow"/>; Intune allows 100 per 20 s per app and tenant. 0 turns pacing off.</summary>
        public int WriteLimit { get; set; } = 100;

        public TimeSpan WriteWindow { get; set; } = TimeSpan.FromSeconds(20);

        /// <summary>
        /// After a request found Graph out of reach, how long the same caller's requests fail at once, unsent, before
        /// one is sent (a single try) to see whether Graph can be reached again.
        /// </summary>
        public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(30);

        public RetrySettings Clone() => (RetrySettings)MemberwiseClone();
    }
}
