using System;

namespace IntuneVpp.Client.Http
{
    /// <summary>
    /// What one caller's requests have learnt about Graph being out of reach. Once a request has spent all its tries
    /// without reaching Graph at all (connection refused, name not resolved, TLS failed), the caller's next requests
    /// are not sent: they fail at once, each with its own error. After <see cref="RetrySettings.ProbeInterval"/> one
    /// request is let through as a probe, with a single try; when Graph answers it (any status), everything goes on
    /// as usual, and when it fails, the interval starts again. So an outage costs one retry budget, not one per item.
    /// </summary>
    internal sealed class Reachability
    {
        private readonly object _gate = new();
        private Outage? _outage;
        private bool _probing;

        /// <summary>Whether a request may go: null to send it as usual, else why not; <paramref name="probe"/> marks the probe.</summary>
        public Outage? Admit(TimeSpan probeInterval, DateTimeOffset now, out bool probe)
        {
            lock (_gate)
            {
                probe = false;
                if (_outage is null)
                {
                    return null;
                }

                if (!_probing && now - _outage.LastTried >= probeInterval)
                {
                    _probing = true;
                    probe = true;
                    return null;
                }

                return _outage;
            }
        }

        /// <summary>Graph answered a request (whatever the status): it can be reached.</summary>
        public void Answered()
        {
            lock (_gate)
            {
                _outage = null;
                _probing = false;
            }
        }

        /// <summary>A request ended without an answer; only a connection-level failure (or a failed probe) marks an outage.</summary>
        public void Failed(bool probe, bool connectionLevel, string cause, int attempts, DateTimeOffset now)
        {
            lock (_gate)
            {
                if (probe)
                {
                    _probing = false;
                }

                if (connectionLevel || (probe && _outage is not null))
                {
                    _outage = new Outage(cause, attempts + (_outage?.Attempts ?? 0), now);
                }
            }
        }

        /// <summary>A probe that ended some other way (a stop): the next request may probe.</summary>
        public void ProbeAbandoned()
        {
            lock (_gate)
            {
                _probing = false;
            }
        }
    }

    /// <summary>Graph found out of reach: the last cause, the tries spent on it, and when it was last tried.</summary>
    internal sealed class Outage
    {
        public Outage(string cause, int attempts, DateTimeOffset lastTried)
        {
            Cause = cause;
            Attempts = attempts;
            LastTried = lastTried;
        }

        public string Cause { get; }

        public int Attempts { get; }

        public DateTimeOffset LastTried { get; }
    }
}
