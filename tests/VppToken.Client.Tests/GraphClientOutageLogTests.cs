using System;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Client.Authentication;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Graph;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>
    /// What GraphClient itself says and remembers around an outage and a refusal: the lines a -Verbose user reads, the
    /// hints on the errors, the probe's place, and the secrets a signing-in provider brings.
    /// </summary>
    public sealed class GraphClientOutageLogTests
    {
        private static Task<VppToken> Get(GraphClient client, IGraphLog log, CancellationToken cancellationToken = default) =>
            client.VppTokens.GetAsync(TestClient.TokenId, log, cancellationToken);

        [Fact]
        public async Task A_refused_connection_says_graph_could_not_be_reached_and_the_next_request_says_it_was_not_sent()
        {
            GraphClient client = TestClient.For(ClosedPort.Uri(), r => r.MaxRetries = 0);
            var log = new RecordingLog();
            var caller = new GraphCaller(log);

            GraphException first = await Assert.ThrowsAsync<GraphException>(() => Get(client, caller));
            GraphException second = await Assert.ThrowsAsync<GraphException>(() => Get(client, caller));

            Assert.Equal(GraphErrorKind.NoAnswer, first.Kind);
            Assert.Contains("could not be reached at all", first.Hint, StringComparison.Ordinal);
            Assert.Equal(GraphErrorKind.Unreachable, second.Kind);
            Assert.Contains("; 1 try, the last at ", second.Message, StringComparison.Ordinal);
            Assert.StartsWith("Nothing was changed for it. ", second.Hint, StringComparison.Ordinal);
            string notSent = Assert.Single(log.Lines, line => line.Contains(" not sent: ", StringComparison.Ordinal));
            Assert.StartsWith($"VERBOSE: GET /v1.0/deviceAppManagement/vppTokens/{TestClient.TokenId} not sent: Graph was out of reach for an earlier request (", notSent, StringComparison.Ordinal);
        }

        [Fact]
        public async Task The_probe_says_it_is_a_single_try_and_the_request_after_a_successful_probe_is_an_ordinary_one()
        {
            Uri endpoint = ClosedPort.Uri();
            GraphClient client = TestClient.For(endpoint, r =>
            {
                r.MaxRetries = 0;
                r.ProbeInterval = TimeSpan.FromMilliseconds(200);
            });
            var log = new RecordingLog();
            var caller = new GraphCaller(log);
            await Assert.ThrowsAsync<GraphException>(() => Get(client, caller));

            using var server = new TestServer(_ => Reply.Json(200, TestClient.TokenJson()), endpoint.Port);
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            await Get(client, caller);
            await Get(client, caller);

            string[] sent = log.Lines.Where(line => line.StartsWith("VERBOSE: GET ", StringComparison.Ordinal) && line.Contains("(client-request-id ", StringComparison.Ordinal)).ToArray();
            Assert.Equal(3, sent.Length);
            Assert.DoesNotContain("single try", sent[0], StringComparison.Ordinal);
            Assert.EndsWith("; a single try, to see whether Graph can be reached again.", sent[1], StringComparison.Ordinal);
            Assert.DoesNotContain("single try", sent[2], StringComparison.Ordinal);
            Assert.Equal(2, server.Requests.Count);
        }

        [Fact]
        public async Task A_probe_cut_short_leaves_the_next_request_free_to_probe()
        {
            Uri endpoint = ClosedPort.Uri();
            GraphClient client = TestClient.For(endpoint, r =>
            {
                r.MaxRetries = 0;
                r.ProbeInterval = TimeSpan.FromMilliseconds(200);
            });
            var caller = new GraphCaller(NullGraphLog.Instance);
            await Assert.ThrowsAsync<GraphException>(() => Get(client, caller));

            int answered = 0;
            using var server = new TestServer(_ => Interlocked.Increment(ref answered) == 1 ? Reply.Hang() : Reply.Json(200, TestClient.TokenJson()), endpoint.Port);
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            using (var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
            {
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Get(client, caller, stop.Token));
            }

            VppToken token = await Get(client, caller);

            Assert.Equal(TestClient.TokenId, token.Id);
            Assert.Equal(2, server.Requests.Count);
        }

        [Theory]
        [InlineData("roles", "Signed in as an app or managed identity", "Signed in as a user")]
        [InlineData("scp", "Signed in as a user", "Signed in as an app or managed identity")]
        public async Task A_403_names_the_way_to_the_permission_for_the_kind_of_sign_in_the_token_came_from(string claim, string expected, string notExpected)
        {
            using var server = new TestServer(Reply.Json(403, """{"error":{"code":"Forbidden","message":"Application is not authorized to perform this operation."}}"""));
            string payload = claim == "roles"
                ? """{"tid":"6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f","roles":["DeviceManagementApps.Read.All"]}"""
                : """{"tid":"6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f","scp":"User.Read"}""";
            var client = new GraphClient(new GraphClientOptions(server.BaseUri) { Retry = new Http.RetrySettings { WriteLimit = 0 } }, new StaticTokenProvider(TestClient.Secure(Jwt(payload))));

            GraphException error = await Assert.ThrowsAsync<GraphException>(() => Get(client, NullGraphLog.Instance));

            Assert.Equal(GraphErrorKind.Forbidden, error.Kind);
            Assert.Contains("DeviceManagementServiceConfig.ReadWrite.All. " + expected, error.Hint, StringComparison.Ordinal);
            Assert.DoesNotContain(notExpected, error.Hint, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_403_for_a_token_that_is_not_a_jwt_gives_both_ways_one_after_the_other()
        {
            using var server = new TestServer(Reply.Json(403, """{"error":{"code":"Forbidden","message":"no"}}"""));
            GraphClient client = TestClient.For(server);

            GraphException error = await Assert.ThrowsAsync<GraphException>(() => Get(client, NullGraphLog.Instance));

            Assert.Contains("ReadWrite.All. Signed in as a user: ", error.Hint, StringComparison.Ordinal);
            Assert.Contains("an Intune role that allows it. Signed in as an app or managed identity: ", error.Hint, StringComparison.Ordinal);
        }

        [Fact]
        public async Task An_error_answer_whose_message_cannot_be_decoded_says_so_and_keeps_the_status()
        {
            // A lone surrogate, escaped: valid JSON, but no .NET string can hold it.
            using var server = new TestServer(Reply.Json(400, "{\"error\":{\"code\":\"BadRequest\",\"message\":\"bad \\ud800 text\"}}"));
            GraphClient client = TestClient.For(server);

            GraphException error = await Assert.ThrowsAsync<GraphException>(() => Get(client, NullGraphLog.Instance));

            Assert.Equal(GraphErrorKind.InvalidResponse, error.Kind);
            Assert.Equal(400, error.StatusCode);
            Assert.Contains("holds text that cannot be decoded", error.Message + " " + error.GraphMessage, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Secrets_a_signing_in_provider_holds_are_masked_where_graph_quotes_them()
        {
            const string clientSecret = "client-secret-Zm9yIHRoZSBhcHA";
            using var server = new TestServer(Reply.Json(400, "{\"error\":{\"code\":\"BadRequest\",\"message\":\"Refused '" + clientSecret + "'.\"}}"));
            var provider = new SecretHoldingProvider(clientSecret);
            var client = new GraphClient(new GraphClientOptions(server.BaseUri) { Retry = new Http.RetrySettings { WriteLimit = 0 } }, provider);

            GraphException error = await Assert.ThrowsAsync<GraphException>(() => Get(client, NullGraphLog.Instance));

            Assert.Same(provider.Secrets, client.Secrets);
            Assert.Equal("Refused '***'.", error.GraphMessage);
            Assert.DoesNotContain(clientSecret, error.Message, StringComparison.Ordinal);
        }

        private static string Jwt(string payload) =>
            Base64Url("""{"alg":"none","typ":"JWT"}""") + "." + Base64Url(payload) + ".c2lnbmF0dXJl";

        private static string Base64Url(string text) =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        /// <summary>A provider that signs in itself, as the client-secret one does: its secret is known before any request.</summary>
        private sealed class SecretHoldingProvider : ITokenProvider, ISecretHolder
        {
            public SecretHoldingProvider(string secret) => Secrets.Add(secret);

            public SentSecrets Secrets { get; } = new();

            public bool CanRefresh => false;

            public Task<AccessTokenInfo> GetTokenAsync(bool forceRefresh, IGraphLog log, CancellationToken cancellationToken) =>
                Task.FromResult(new AccessTokenInfo(TestClient.AccessToken, DateTimeOffset.UtcNow.AddHours(1)));
        }
    }
}
