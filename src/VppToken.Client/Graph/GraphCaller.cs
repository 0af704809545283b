using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Http;

namespace IntuneVpp.Client.Graph
{
    /// <summary>
    /// One caller's run of requests, such as one cmdlet invocation over a pipeline: where its requests log, who is
    /// told of their waits between tries, and what they learn together about Graph being out of reach (so that an
    /// outage fails the rest at once instead of costing each its own retries). Pass it wherever an
    /// <see cref="IGraphLog"/> is asked for; a plain log makes every request stand alone.
    /// </summary>
    public sealed class GraphCaller : IGraphLog
    {
        private readonly IGraphLog _log;

        public GraphCaller(IGraphLog log, IRetryWaitObserver? waits = null)
        {
            _log = log;
            Waits = waits;
        }

        public IRetryWaitObserver? Waits { get; }

        internal Reachability Reachability { get; } = new();

        public bool IsVerboseEnabled => _log.IsVerboseEnabled;

        public bool IsDebugEnabled => _log.IsDebugEnabled;

        public void Verbose(string message) => _log.Verbose(message);

        public void Debug(string message) => _log.Debug(message);

        public void Warning(string message) => _log.Warning(message);
    }
}
