using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using IntuneVpp.Client.Authentication;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Graph;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>The bearer token goes on every request to the connection's Graph host, and to no other host.</summary>
    public sealed class AuthorizationTests
    {
        [Fact]
        public async Task Every_request_carries_the_bearer_token_and_its_own_client_request_id()
        {
            using var server = new TestServer(Reply.Throttled("0"), Reply.Json(200, TestClient.TokenJson()));
            GraphClient client = TestClient.For(server);

            await client.VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None);
            await client.VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None);
            await client.VppTokens.UpdateAsync(TestClient.TokenId, new VppTokenChanges { State = "valid" }, NullGraphLog.Instance, CancellationToken.None);

            Assert.Equal(4, server.Requests.Count);
            Assert.All(server.Requests, r => Assert.Equal("Bearer " + TestClient.AccessToken, r.Header("Authorization")));
            Assert.All(server.Requests, r => Assert.Equal("application/json", r.Header("Accept")));
            string[] ids = server.Requests.Select(r => r.Header("client-request-id")!).ToArray();
            Assert.All(ids, id => Assert.True(Guid.TryParseExact(id, "D", out _), $"'{id}' is not a GUID"));
            // The first call was tried twice; the calls themselves each had their own id.
            string[] perCall = new[] { ids[1], ids[2], ids[3] };
            Assert.Equal(perCall.Length, perCall.Distinct().Count());
        }

        [Fact]
        public async Task A_token_given_with_a_bearer_prefix_is_sent_with_one_prefix()
        {
            using var server = new TestServer(Reply.Json(200, TestClient.TokenJson()));
            var client = new GraphClient(
                new GraphClientOptions(server.BaseUri),
                new StaticTokenProvider(TestClient.Secure("  Bearer abc.def  ")));

            await client.VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None);

            Assert.Equal("Bearer abc.def", Assert.Single(server.Requests).Header("Authorization"));
        }

        [Theory]
        [InlineData("bearer\tabc.def", "abc.def")]
        [InlineData("BEARER  abc.def", "abc.def")]
        [InlineData("Bearerabc.def", "Bearerabc.def")]
        [InlineData("abcdef ghi.jkl", "abcdef ghi.jkl")]
        [InlineData("Bearer.abc.def", "Bearer.abc.def")]
        public void Only_the_word_bearer_and_the_space_after_it_are_taken_off(string given, string kept)
        {
            // The prefix is the word followed by white space, in any case; a token that only starts with those letters,
            // or has a space where the prefix's would be, is kept whole.
            var provider = new StaticTokenProvider(TestClient.Secure(given));

            Assert.Equal(kept, provider.Token.Token);
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        public void An_empty_access_token_is_refused_up_front(string token)
        {
            Assert.Throws<ArgumentException>(() => new StaticTokenProvider(TestClient.Secure(token)));
        }

        [Fact]
        public void A_bearer_prefix_with_nothing_after_it_is_refused_as_empty()
        {
            // What "Bearer $token" gives when $token is empty; otherwise "Bearer Bearer" goes to Graph and comes back 401.
            var error = Assert.Throws<ArgumentException>(() => new StaticTokenProvider(TestClient.Secure("Bearer ")));

            Assert.Contains("empty", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_next_link_to_another_host_is_refused_without_sending_anything()
        {
            using var elsewhere = new TestServer(Reply.Json(200, TestClient.ListJson(null)));
            using var graph = new TestServer(Reply.Json(200, TestClient.ListJson(new Uri(elsewhere.BaseUri, "v1.0/deviceAppManagement/vppTokens?$skiptoken=x").AbsoluteUri)));
            GraphClient client = TestClient.For(graph);
            VppTokenPage first = await client.VppTokens.ListAsync(null, NullGraphLog.Instance, CancellationToken.None);

            GraphException error = await Assert.ThrowsAsync<GraphException>(() => client.VppTokens.ListNextAsync(
                first, NullGraphLog.Instance, CancellationToken.None));

            Assert.Equal(GraphErrorKind.UntrustedHost, error.Kind);
            Assert.Empty(elsewhere.Requests);
            Assert.Single(graph.Requests);
        }

        [Theory]
        [InlineData("https://127.0.0.1:{port}/v1.0/deviceAppManagement/vppTokens")]
        [InlineData("http://localhost:{port}/v1.0/deviceAppManagement/vppTokens")]
        [InlineData("http://graph.microsoft.com/v1.0/deviceAppManagement/vppTokens")]
        public async Task The_same_host_under_another_scheme_or_name_is_another_host(string link)
        {
            TestServer? graph = null;
            graph = new TestServer(_ => Reply.Json(200, TestClient.ListJson(
                link.Replace("{port}", graph!.BaseUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))));
            using (graph)
            {
                GraphClient client = TestClient.For(graph);
                VppTokenPage first = await client.VppTokens.ListAsync(null, NullGraphLog.Instance, CancellationToken.None);

                GraphException error = await Assert.ThrowsAsync<GraphException>(
                    () => client.VppTokens.ListNextAsync(first, NullGraphLog.Instance, CancellationToken.None));

                Assert.Equal(GraphErrorKind.UntrustedHost, error.Kind);
                Assert.Single(graph.Requests);
            }
        }

        [Fact]
        public async Task A_refreshable_token_refused_with_401_is_fetched_again_and_the_request_sent_once_more()
        {
            using var server = new TestServer(Reply.Json(401, """{"error":{"code":"InvalidAuthenticationToken","message":"expired"}}"""), Reply.Json(200, TestClient.TokenJson()));
            var tokens = new NumberedTokenProvider();
            var client = new GraphClient(new GraphClientOptions(server.BaseUri), tokens);

            VppToken token = await client.VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None);

            Assert.Equal(TestClient.TokenId, token.Id);
            Assert.Equal(new[] { "Bearer token-1", "Bearer token-2" }, server.Requests.Select(r => r.Header("Authorization")));
        }

        [Fact]
        public async Task A_second_401_after_a_fresh_token_is_an_error_not_a_loop()
        {
            using var server = new TestServer(Reply.Json(401, """{"error":{"code":"InvalidAuthenticationToken","message":"no"}}"""));
            var client = new GraphClient(new GraphClientOptions(server.BaseUri), new NumberedTokenProvider());

            GraphException error = await Assert.ThrowsAsync<GraphException>(
                () => client.VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None));

            Assert.Equal(GraphErrorKind.Unauthorized, error.Kind);
            Assert.Equal(2, server.Requests.Count);
        }

        [Fact]
        public async Task Logs_show_the_redacted_body_and_never_a_secret()
        {
            const string vppSecret = "VPP-SECRET-dGhpcyBpcyBhIHRva2Vu";
            using var server = new TestServer(Reply.Json(200, TestClient.TokenJson().Replace("Token value", vppSecret, StringComparison.Ordinal)));
            GraphClient client = TestClient.For(server);
            var log = new RecordingLog();

            await client.VppTokens.UpdateAsync(TestClient.TokenId, new VppTokenChanges { Token = TestClient.Secure(vppSecret) }, log, CancellationToken.None);

            Assert.Contains(vppSecret, Assert.Single(server.Requests).BodyText, StringComparison.Ordinal);
            Assert.Contains(log.Lines, l => l.StartsWith("DEBUG: Request body: ", StringComparison.Ordinal) && l.Contains("\"token\":\"***\"", StringComparison.Ordinal));
            Assert.Contains(log.Lines, l => l.StartsWith("DEBUG: Response body: ", StringComparison.Ordinal) && l.Contains("\"token\":\"***\"", StringComparison.Ordinal));
            Assert.DoesNotContain(vppSecret, log.All, StringComparison.Ordinal);
            Assert.DoesNotContain(TestClient.AccessToken, log.All, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("http://graph.example.com")]
        [InlineData("http://10.0.0.5:8080")]
        [InlineData("ftp://127.0.0.1")]
        public void An_endpoint_that_would_send_the_token_in_clear_text_over_a_network_is_refused(string endpoint)
        {
            Assert.Throws<ArgumentException>(() => new GraphClientOptions(new Uri(endpoint)));
        }

        [Fact]
        public async Task The_endpoint_may_carry_a_path_and_requests_stay_under_it()
        {
            using var server = new TestServer(Reply.Json(200, TestClient.TokenJson()));
            var client = new GraphClient(
                new GraphClientOptions(new Uri(server.BaseUri, "graph-proxy")) { ApiVersion = "beta" },
                new StaticTokenProvider(TestClient.Secure(TestClient.AccessToken)));

            VppToken token = await client.VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None);

            Assert.Equal($"/graph-proxy/beta/deviceAppManagement/vppTokens/{TestClient.TokenId}", Assert.Single(server.Requests).Target);
            Assert.Equal("beta", token.ApiVersion);
        }

        /// <summary>A token source that hands out token-1, token-2, ... each time it is asked, like a real credential after expiry.</summary>
        private sealed class NumberedTokenProvider : ITokenProvider
        {
            private int _issued;

            public bool CanRefresh => true;

            public Task<AccessTokenInfo> GetTokenAsync(bool forceRefresh, IGraphLog log, CancellationToken cancellationToken) =>
                Task.FromResult(new AccessTokenInfo("token-" + Interlocked.Increment(ref _issued), DateTimeOffset.UtcNow.AddHours(1)));
        }
    }
}
