using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Azure;
using Azure.Core;
using Azure.Identity;
using IntuneVpp.Client.Diagnostics;

namespace IntuneVpp.Client.Authentication
{
    /// <summary>Tokens from an Azure.Identity credential, kept in memory only.</summary>
    public sealed class AzureIdentityTokenProvider : ITokenProvider
    {
        private readonly SignInOptions _signIn;
        private TokenCredential _credential;

        public AzureIdentityTokenProvider(SignInOptions signIn)
        {
            _signIn = signIn;
            _credential = CredentialFactory.Create(signIn);
        }

        public bool CanRefresh => true;

        public async Task<AccessTokenInfo> GetTokenAsync(bool forceRefresh, IGraphLog log, CancellationToken cancellationToken)
        {
            if (forceRefresh)
            {
                // A credential hands back its cached token while it looks valid; a revoked one needs a fresh credential.
                _credential = CredentialFactory.Create(_signIn);
            }

            log.Verbose($"Getting a token for {string.Join(" ", _signIn.Scopes)} ({_signIn.Kind}).");
            try
            {
                var context = new TokenRequestContext(_signIn.Scopes.ToArray(), tenantId: _signIn.TenantId);
                AccessToken token = await _credential.GetTokenAsync(context, cancellationToken).ConfigureAwait(false);
                return new AccessTokenInfo(token.Token, token.ExpiresOn);
            }
            catch (Exception ex) when (ex is AuthenticationFailedException or CredentialUnavailableException or RequestFailedException or ArgumentException)
            {
                throw new SignInException(_signIn.Kind, _signIn.TenantId, CauseOf(ex), ex);
            }
        }

        /// <summary>The innermost message's first line: where the AADSTS code and Entra ID's words are.</summary>
        private static string CauseOf(Exception ex)
        {
            Exception innermost = ex;
            while (innermost.InnerException is not null)
            {
                innermost = innermost.InnerException;
            }

            string message = innermost.Message;
            int newline = message.IndexOfAny(new[] { '\r', '\n' });
            string firstLine = newline > 0 ? message.Substring(0, newline) : message;
            return firstLine.Length > 500 ? firstLine.Substring(0, 497) + "..." : firstLine;
        }
    }
}
