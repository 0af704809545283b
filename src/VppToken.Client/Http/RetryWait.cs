using System;
using System.Globalization;
using System.Threading;

namespace IntuneVpp.Client.Http
{
    /// <summary>
    /// A wait between two tries of one request, as the retry policy does it: why, how long, how much is left, and
    /// which try comes next. A caller told of it can show it (a progress bar with a countdown).
    /// </summary>
    public sealed class RetryWait
    {
        private static int _lastId;

        internal RetryWait(string reason, string request, TimeSpan duration, int nextAttempt, int maxAttempts)
            : this(Interlocked.Increment(ref _lastId), reason, request, duration, duration, nextAttempt, maxAttempts)
        {
        }

        private RetryWait(int id, string reason, string request, TimeSpan duration, TimeSpan remaining, int nextAttempt, int maxAttempts)
        {
            Id = id;
            Reason = reason;
            Request = request;
            Duration = duration;
            Remaining = remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
            NextAttempt = nextAttempt;
            MaxAttempts = maxAttempts;
        }

        /// <summary>The same for every report of one wait, and different for every wait in the process.</summary>
        public int Id { get; }

        /// <summary>Why it waits, in a person's words: "Graph is throttling".</summary>
        public string Reason { get; }

        /// <summary>The request that waits, as method and path.</summary>
        public string Request { get; }

        public TimeSpan Duration { get; }

        public TimeSpan Remaining { get; }

        /// <summary>The try that follows the wait, counting the first; at most <see cref="MaxAttempts"/>.</summary>
        public int NextAttempt { get; }

        public int MaxAttempts { get; }

        /// <summary>True on the last report of a wait: it is over (or was cut short by a stop).</summary>
        public bool IsOver => Remaining == TimeSpan.Zero;

        /// <summary>"Graph is throttling: waiting 60 s, attempt 2 of 6", the seconds counting down.</summary>
        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "{0}: waiting {1} s, attempt {2} of {3}",
                Reason, (long)Math.Ceiling(Remaining.TotalSeconds), NextAttempt, MaxAttempts);

        internal RetryWait At(TimeSpan remaining) => new(Id, Reason, Request, Duration, remaining, NextAttempt, MaxAttempts);
    }

    /// <summary>
    /// Told of each wait between tries when it starts, about once a second while it lasts, and once more when it is
    /// over. Called from whatever thread the request runs on; it must not block or throw.
    /// </summary>
    public interface IRetryWaitObserver
    {
        void Waiting(RetryWait wait);
    }
}
