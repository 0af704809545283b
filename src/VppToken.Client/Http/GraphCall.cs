using System;
using Azure.Core;
using IntuneVpp.Client.Diagnostics;

namespace IntuneVpp.Client.Http
{
    /// <summary>What the pipeline's policies need to know about the request they carry.</summary>
    internal sealed class GraphCall
    {
        private const string PropertyName = "IntuneVpp.GraphCall";

        public GraphCall(IGraphLog log, bool isWrite, bool replayable)
        {
            Log = log;
            IsWrite = isWrite;
            Replayable = replayable;
        }

        public IGraphLog Log { get; }

        /// <summary>Counts against Intune's write limit (POST, PATCH, DELETE and actions).</summary>
        public bool IsWrite { get; }

        /// <summary>
        /// Safe to send again after a timeout or a dropped connection. A create is not: it may have been applied, and a
        /// replay would make a duplicate.
        /// </summary>
        public bool Replayable { get; }

        public TimeSpan TotalWait { get; set; }

        /// <summary>Tries made so far, the first included.</summary>
        public int Attempts { get; set; }

        public bool AuthorizationReplayed { get; set; }

        /// <summary>Told of the waits between tries, when the caller wants to show them.</summary>
        public IRetryWaitObserver? Waits { get; set; }

        /// <summary>
        /// Sent to find out whether Graph can be reached again after an outage: a connection-level failure ends it
        /// after one try, since the outage already spent a retry budget on it.
        /// </summary>
        public bool IsProbe { get; set; }

        /// <summary>"GET /v1.0/...", for the waits reported.</summary>
        public string Request { get; set; } = string.Empty;

        /// <summary>Why the retry policy stopped early, when its own cap (not the server) ended the request.</summary>
        public string? StopReason { get; set; }

        public void AttachTo(HttpMessage message) => message.SetProperty(PropertyName, this);

        public static GraphCall Of(HttpMessage message) =>
            message.TryGetProperty(PropertyName, out object? value) && value is GraphCall call
                ? call
                : new GraphCall(NullGraphLog.Instance, isWrite: true, replayable: false);
    }
}
