namespace IntuneVpp.Client.Graph
{
    /// <summary>What went wrong, in terms a caller can branch on. Graph's own code is kept beside it.</summary>
    public enum GraphErrorKind
    {
        BadRequest,
        Unauthorized,
        Forbidden,
        NotFound,
        Conflict,
        PreconditionFailed,
        Throttled,
        ServerError,
        ServiceUnavailable,
        GatewayTimeout,
        OtherStatus,
        Redirected,
        UntrustedHost,
        NoAnswer,

        /// <summary>Not sent: an earlier request of the same caller found Graph out of reach.</summary>
        Unreachable,
        InvalidResponse,

        /// <summary>An @odata.nextLink led back to a page of the same listing already read.</summary>
        PagingLoop,

        /// <summary>A listing went on past the most pages allowed for one listing.</summary>
        PageLimitExceeded,

        /// <summary>An @odata.nextLink on the connection's own host that leaves the path being listed.</summary>
        UntrustedLink,
    }
}
