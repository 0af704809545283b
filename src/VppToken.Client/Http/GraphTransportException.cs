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
        }

        public int Attempts { get; }
    }
}
