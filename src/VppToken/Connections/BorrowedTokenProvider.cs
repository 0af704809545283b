using System;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Client.Authentication;
using IntuneVpp.Client.Diagnostics;

namespace IntuneVpp.Connections
{
    /// <summary>
    /// A token borrowed from the Connect-MgGraph session. It is renewed on the pipeline thread before a cmdlet starts
    /// (see <see cref="MgGraphSession.RefreshIfDue"/>), never from the background work that sends requests.
    /// </summary>
    internal sealed class BorrowedTokenProvider : ITokenProvider
    {
        private AccessTokenInfo _current;

        public BorrowedTokenProvider(string token) => _current = Describe(token);

        public bool CanRefresh => false;

        public AccessTokenInfo Current => _current;

        public DateTimeOffset ExpiresOn => _current.ExpiresOn;

        public void Update(string token) => _current = Describe(token);

        public Task<AccessTokenInfo> GetTokenAsync(bool forceRefresh, IGraphLog log, CancellationToken cancellationToken) =>
            Task.FromResult(_current);

        // Without an exp claim the token is asked for again within the hour, as Graph tokens last about that long.
        private static AccessTokenInfo Describe(string token) =>
            new(token, JwtClaims.TryRead(token)?.ExpiresOn ?? DateTimeOffset.UtcNow.AddMinutes(55));
    }
}
