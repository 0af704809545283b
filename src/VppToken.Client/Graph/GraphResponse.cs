namespace IntuneVpp.Client.Graph
{
    /// <summary>An answer from Graph, read whole, with the headers support asks for.</summary>
    internal sealed class GraphResponse
    {
        public GraphResponse(int status, string reasonPhrase, byte[] body)
        {
            Status = status;
            ReasonPhrase = reasonPhrase;
            Body = body;
        }

        public int Status { get; }

        public string ReasonPhrase { get; }

        public byte[] Body { get; }

        public string? ContentType { get; init; }

        public string? RequestId { get; init; }

        public string? ClientRequestId { get; init; }

        public string? Date { get; init; }

        public string? Location { get; init; }
    }
}
