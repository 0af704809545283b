using System;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using IntuneVpp.Client.Authentication;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Graph;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>What GraphClient itself puts on the wire and in the log, apart from the policies behind it.</summary>
    public sealed class GraphClientTests
    {
        [Fact]
        public async Task SendAsync_refuses_another_host_itself_before_logging_or_reaching_the_pipeline()
        {
            using var elsewhere = new TestServer(Reply.Json(200, TestClient.TokenJson()));
            using var graph = new TestServer(Reply.Json(200, TestClient.TokenJson()));
            GraphClient client = TestClient.For(graph);
            var log = new RecordingLog();
            var target = new Uri(elsewhere.BaseUri, "v1.0/deviceAppManagement/vppTokens/" + TestClient.TokenId);

            GraphException error = await Assert.ThrowsAsync<GraphException>(() => client.SendAsync(
                RequestMethod.Get, target, null, isWrite: false, replayable: true, log, CancellationToken.None));

            Assert.Equal(GraphErrorKind.UntrustedHost, error.Kind);
            Assert.Equal(
                $"Refusing to send GET to {elsewhere.BaseUri.GetLeftPart(UriPartial.Authority)}: the connection's token goes only to its Graph endpoint {graph.BaseUri.GetLeftPart(UriPartial.Authority)}.",
                error.Message);
            Assert.Equal("GET /v1.0/deviceAppManagement/vppTokens/" + TestClient.TokenId, error.Request);
            // The pipeline's own check would have given the request a client-request-id and logged it as sent.
            Assert.Null(error.ClientRequestId);
            Assert.Empty(log.Lines);
            Assert.Empty(elsewhere.Requests);
            Assert.Empty(graph.Requests);
        }

        [Fact]
        public async Task A_request_names_its_user_agent_and_a_body_its_content_type()
        {
            using var server = new TestServer(Reply.Empty(204));
            var client = new GraphClient(
                new GraphClientOptions(server.BaseUri) { UserAgent = "VppToken/9.9 (bench)", Retry = new Http.RetrySettings { WriteLimit = 0 } },
                new StaticTokenProvider(TestClient.Secure(TestClient.AccessToken)));

            await client.VppTokens.UpdateAsync(TestClient.TokenId, new VppTokenChanges { State = "valid" }, NullGraphLog.Instance, CancellationToken.None);
            await client.VppTokens.DeleteAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None);

            Assert.Equal(2, server.Requests.Count);
            Assert.All(server.Requests, r => Assert.Equal("VppToken/9.9 (bench)", r.Header("User-Agent")));
            Assert.Equal("application/json", server.Requests[0].Header("Content-Type"));
            Assert.Null(server.Requests[1].Header("Content-Type"));
            Assert.Empty(server.Requests[1].Body);
        }

        [Fact]
        public async Task The_log_names_each_request_with_its_client_request_id_and_each_answer_with_its_request_id()
        {
            using var server = new TestServer(
                Reply.Empty(204, ("request-id", "55555555-0000-0000-0000-000000000005")),
                Reply.Json(200, TestClient.TokenJson()));
            GraphClient client = TestClient.For(server);
            var log = new RecordingLog();

            await client.VppTokens.UpdateAsync(TestClient.TokenId, new VppTokenChanges { State = "valid" }, log, CancellationToken.None);
            await client.VppTokens.GetAsync(TestClient.TokenId, log, CancellationToken.None);

            string path = "/v1.0/deviceAppManagement/vppTokens/" + TestClient.TokenId;
            string[] lines = log.Lines.ToArray();
            Assert.Equal(6, lines.Length);
            Assert.Equal($"VERBOSE: PATCH {path} (client-request-id {server.Requests[0].Header("client-request-id")})", lines[0]);
            Assert.Equal("DEBUG: Request body: {\"@odata.type\":\"#microsoft.graph.vppToken\",\"state\":\"valid\"}", lines[1]);
            Assert.Matches(@"^VERBOSE: 204 No Content in \d+ ms \(request-id 55555555-0000-0000-0000-000000000005\)$", lines[2]);
            Assert.Equal($"VERBOSE: GET {path} (client-request-id {server.Requests[1].Header("client-request-id")})", lines[3]);
            Assert.Matches(@"^VERBOSE: 200 OK in \d+ ms \(request-id none\)$", lines[4]);
            Assert.StartsWith("DEBUG: Response body: {", lines[5], StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(false, false)]
        [InlineData(true, false)]
        [InlineData(false, true)]
        [InlineData(true, true)]
        public async Task Log_lines_nobody_sees_are_not_made(bool verbose, bool debug)
        {
            using var server = new TestServer(Reply.Json(200, TestClient.TokenJson()));
            GraphClient client = TestClient.For(server);
            var log = new RecordingLog { IsVerboseEnabled = verbose, IsDebugEnabled = debug };

            await client.VppTokens.UpdateAsync(TestClient.TokenId, new VppTokenChanges { State = "valid" }, log, CancellationToken.None);

            // The request and the answer each have a verbose line, and a body for a debug line.
            Assert.Equal(verbose ? 2 : 0, log.Lines.Count(line => line.StartsWith("VERBOSE: ", StringComparison.Ordinal)));
            Assert.Equal(debug ? 2 : 0, log.Lines.Count(line => line.StartsWith("DEBUG: ", StringComparison.Ordinal)));
        }

        [Fact]
        public async Task Secrets_sent_with_the_log_off_are_still_masked_when_graph_echoes_them()
        {
            const string secret = "VPP-SECRET-bG9nIG9mZg";
            using var server = new TestServer(Reply.Json(400, "{\"error\":{\"code\":\"BadRequest\",\"message\":\"Refused '" + secret + "'.\"}}"));
            GraphClient client = TestClient.For(server);

            GraphException error = await Assert.ThrowsAsync<GraphException>(() => client.VppTokens.UpdateAsync(
                TestClient.TokenId, new VppTokenChanges { Token = TestClient.Secure(secret) }, NullGraphLog.Instance, CancellationToken.None));

            Assert.Equal("Refused '***'.", error.GraphMessage);
            Assert.DoesNotContain(secret, error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task The_client_request_id_graph_echoes_is_the_one_reported()
        {
            using var server = new TestServer(Reply.Json(404, """{"error":{"code":"NotFound","message":"gone"}}""", ("client-request-id", "66666666-0000-0000-0000-000000000006")));
            GraphClient client = TestClient.For(server);

            GraphException error = await Assert.ThrowsAsync<GraphException>(
                () => client.VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None));

            Assert.Equal("66666666-0000-0000-0000-000000000006", error.ClientRequestId);
            Assert.NotEqual(error.ClientRequestId, Assert.Single(server.Requests).Header("client-request-id"));
        }

        [Fact]
        public async Task A_create_that_got_no_answer_says_one_try_and_not_to_send_it_blindly_again()
        {
            using var server = new TestServer(Reply.ResetMidBody());
            GraphClient client = TestClient.For(server);

            GraphException error = await Assert.ThrowsAsync<GraphException>(() => client.SendAsync(
                RequestMethod.Post, client.UriFor("deviceAppManagement/vppTokens"), "{}"u8.ToArray(),
                isWrite: true, replayable: false, NullGraphLog.Instance, CancellationToken.None));

            Assert.Equal(GraphErrorKind.NoAnswer, error.Kind);
            Assert.StartsWith("POST /v1.0/deviceAppManagement/vppTokens got no answer from Graph after 1 try: ", error.Summary, StringComparison.Ordinal);
            Assert.Equal("It was not sent again because it may have been applied; check whether it took effect before trying again.", error.Hint);
            Assert.Equal(Assert.Single(server.Requests).Header("client-request-id"), error.ClientRequestId);
            Assert.IsType<Http.GraphTransportException>(error.InnerException);
        }

        [Fact]
        public async Task A_replayable_call_that_got_no_answer_has_no_hint_about_replays()
        {
            using var server = new TestServer(Reply.ResetMidBody());
            GraphClient client = TestClient.For(server, r => r.MaxRetries = 1);

            GraphException error = await Assert.ThrowsAsync<GraphException>(
                () => client.VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None));

            Assert.Contains("after 2 tries: ", error.Summary, StringComparison.Ordinal);
            Assert.Null(error.Hint);
        }

        [Fact]
        public void UriFor_joins_the_endpoint_the_version_the_path_and_the_query()
        {
            GraphClient client = TestClient.For(new Uri("https://graph.example.com/proxy/"));

            Assert.Equal("https://graph.example.com/proxy/v1.0/deviceAppManagement/vppTokens", client.UriFor("deviceAppManagement/vppTokens").AbsoluteUri);
            Assert.Equal("https://graph.example.com/proxy/beta/a?$filter=x", client.UriFor("a", "$filter=x", "beta").AbsoluteUri);
            Assert.Equal("https://graph.example.com/proxy/v1.0/a", client.UriFor("a", string.Empty).AbsoluteUri);
        }

        [Fact]
        public async Task Signing_in_fetches_a_token_whose_expiry_is_kept_until_the_token_is_forgotten()
        {
            DateTimeOffset expires = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
            string jwt = "eyJhbGciOiJub25lIn0." + Base64Url("{\"tid\":\"tenant-1\",\"exp\":" + expires.ToUnixTimeSeconds() + "}") + ".sig";
            var client = new GraphClient(new GraphClientOptions(new Uri("https://graph.example.com")), new StaticTokenProvider(TestClient.Secure(jwt)));

            Assert.Null(client.TokenExpiresOn);
            JwtClaims? claims = await client.SignInAsync(NullGraphLog.Instance, CancellationToken.None);

            Assert.Equal("tenant-1", claims?.TenantId);
            Assert.Equal(expires, client.TokenExpiresOn);
            client.ForgetToken();
            Assert.Null(client.TokenExpiresOn);
        }

        [Fact]
        public async Task Signing_in_uses_the_token_in_hand_rather_than_fetching_a_new_one()
        {
            using var server = new TestServer(Reply.Json(200, TestClient.TokenJson()));
            var tokens = new CountingProvider();
            var client = new GraphClient(new GraphClientOptions(server.BaseUri), tokens);
            await client.VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None);

            await client.SignInAsync(NullGraphLog.Instance, CancellationToken.None);

            Assert.Equal(1, tokens.Calls);
            Assert.Equal(new[] { false }, tokens.ForcedRefreshes);
        }

        [Fact]
        public async Task A_300_answer_is_an_error_not_a_result()
        {
            using var server = new TestServer(Reply.Json(300, TestClient.TokenJson()));
            GraphClient client = TestClient.For(server);

            GraphException error = await Assert.ThrowsAsync<GraphException>(
                () => client.VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None));

            Assert.Equal(GraphErrorKind.Redirected, error.Kind);
            Assert.Equal(300, error.StatusCode);
        }

        private sealed class CountingProvider : ITokenProvider
        {
            private readonly System.Collections.Concurrent.ConcurrentQueue<bool> _forced = new();

            public int Calls => _forced.Count;

            public bool[] ForcedRefreshes => _forced.ToArray();

            public bool CanRefresh => true;

            public Task<AccessTokenInfo> GetTokenAsync(bool forceRefresh, IGraphLog log, CancellationToken cancellationToken)
            {
                _forced.Enqueue(forceRefresh);
                return Task.FromResult(new AccessTokenInfo("token-" + _forced.Count, DateTimeOffset.UtcNow.AddHours(1)));
            }
        }

        private static string Base64Url(string text) =>
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
