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
    }
}
