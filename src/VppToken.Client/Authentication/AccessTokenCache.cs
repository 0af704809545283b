using System;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Client.Diagnostics;

namespace IntuneVpp.Client.Authentication
{
    /// <summary>
    /// One connection's token, held in memory only and fetched again shortly before it expires. Concurrent callers
    /// (parallel runspaces sharing a connection) wait for one fetch instead of each signing in.
    /// </summary>
    internal sealed class AccessTokenCache
    {
        private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

        private readonly ITokenProvider _provider;
        private readonly SemaphoreSlim _fetch = new(1, 1);
        private AccessTokenInfo? _current;

        private readonly SentSecrets _secrets;

        public AccessTokenCache(ITokenProvider provider, SentSecrets secrets)
        {
            _provider = provider;
            _secrets = secrets;
        }

        public bool CanRefresh => _provider.CanRefresh;

        public DateTimeOffset? ExpiresOn => _current?.ExpiresOn;

        public AccessTokenInfo? Current => _current;

        public async Task<string> GetTokenAsync(bool forceRefresh, IGraphLog log, CancellationToken cancellationToken)
        {
            AccessTokenInfo? seen = _current;
            if (!forceRefresh && IsFresh(seen))
            {
                return seen!.Token;
            }

            await _fetch.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Another caller may have fetched while this one waited.
                if (_current is not null && !ReferenceEquals(_current, seen) && IsFresh(_current))
                {
                    return _current.Token;
                }

                AccessTokenInfo fetched = await _provider.GetTokenAsync(forceRefresh, log, cancellationToken).ConfigureAwait(false);
                // Every token the connection has held stays masked: an old one can still be quoted back later.
                _secrets.Add(fetched.Token);
                _current = fetched;
                return _current.Token;
            }
            finally
            {
                _fetch.Release();
            }
        }

        public void Forget() => _current = null;

        private bool IsFresh(AccessTokenInfo? token) =>
            token is not null && (!_provider.CanRefresh || token.ExpiresOn - DateTimeOffset.UtcNow > RefreshMargin);
    }
}
