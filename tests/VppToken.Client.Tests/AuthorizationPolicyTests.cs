using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Core.Pipeline;
using IntuneVpp.Client.Authentication;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Http;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>
    /// The authorization policy on its own, in a pipeline of its own: GraphClient checks the host before the pipeline,
    /// so only a test that goes around GraphClient can tell whether the policy's own check holds.
    /// </summary>
    public sealed class AuthorizationPolicyTests
    {
        private static HttpPipeline PipelineFor(Uri graphEndpoint, ITokenProvider tokens) =>
            new(new HttpClientTransport(new HttpClient()), new HttpPipelinePolicy[] { new GraphAuthorizationPolicy(new AccessTokenCache(tokens, new SentSecrets()), graphEndpoint) });

        [Fact]
        public async Task The_policy_refuses_a_request_to_another_host_without_asking_for_a_token_or_sending_it()
        {
            using var elsewhere = new TestServer(Reply.Empty(204));
            using var graph = new TestServer(Reply.Empty(204));
            var tokens = new CountingTokenProvider();
            HttpPipeline pipeline = PipelineFor(graph.BaseUri, tokens);
            using HttpMessage message = pipeline.CreateMessage();
            message.Request.Method = RequestMethod.Get;
            message.Request.Uri.Reset(new Uri(elsewhere.BaseUri, "v1.0/deviceAppManagement/vppTokens"));

            var error = await Assert.ThrowsAsync<UntrustedHostException>(async () => await pipeline.SendAsync(message, CancellationToken.None));

            Assert.Equal(new Uri(elsewhere.BaseUri, "v1.0/deviceAppManagement/vppTokens"), error.Target);
            Assert.Contains(elsewhere.BaseUri.GetLeftPart(UriPartial.Authority), error.Message, StringComparison.Ordinal);
            Assert.Contains(graph.BaseUri.GetLeftPart(UriPartial.Authority), error.Message, StringComparison.Ordinal);
            Assert.Equal(0, tokens.Calls);
            Assert.Empty(elsewhere.Requests);
        }

        [Fact]
        public async Task The_policy_puts_the_bearer_token_on_a_request_to_its_own_host()
        {
            using var graph = new TestServer(Reply.Empty(204));
            var tokens = new CountingTokenProvider();
            HttpPipeline pipeline = PipelineFor(graph.BaseUri, tokens);
            using HttpMessage message = pipeline.CreateMessage();
            message.Request.Method = RequestMethod.Get;
            message.Request.Uri.Reset(new Uri(graph.BaseUri, "v1.0/deviceAppManagement/vppTokens"));

            await pipeline.SendAsync(message, CancellationToken.None);

            Assert.Equal(204, message.Response.Status);
            Assert.Equal("Bearer token-1", Assert.Single(graph.Requests).Header("Authorization"));
            Assert.Equal(1, tokens.Calls);
        }

        [Theory]
        [InlineData("http://127.0.0.1:8080/", "http://127.0.0.1:8080/v1.0/x", true)]
        [InlineData("http://127.0.0.1:8080/", "HTTP://127.0.0.1:8080/beta/y", true)]
        [InlineData("https://graph.microsoft.com/", "https://GRAPH.microsoft.com/v1.0/x", true)]
        [InlineData("http://127.0.0.1:8080/", "http://127.0.0.1:8081/v1.0/x", false)]
        [InlineData("http://127.0.0.1:8080/", "https://127.0.0.1:8080/v1.0/x", false)]
        [InlineData("https://graph.microsoft.com/", "https://graph.microsoft.com.evil.example/v1.0/x", false)]
        public void Same_origin_means_same_scheme_host_and_port(string endpoint, string target, bool same)
        {
            Assert.Equal(same, GraphAuthorizationPolicy.IsSameOrigin(new Uri(target), new Uri(endpoint)));
        }

        private sealed class CountingTokenProvider : ITokenProvider
        {
            private int _calls;

            public int Calls => _calls;

            public bool CanRefresh => true;

            public Task<AccessTokenInfo> GetTokenAsync(bool forceRefresh, IGraphLog log, CancellationToken cancellationToken) =>
                Task.FromResult(new AccessTokenInfo("token-" + Interlocked.Increment(ref _calls), DateTimeOffset.UtcNow.AddHours(1)));
        }
    }
}
