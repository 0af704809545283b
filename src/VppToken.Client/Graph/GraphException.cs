using System;
using System.Collections.Generic;
using System.Text;

namespace IntuneVpp.Client.Graph
{
    /// <summary>
    /// A Graph request that did not succeed, with everything a support ticket asks for. The message never contains a
    /// request or response body, so no secret can travel in it.
    /// </summary>
    public sealed class GraphException : Exception
    {
        public GraphException(GraphErrorKind kind, string summary, Exception? innerException = null)
            : base(summary, innerException)
        {
            Kind = kind;
            Summary = summary;
        }

        public GraphErrorKind Kind { get; }

        /// <summary>The first sentence of the message: what happened.</summary>
        public string Summary { get; }

        public int? StatusCode { get; init; }

        /// <summary>Tries made, the first included; 0 when the request was not sent at all.</summary>
        public int Attempts { get; init; }

        /// <summary>Graph's error code (error.code); often empty or UnknownError for Intune.</summary>
        public string? ErrorCode { get; init; }

        /// <summary>Graph's error message (error.message).</summary>
        public string? GraphMessage { get; init; }

        public string? RequestId { get; init; }

        public string? ClientRequestId { get; init; }

        public string? Date { get; init; }

        /// <summary>What the caller can do about it, when the module knows.</summary>
        public string? Hint { get; init; }

        /// <summary>The request, as method and path, without the host.</summary>
        public string? Request { get; init; }

        /// <summary>
        /// True when the change the caller asked for was made and only what came after it failed (reading the answer, or
        /// reading the token back): the change need not, and for a create must not, be sent again.
        /// </summary>
        public bool ChangeApplied { get; init; }

        /// <summary>
        /// The same failure, told as what it is: <paramref name="done"/> took effect, and only this part of the work,
        /// <paramref name="failedPart"/>, failed. Everything support asks for (status, code, ids) is kept.
        /// </summary>
        internal GraphException AfterChange(string done, string failedPart, string hint) =>
            new(Kind, $"{done}; only {failedPart} failed: {Summary}", InnerException)
            {
                StatusCode = StatusCode,
                ErrorCode = ErrorCode,
                GraphMessage = GraphMessage,
                RequestId = RequestId,
                ClientRequestId = ClientRequestId,
                Date = Date,
                Request = Request,
                Hint = hint,
                ChangeApplied = true,
            };

        public override string Message
        {
            get
            {
                var text = new StringBuilder(Summary);
                if (!string.IsNullOrEmpty(GraphMessage))
                {
                    text.Append(' ').Append(GraphMessage!.Trim());
                    if (!GraphMessage.TrimEnd().EndsWith(".", StringComparison.Ordinal))
                    {
                        text.Append('.');
                    }
                }

                if (!string.IsNullOrEmpty(Hint))
                {
                    text.Append(' ').Append(Hint);
                }

                var ids = new List<string>();
                if (!string.IsNullOrEmpty(ErrorCode)) ids.Add("code: " + ErrorCode);
                if (!string.IsNullOrEmpty(RequestId)) ids.Add("request-id: " + RequestId);
                if (!string.IsNullOrEmpty(ClientRequestId)) ids.Add("client-request-id: " + ClientRequestId);
                if (!string.IsNullOrEmpty(Date)) ids.Add("date: " + Date);
                if (ids.Count > 0)
                {
                    text.Append(" (").Append(string.Join(", ", ids)).Append(')');
                }

                return text.ToString();
            }
        }
    }
}
