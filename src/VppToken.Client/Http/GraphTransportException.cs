using System;

namespace IntuneVpp.Client.Http
{
    /// <summary>The request got no answer after every try it was allowed.</summary>
    internal sealed class GraphTransportException : Exception
    {
        public GraphTransportException(Exception failure, int attempts)
            : base(GraphRetryPolicy.Describe(failure), failure)
        {
            Attempts = attempts;
            IsConnectionFailure = GraphRetryPolicy.IsConnectionFailure(failure);
        }

        public int Attempts { get; }

        /// <summary>No connection to Graph could be made at all: refused, name not resolved, TLS failed.</summary>
        public bool IsConnectionFailure { get; }
    }
}
