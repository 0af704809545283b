using System;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Client.Diagnostics;

namespace IntuneVpp.Client.Authentication
{
    /// <summary>Where a connection gets its Graph access tokens from.</summary>
    public interface ITokenProvider
    {
        /// <summary>False for a token handed over as is: there is nothing to refresh it from.</summary>
        bool CanRefresh { get; }

        Task<AccessTokenInfo> GetTokenAsync(bool forceRefresh, IGraphLog log, CancellationToken cancellationToken);
    }

    /// <summary>An access token and when it stops working.</summary>
    public sealed class AccessTokenInfo
    {
        public AccessTokenInfo(string token, DateTimeOffset expiresOn)
        {
            Token = token;
            ExpiresOn = expiresOn;
        }

        public string Token { get; }

        public DateTimeOffset ExpiresOn { get; }

        /// <summary>Keeps the token out of anything that formats this object.</summary>
        public override string ToString() => $"access token expiring {ExpiresOn:u}";
    }
}
