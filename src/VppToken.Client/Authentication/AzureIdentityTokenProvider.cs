using System;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Azure;
using Azure.Core;
using Azure.Identity;
using IntuneVpp.Client.Diagnostics;

namespace IntuneVpp.Client.Authentication
{
    /// <summary>Tokens from an Azure.Identity credential, kept in memory only.</summary>
    public sealed class AzureIdentityTokenProvider : ITokenProvider, ISecretHolder
    {
        private readonly SignInOptions _signIn;
        private TokenCredential _credential;

        public AzureIdentityTokenProvider(SignInOptions signIn)
        {
            _signIn = signIn;
            if (signIn.ClientSecret is { } secret)
            {
                // Known before the first request, so that even the first refusal cannot quote it.
                Secrets.Add(SecureStrings.ToPlainText(secret));
            }

            _credential = CredentialFactory.Create(signIn, Secrets);
        }

        public bool CanRefresh => true;

        /// <summary>The client secret and whatever the sign-ins have sent and received (assertions, tokens).</summary>
        public SentSecrets Secrets { get; } = new();

        public async Task<AccessTokenInfo> GetTokenAsync(bool forceRefresh, IGraphLog log, CancellationToken cancellationToken)
        {
            log = Secrets.Guard(log);
            if (forceRefresh)
            {
                // A credential hands back its cached token while it looks valid; a revoked one needs a fresh credential.
                _credential = CredentialFactory.Create(_signIn, Secrets);
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
                // The chain stays out of the exception: MSAL's keeps Entra ID's raw answer (ResponseBody), which can quote
                // the secret, and an error record carries its exception whole into $Error, Export-Clixml and logs. What it
                // says goes to -Debug instead, masked.
                log.Debug("Sign-in failed: " + ErrorText.Cut(Secrets.Mask(Chain(ex))));
                throw new SignInException(_signIn.Kind, _signIn.TenantId, ErrorText.Cut(Secrets.Mask(CauseOf(ex))));
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
            return newline > 0 ? message.Substring(0, newline) : message;
        }

        /// <summary>Each exception's type and message, outermost first, on one line each.</summary>
        private static string Chain(Exception ex)
        {
            var text = new StringBuilder();
            for (Exception? e = ex; e is not null; e = e.InnerException)
            {
                text.Append(text.Length == 0 ? string.Empty : " <- ").Append(e.GetType().Name).Append(": ").Append(e.Message.Trim());
            }

            return text.ToString();
        }
    }
}
