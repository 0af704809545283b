using System;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Core.Pipeline;
using IntuneVpp.Client.Authentication;

namespace IntuneVpp.Client.Http
{
    /// <summary>
    /// Puts the connection's bearer token on requests to the connection's own Graph host, and nowhere else. A 401
    /// caused by an expired or revoked token gets one fresh token and one replay.
    /// </summary>
    /// <remarks>Azure.Core's BearerTokenAuthenticationPolicy refuses plain http, which the local emulator speaks.</remarks>
    internal sealed class GraphAuthorizationPolicy : HttpPipelinePolicy
    {
        private readonly AccessTokenCache _tokens;
        private readonly Uri _graphEndpoint;

        public GraphAuthorizationPolicy(AccessTokenCache tokens, Uri graphEndpoint)
        {
            _tokens = tokens;
            _graphEndpoint = graphEndpoint;
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Uri target = message.Request.Uri.ToUri();
            if (!IsSameOrigin(target, _graphEndpoint))
            {
                throw new UntrustedHostException(target, _graphEndpoint);
            }

            GraphCall call = GraphCall.Of(message);
            string token = await _tokens.GetTokenAsync(forceRefresh: false, call.Log, message.CancellationToken).ConfigureAwait(false);
            message.Request.Headers.SetValue(HttpHeader.Names.Authorization, "Bearer " + token);
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);

            if (message.Response.Status == 401 && _tokens.CanRefresh && !call.AuthorizationReplayed)
            {
                call.AuthorizationReplayed = true;
                call.Log.Verbose("Graph answered 401 Unauthorized; getting a fresh token and sending the request once more.");
                message.Response.Dispose();
                token = await _tokens.GetTokenAsync(forceRefresh: true, call.Log, message.CancellationToken).ConfigureAwait(false);
                message.Request.Headers.SetValue(HttpHeader.Names.Authorization, "Bearer " + token);
                await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
            }
        }

        internal static bool IsSameOrigin(Uri a, Uri b) =>
            string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) &&
            string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) &&
            a.Port == b.Port;
    }

    /// <summary>A request was about to leave for a host other than the connection's Graph endpoint.</summary>
    internal sealed class UntrustedHostException : Exception
    {
        public UntrustedHostException(Uri target, Uri graphEndpoint)
            : base($"Refusing to send the connection's token to {target.GetLeftPart(UriPartial.Authority)}: " +
                   $"it is not the connection's Graph endpoint {graphEndpoint.GetLeftPart(UriPartial.Authority)}.")
        {
            Target = target;
        }

        public Uri Target { get; }
    }
}
