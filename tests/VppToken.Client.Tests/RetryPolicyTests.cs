using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Graph;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>Answers Graph says are worth retrying (429, 503, 504) are retried, waiting what the server asks, within the caps.</summary>
    public sealed class RetryPolicyTests
    {
        private static readonly VppTokenChanges Changes = new() { AutomaticallyUpdateApps = false };

        private static Task<VppToken?> Patch(GraphClient client, CancellationToken cancellationToken = default) =>
            client.VppTokens.UpdateAsync(TestClient.TokenId, Changes, NullGraphLog.Instance, cancellationToken);

        private static double GapSeconds(TestServer server, int later) =>
            (server.Requests[later].ReceivedAt - server.Requests[later - 1].ReceivedAt).TotalSeconds;

        [Fact]
        public async Task A_429_with_retry_after_then_success_succeeds_after_waiting_the_header()
        {
            using var server = new TestServer(Reply.Throttled("0.3"), Reply.Empty(204));
            GraphClient client = TestClient.For(server);

            VppToken? updated = await Patch(client);

            Assert.Null(updated);
            Assert.Equal(2, server.Requests.Count);
            Assert.All(server.Requests, r => Assert.Equal("PATCH", r.Method));
            Assert.Equal(server.Requests[0].BodyText, server.Requests[1].BodyText);
            Assert.InRange(GapSeconds(server, 1), 0.28, 3);
        }

        [Fact]
        public async Task A_listed_retry_after_waits_the_first_entry_only()
        {
            using var server = new TestServer(Reply.Throttled("0.1,5"), Reply.Empty(204));
            GraphClient client = TestClient.For(server);
            var elapsed = Stopwatch.StartNew();

            await Patch(client);

            Assert.Equal(2, server.Requests.Count);
            Assert.InRange(GapSeconds(server, 1), 0.09, 2);
            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(4), $"took {elapsed.Elapsed}");
        }

        [Fact]
        public async Task A_retry_after_of_zero_retries_at_once()
        {
            using var server = new TestServer(Reply.Throttled("0"), Reply.Throttled("0.05"), Reply.Empty(204));
            GraphClient client = TestClient.For(server);

            await Patch(client);

            Assert.Equal(3, server.Requests.Count);
        }

        [Fact]
        public async Task A_retry_after_longer_than_the_backoff_is_honoured_rather_than_the_backoff()
        {
            using var server = new TestServer(Reply.Throttled("0.4"), Reply.Empty(204));
            GraphClient client = TestClient.For(server, r => r.MaxDelay = TimeSpan.FromMilliseconds(20));

            await Patch(client);

            Assert.InRange(GapSeconds(server, 1), 0.38, 3);
        }

        [Fact]
        public async Task A_retry_after_shorter_than_the_backoff_replaces_the_backoff()
        {
            using var server = new TestServer(Reply.Throttled("0.05"), Reply.Empty(204));
            GraphClient client = TestClient.For(server, r =>
            {
                r.BaseDelay = TimeSpan.FromSeconds(20);
                r.MaxDelay = TimeSpan.FromSeconds(20);
            });

            await Patch(client);

            Assert.Equal(2, server.Requests.Count);
            Assert.InRange(GapSeconds(server, 1), 0.04, 5);
        }

        [Fact]
        public async Task A_429_without_retry_after_backs_off_exponentially()
        {
            using var server = new TestServer(Reply.Throttled(null), Reply.Throttled(null), Reply.Throttled(null), Reply.Empty(204));
            GraphClient client = TestClient.For(server, r =>
            {
                r.BaseDelay = TimeSpan.FromMilliseconds(100);
                r.MaxDelay = TimeSpan.FromSeconds(1);
            });

            await Patch(client);

            Assert.Equal(4, server.Requests.Count);
            // Half to all of 100, 200, 400 ms.
            Assert.InRange(GapSeconds(server, 1), 0.045, 2);
            Assert.InRange(GapSeconds(server, 2), 0.095, 2);
            Assert.InRange(GapSeconds(server, 3), 0.195, 2);
        }

        [Fact]
        public async Task The_backoff_never_exceeds_max_delay()
        {
            using var server = new TestServer(Reply.Throttled(null), Reply.Throttled(null), Reply.Throttled(null), Reply.Empty(204));
            GraphClient client = TestClient.For(server, r =>
            {
                r.BaseDelay = TimeSpan.FromSeconds(10);
                r.MaxDelay = TimeSpan.FromMilliseconds(60);
            });
            var elapsed = Stopwatch.StartNew();

            await Patch(client);

            Assert.Equal(4, server.Requests.Count);
            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(3), $"took {elapsed.Elapsed}");
        }

        [Theory]
        [InlineData(503, "PATCH")]
        [InlineData(504, "PATCH")]
        [InlineData(503, "GET")]
        [InlineData(504, "GET")]
        [InlineData(429, "GET")]
        public async Task A_retryable_status_is_retried_for_a_replayable_call(int status, string method)
        {
            using var server = new TestServer(Reply.Empty(status, ("Retry-After", "0.05")), Reply.Json(200, TestClient.TokenJson()));
            GraphClient client = TestClient.For(server);

            VppToken? token = method == "GET"
                ? await client.VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None)
                : await Patch(client);

            Assert.Equal(TestClient.TokenId, token?.Id);
            Assert.Equal(2, server.Requests.Count);
            Assert.All(server.Requests, r => Assert.Equal(method, r.Method));
        }

        [Theory]
        [InlineData(400)]
        [InlineData(404)]
        [InlineData(409)]
        [InlineData(500)]
        [InlineData(502)]
        public async Task Other_errors_are_not_retried(int status)
        {
            using var server = new TestServer(Reply.Empty(status, ("Retry-After", "0")), Reply.Empty(204));
            GraphClient client = TestClient.For(server);

            await Assert.ThrowsAsync<GraphException>(() => Patch(client));

            Assert.Single(server.Requests);
        }

        [Fact]
        public async Task Max_retries_caps_the_tries_and_the_error_says_how_many()
        {
            using var server = new TestServer(Reply.Throttled("0.01"));
            GraphClient client = TestClient.For(server, r => r.MaxRetries = 2);

            GraphException error = await Assert.ThrowsAsync<GraphException>(() => Patch(client));

            Assert.Equal(3, server.Requests.Count);
            Assert.Equal(GraphErrorKind.Throttled, error.Kind);
            Assert.Equal(429, error.StatusCode);
            Assert.Contains("3 tries", error.Hint, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Zero_retries_means_one_try()
        {
            using var server = new TestServer(Reply.Empty(503, ("Retry-After", "0")));
            GraphClient client = TestClient.For(server, r => r.MaxRetries = 0);

            GraphException error = await Assert.ThrowsAsync<GraphException>(() => Patch(client));

            Assert.Single(server.Requests);
            Assert.Equal(GraphErrorKind.ServiceUnavailable, error.Kind);
        }

        [Fact]
        public async Task A_retry_after_beyond_the_total_wait_allowed_is_not_waited_for()
        {
            using var server = new TestServer(Reply.Throttled("30"), Reply.Empty(204));
            GraphClient client = TestClient.For(server, r => r.MaxTotalWait = TimeSpan.FromSeconds(1));
            var elapsed = Stopwatch.StartNew();

            GraphException error = await Assert.ThrowsAsync<GraphException>(() => Patch(client));

            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(3), $"took {elapsed.Elapsed}");
            Assert.Single(server.Requests);
            Assert.Equal(GraphErrorKind.Throttled, error.Kind);
        }

        [Fact]
        public async Task The_total_wait_counts_every_wait_of_one_call()
        {
            // Three waits of 0.2 s would pass 0.5 s: the third is not taken.
            using var server = new TestServer(Reply.Throttled("0.2"));
            GraphClient client = TestClient.For(server, r =>
            {
                r.MaxRetries = 10;
                r.MaxTotalWait = TimeSpan.FromMilliseconds(500);
            });

            await Assert.ThrowsAsync<GraphException>(() => Patch(client));

            Assert.Equal(3, server.Requests.Count);
        }

        [Fact]
        public async Task A_504_is_not_retried_for_a_call_that_may_not_be_replayed()
        {
            using var server = new TestServer(Reply.Empty(504, ("Retry-After", "0")), Reply.Empty(201));
            GraphClient client = TestClient.For(server);

            GraphException error = await Assert.ThrowsAsync<GraphException>(() => client.SendAsync(
                RequestMethod.Post, client.UriFor("deviceAppManagement/vppTokens"), "{\"token\":\"x\"}"u8.ToArray(),
                isWrite: true, replayable: false, NullGraphLog.Instance, CancellationToken.None));

            Assert.Equal(GraphErrorKind.GatewayTimeout, error.Kind);
            Assert.Single(server.Requests);
        }

        [Fact]
        public async Task A_429_is_retried_even_for_a_call_that_may_not_be_replayed()
        {
            using var server = new TestServer(Reply.Throttled("0.01"), Reply.Empty(201));
            GraphClient client = TestClient.For(server);

            await client.SendAsync(
                RequestMethod.Post, client.UriFor("deviceAppManagement/vppTokens"), "{\"token\":\"x\"}"u8.ToArray(),
                isWrite: true, replayable: false, NullGraphLog.Instance, CancellationToken.None);

            Assert.Equal(2, server.Requests.Count);
            Assert.All(server.Requests, r => Assert.Equal("{\"token\":\"x\"}", r.BodyText));
        }

        [Fact]
        public async Task Cancelling_during_a_retry_after_wait_returns_promptly()
        {
            using var server = new TestServer(Reply.Throttled("30"));
            GraphClient client = TestClient.For(server, r => r.MaxTotalWait = TimeSpan.FromMinutes(5));
            using var cancel = new CancellationTokenSource();
            Task<VppToken?> call = Patch(client, cancel.Token);
            await WaitUntil(() => server.Requests.Count == 1);
            await Task.Delay(100);
            var elapsed = Stopwatch.StartNew();

            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(2), $"took {elapsed.Elapsed} to stop");
            Assert.Single(server.Requests);
        }

        [Fact]
        public async Task The_retry_wait_and_its_reason_are_logged()
        {
            using var server = new TestServer(Reply.Empty(429, ("Retry-After", "0.05"), ("request-id", "44444444-0000-0000-0000-000000000004")), Reply.Empty(204));
            GraphClient client = TestClient.For(server);
            var log = new RecordingLog();

            await client.VppTokens.UpdateAsync(TestClient.TokenId, Changes, log, CancellationToken.None);

            string retryLine = Assert.Single(log.Lines, l => l.Contains("429", StringComparison.Ordinal) && l.Contains("waiting", StringComparison.Ordinal));
            Assert.Contains("0.05 s", retryLine, StringComparison.Ordinal);
            Assert.Contains("44444444-0000-0000-0000-000000000004", retryLine, StringComparison.Ordinal);
        }

        internal static async Task WaitUntil(Func<bool> condition)
        {
            var limit = Stopwatch.StartNew();
            while (!condition())
            {
                Assert.True(limit.Elapsed < TimeSpan.FromSeconds(10), "the condition never became true");
                await Task.Delay(10);
            }
        }
    }
}
