using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Graph;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>
    /// Failures before a whole answer arrived: a dropped connection, a server that never answers, nobody listening.
    /// Replayable calls are tried again; a call that may have been applied is not.
    /// </summary>
    public sealed class TransportFailureTests
    {
        private static readonly byte[] CreateBody = "{\"token\":\"x\"}"u8.ToArray();

        private static Task<GraphResponse> Create(GraphClient client) => client.SendAsync(
            RequestMethod.Post, client.UriFor("deviceAppManagement/vppTokens"), CreateBody,
            isWrite: true, replayable: false, NullGraphLog.Instance, CancellationToken.None);

        [Fact]
        public async Task A_connection_reset_mid_body_is_retried_for_a_patch()
        {
            using var server = new TestServer(Reply.ResetMidBody(), Reply.Json(200, TestClient.TokenJson()));
            GraphClient client = TestClient.For(server);

            VppToken? updated = await client.VppTokens.UpdateAsync(
                TestClient.TokenId, new VppTokenChanges { CountryOrRegion = "us" }, NullGraphLog.Instance, CancellationToken.None);

            Assert.Equal(TestClient.TokenId, updated?.Id);
            Assert.Equal(2, server.Requests.Count);
            Assert.Equal(server.Requests[0].BodyText, server.Requests[1].BodyText);
        }

        [Fact]
        public async Task A_connection_reset_mid_body_is_retried_for_a_get()
        {
            using var server = new TestServer(Reply.ResetMidBody(), Reply.ResetMidBody(), Reply.Json(200, TestClient.TokenJson()));
            GraphClient client = TestClient.For(server);

            VppToken token = await client.VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None);

            Assert.Equal(TestClient.TokenId, token.Id);
            Assert.Equal(3, server.Requests.Count);
        }

        [Fact]
        public async Task Resets_on_every_try_end_in_no_answer_after_all_tries()
        {
            using var server = new TestServer(Reply.ResetMidBody());
            GraphClient client = TestClient.For(server, r => r.MaxRetries = 2);

            GraphException error = await Assert.ThrowsAsync<GraphException>(
                () => client.VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None));

            Assert.Equal(GraphErrorKind.NoAnswer, error.Kind);
            Assert.Equal(3, server.Requests.Count);
            Assert.Contains("3 tries", error.Message, StringComparison.Ordinal);
            Assert.Equal(server.Requests[0].Header("client-request-id"), error.ClientRequestId);
        }

        [Fact]
        public async Task A_connection_reset_is_not_retried_for_a_call_that_may_not_be_replayed()
        {
            using var server = new TestServer(Reply.ResetMidBody(), Reply.Empty(201));
            GraphClient client = TestClient.For(server);

            GraphException error = await Assert.ThrowsAsync<GraphException>(() => Create(client));

            Assert.Equal(GraphErrorKind.NoAnswer, error.Kind);
            Assert.Single(server.Requests);
            Assert.Contains("not sent again", error.Hint, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_server_that_never_answers_gives_no_answer_after_the_per_try_timeouts()
        {
            using var server = new TestServer(Reply.Hang());
            GraphClient client = TestClient.For(server, r =>
            {
                r.NetworkTimeout = TimeSpan.FromMilliseconds(250);
                r.MaxRetries = 1;
            });
            var elapsed = Stopwatch.StartNew();

            GraphException error = await Assert.ThrowsAsync<GraphException>(
                () => client.VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None));

            Assert.Equal(GraphErrorKind.NoAnswer, error.Kind);
            Assert.Equal(2, server.Requests.Count);
            Assert.InRange(elapsed.Elapsed.TotalSeconds, 0.45, 3);
            Assert.Contains("time allowed", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_server_that_never_answers_a_create_is_asked_once()
        {
            using var server = new TestServer(Reply.Hang());
            GraphClient client = TestClient.For(server, r => r.NetworkTimeout = TimeSpan.FromMilliseconds(200));

            GraphException error = await Assert.ThrowsAsync<GraphException>(() => Create(client));

            Assert.Equal(GraphErrorKind.NoAnswer, error.Kind);
            Assert.Single(server.Requests);
            Assert.NotNull(error.Hint);
        }

        [Fact]
        public async Task A_retry_after_longer_than_the_per_try_timeout_is_waited_out_not_cut_short()
        {
            using var server = new TestServer(Reply.Throttled("0.6"), Reply.Empty(204));
            GraphClient client = TestClient.For(server, r => r.NetworkTimeout = TimeSpan.FromMilliseconds(200));

            await client.VppTokens.UpdateAsync(TestClient.TokenId, new VppTokenChanges { State = "valid" }, NullGraphLog.Instance, CancellationToken.None);

            Assert.Equal(2, server.Requests.Count);
            Assert.InRange((server.Requests[1].ReceivedAt - server.Requests[0].ReceivedAt).TotalSeconds, 0.58, 3);
        }

        [Fact]
        public async Task A_slow_answer_within_the_per_try_timeout_is_not_retried()
        {
            using var server = new TestServer(Reply.Json(200, TestClient.TokenJson()) with { Delay = TimeSpan.FromMilliseconds(150) });
            GraphClient client = TestClient.For(server, r => r.NetworkTimeout = TimeSpan.FromSeconds(2));

            VppToken token = await client.VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None);

            Assert.Equal(TestClient.TokenId, token.Id);
            Assert.Single(server.Requests);
        }

        [Fact]
        public async Task Cancelling_while_the_server_hangs_returns_promptly_as_cancellation()
        {
            using var server = new TestServer(Reply.Hang());
            GraphClient client = TestClient.For(server, r => r.NetworkTimeout = TimeSpan.FromSeconds(30));
            using var cancel = new CancellationTokenSource();
            Task<VppToken> call = client.VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, cancel.Token);
            await RetryPolicyTests.WaitUntil(() => server.Requests.Count == 1);
            var elapsed = Stopwatch.StartNew();

            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(2), $"took {elapsed.Elapsed} to stop");
            Assert.Single(server.Requests);
        }

        [Fact]
        public async Task A_refused_connection_is_retried_even_for_a_create_since_nothing_was_sent()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            GraphClient client = TestClient.For(new Uri($"http://127.0.0.1:{port}/"), r => r.MaxRetries = 2);

            GraphException error = await Assert.ThrowsAsync<GraphException>(() => Create(client));

            Assert.Equal(GraphErrorKind.NoAnswer, error.Kind);
            Assert.Contains("3 tries", error.Message, StringComparison.Ordinal);
        }
    }
}
