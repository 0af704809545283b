using System;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Core.Pipeline;

namespace IsolationProbe
{
    internal sealed class ProbeClientOptions : ClientOptions
    {
        public ProbeClientOptions()
        {
            Diagnostics.ApplicationId = "IsolationProbe";
            Diagnostics.IsTelemetryEnabled = true;
            Diagnostics.IsLoggingContentEnabled = false;
            Retry.MaxRetries = 0;
        }
    }

    /// <summary>A credential that always hands out the same opaque token, which the emulator accepts.</summary>
    internal sealed class FixedTokenCredential : TokenCredential
    {
        private readonly string _token;

        public FixedTokenCredential(string token) => _token = token;

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(_token, DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(GetToken(requestContext, cancellationToken));
    }

    /// <summary>
    /// Azure.Core's BearerTokenAuthenticationPolicy refuses plain http, and the emulator listens on http.
    /// </summary>
    internal sealed class ProbeAuthorizationPolicy : HttpPipelineSynchronousPolicy
    {
        private readonly TokenCredential _credential;
        private readonly string[] _scopes;

        public ProbeAuthorizationPolicy(TokenCredential credential, string scope)
        {
            _credential = credential;
            _scopes = new[] { scope };
        }

        public override void OnSendingRequest(HttpMessage message)
        {
            AccessToken token = _credential.GetToken(new TokenRequestContext(_scopes), message.CancellationToken);
            message.Request.Headers.SetValue(HttpHeader.Names.Authorization, "Bearer " + token.Token);
        }
    }

    internal sealed class ProbeHeaderPolicy : HttpPipelineSynchronousPolicy
    {
        public const string HeaderName = "X-Isolation-Probe";

        private readonly string _value;

        public ProbeHeaderPolicy(string value) => _value = value;

        public override void OnSendingRequest(HttpMessage message) => message.Request.Headers.SetValue(HeaderName, _value);
    }
}
