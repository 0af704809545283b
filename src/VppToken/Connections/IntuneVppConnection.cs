using System;
using System.Collections.Generic;
using IntuneVpp.Client.Graph;

namespace IntuneVpp.Connections
{
    /// <summary>
    /// A signed-in connection to one tenant's Graph. Each carries its own token cache and settings, so connections to
    /// different tenants can be used side by side, in one session or across runspaces. The token itself is never a
    /// property of this object.
    /// </summary>
    public sealed class IntuneVppConnection
    {
        internal IntuneVppConnection(GraphClient client, string signInKind, string environment)
        {
            Client = client;
            SignInKind = signInKind;
            Environment = environment;
            ConnectedAt = DateTimeOffset.Now;
        }

        public Guid Id { get; } = Guid.NewGuid();

        public string? TenantId { get; internal set; }

        public string? ClientId { get; internal set; }

        /// <summary>The signed-in user, for a delegated sign-in whose token names one; null for an app.</summary>
        public string? Account { get; internal set; }

        /// <summary>Whether the token acts for a user (delegated) rather than as the app itself; null when it does not say.</summary>
        internal bool? IsDelegated { get; set; }

        /// <summary>How the connection signs in: AccessToken, ManagedIdentity, ClientSecret, Certificate, ...</summary>
        public string SignInKind { get; }

        /// <summary>The cloud: Global, USGov, USGovDoD, China, or Custom for a -GraphEndpoint of one's own.</summary>
        public string Environment { get; }

        public Uri GraphEndpoint => Client.Options.GraphEndpoint;

        public string ApiVersion => Client.Options.ApiVersion;

        /// <summary>When the access token stops working; null when nobody knows (an opaque -AccessToken).</summary>
        // The token cache keeps such a token "forever" (DateTimeOffset.MaxValue) since it cannot be renewed anyway;
        // shown as a date, that would read as a token valid until the year 9999.
        public DateTimeOffset? TokenExpiresOn =>
            (BorrowedTokens?.ExpiresOn ?? Client.TokenExpiresOn) is { } expires && expires != DateTimeOffset.MaxValue ? expires : null;

        /// <summary>The application permissions (roles) or delegated scopes the token carries, when it says.</summary>
        public IReadOnlyList<string> Permissions { get; internal set; } = Array.Empty<string>();

        public DateTimeOffset ConnectedAt { get; }

        public int MaxRetries => Client.Options.Retry.MaxRetries;

        public TimeSpan MaxRetryWait => Client.Options.Retry.MaxTotalWait;

        internal GraphClient Client { get; }

        /// <summary>Set when the connection borrows its token from a Connect-MgGraph session.</summary>
        internal BorrowedTokenProvider? BorrowedTokens { get; set; }

        internal bool IsDisconnected { get; private set; }

        internal void Disconnect()
        {
            IsDisconnected = true;
            Client.ForgetToken();
        }

        public override string ToString() => $"{SignInKind} connection to tenant {TenantId ?? "(unknown)"} at {GraphEndpoint}";
    }
}
