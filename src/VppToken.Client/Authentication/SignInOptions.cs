using System;
using System.Collections.Generic;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;

namespace IntuneVpp.Client.Authentication
{
    /// <summary>Everything a sign-in flow needs; which fields matter depends on <see cref="Kind"/>.</summary>
    public sealed class SignInOptions
    {
        public SignInOptions(SignInKind kind, GraphCloud cloud)
        {
            Kind = kind;
            Cloud = cloud;
            AuthorityHost = cloud.AuthorityHost;
            Scopes = GraphScopes.For(kind, cloud.GraphEndpoint);
        }

        public SignInKind Kind { get; }

        public GraphCloud Cloud { get; }

        /// <summary>The Entra ID host; the cloud's own unless overridden (must be https).</summary>
        public Uri AuthorityHost { get; set; }

        /// <summary>True when <see cref="AuthorityHost"/> is not a known cloud's, so instance discovery is skipped.</summary>
        public bool IsCustomAuthority => !string.Equals(AuthorityHost.Host, Cloud.AuthorityHost.Host, StringComparison.OrdinalIgnoreCase);

        /// <summary>
        /// What the token is asked for: <c>{graph}/.default</c> for an app, named delegated permissions on the Graph
        /// host for a user (see <see cref="GraphScopes"/>).
        /// </summary>
        public IReadOnlyList<string> Scopes { get; set; }

        public string? TenantId { get; set; }

        public string? ClientId { get; set; }

        public SecureString? ClientSecret { get; set; }

        public X509Certificate2? Certificate { get; set; }

        /// <summary>Shows the device code message to the person signing in.</summary>
        public Func<string, CancellationToken, Task>? DeviceCodeCallback { get; set; }
    }
}
