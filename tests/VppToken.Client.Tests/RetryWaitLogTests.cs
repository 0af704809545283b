using System;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Client.Authentication;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Graph;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>
    /// The waits the retry policy chooses, read from its own log lines ("waiting 0.073 s before attempt 2 of 4"), so
    /// the bounds are exact whatever the machine's load; the gaps the server saw are checked in RetryPolicyTests.
    /// </summary>
    public sealed class RetryWaitLogTests
    {
        private static readonly Regex WaitLine = new(@"waiting (\d+(?:\.\d+)?) s before attempt (\d+) of (\d+)", RegexOptions.CultureInvariant);

        private static double[] LoggedWaitsMs(RecordingLog log) => log.Lines
            .Select(l => WaitLine.Match(l))
            .Where(m => m.Success)
            .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 1000)
            .ToArray();

        private static Task<VppToken> Get(GraphClient client, RecordingLog log) =>
            client.VppTokens.GetAsync(TestClient.TokenId, log, CancellationToken.None);

        [Fact]
        public async Task Without_retry_after_the_backoff_doubles_from_the_base_delay_with_jitter_below_each_step()
        {
            using var server = new TestServer(Reply.Throttled(null), Reply.Throttled(null), Reply.Throttled(null), Reply.Json(200, TestClient.TokenJson()));
            GraphClient client = TestClient.For(server, r =>
            {
                r.BaseDelay = TimeSpan.FromMilliseconds(100);
                r.MaxDelay = TimeSpan.FromSeconds(10);
            });
            var log = new RecordingLog();

            await Get(client, log);

            double[] waits = LoggedWaitsMs(log);
            Assert.Equal(3, waits.Length);
            // Half to all of 100, 200 and 400 ms: the first step is the base delay itself.
            Assert.InRange(waits[0], 50, 100);
            Assert.InRange(waits[1], 100, 200);
            Assert.InRange(waits[2], 200, 400);
        }

        [Fact]
        public async Task The_jitter_never_takes_a_capped_wait_above_max_delay_or_below_half_of_it()
        {
            using var server = new TestServer(Reply.Throttled(null));
            GraphClient client = TestClient.For(server, r =>
            {
                r.MaxRetries = 15;
                r.BaseDelay = TimeSpan.FromMilliseconds(20);
                r.MaxDelay = TimeSpan.FromMilliseconds(20);
            });
            var log = new RecordingLog();

            await Assert.ThrowsAsync<GraphException>(() => Get(client, log));

            double[] waits = LoggedWaitsMs(log);
            Assert.Equal(15, waits.Length);
            Assert.All(waits, w => Assert.InRange(w, 10, 20));
            Assert.True(waits.Distinct().Count() > 1, "every wait was the same: no jitter");
        }

        [Fact]
        public async Task The_attempt_numbers_in_the_log_count_up_to_max_retries_plus_one()
        {
            using var server = new TestServer(Reply.Throttled("0"));
            GraphClient client = TestClient.For(server, r => r.MaxRetries = 2);
            var log = new RecordingLog();

            await Assert.ThrowsAsync<GraphException>(() => Get(client, log));

            Assert.Equal(new[] { "2 of 3", "3 of 3" }, log.Lines.Select(l => WaitLine.Match(l)).Where(m => m.Success)
                .Select(m => m.Groups[2].Value + " of " + m.Groups[3].Value));
            Assert.Contains(log.Lines, l => l.Contains("giving up after 3 tries.", StringComparison.Ordinal));
        }

        [Fact]
        public async Task A_retry_after_beyond_the_wait_left_stops_with_a_hint_to_raise_max_retry_wait()
        {
            using var server = new TestServer(Reply.Throttled("0.2"), Reply.Throttled("30"), Reply.Empty(204));
            GraphClient client = TestClient.For(server, r => r.MaxTotalWait = TimeSpan.FromSeconds(1));
            var log = new RecordingLog();

            GraphException error = await Assert.ThrowsAsync<GraphException>(() => Get(client, log));

            Assert.Equal(2, server.Requests.Count);
            Assert.Equal(GraphErrorKind.Throttled, error.Kind);
            Assert.Equal(
                "Graph asked to wait 30 s before trying again, more than the 0.8 s left of the wait allowed; allow more with Connect-IntuneVpp -MaxRetryWait, or run it again later.",
                error.Hint);
            Assert.Contains(error.Hint!, error.Message, StringComparison.Ordinal);
            Assert.Contains(log.Lines, l => l.Contains("giving up after 2 tries: waiting 30 s more would pass the 1 s total wait allowed.", StringComparison.Ordinal));
        }

        [Fact]
        public async Task Running_out_of_tries_gives_the_max_retries_hint_not_the_wait_hint()
        {
            using var server = new TestServer(Reply.Empty(503, ("Retry-After", "0")));
            GraphClient client = TestClient.For(server, r => r.MaxRetries = 1);

            GraphException error = await Assert.ThrowsAsync<GraphException>(() => Get(client, new RecordingLog()));

            Assert.Equal(GraphErrorKind.ServiceUnavailable, error.Kind);
            Assert.Equal("Gave up after 2 tries; run it again later, or allow more retries with Connect-IntuneVpp -MaxRetries / -MaxRetryWait.", error.Hint);
        }

        [Fact]
        public async Task A_failure_that_is_not_a_transport_failure_is_not_retried_and_is_not_reported_as_no_answer()
        {
            using var server = new TestServer(Reply.Json(200, TestClient.TokenJson()));
            var tokens = new BrokenTokenProvider();
            var client = new GraphClient(
                new GraphClientOptions(server.BaseUri) { Retry = new Http.RetrySettings { MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(5) } },
                tokens);

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Get(client, new RecordingLog()));

            Assert.Equal("the credential is broken", error.Message);
            Assert.Equal(1, tokens.Calls);
            Assert.Empty(server.Requests);
        }

        [Fact]
        public async Task A_wait_that_brings_the_total_exactly_to_the_allowance_is_still_taken()
        {
            using var server = new TestServer(Reply.Throttled("0.2"), Reply.Throttled("0.2"), Reply.Json(200, TestClient.TokenJson()));
            GraphClient client = TestClient.For(server, r =>
            {
                r.MaxRetries = 5;
                r.MaxTotalWait = TimeSpan.FromMilliseconds(400);
            });

            await Get(client, new RecordingLog());

            Assert.Equal(3, server.Requests.Count);
        }

        [Fact]
        public async Task The_last_try_allowed_is_made_and_then_no_more()
        {
            using var server = new TestServer(Reply.Throttled("0"), Reply.Throttled("0"), Reply.Json(200, TestClient.TokenJson()));
            GraphClient client = TestClient.For(server, r => r.MaxRetries = 2);

            VppToken token = await Get(client, new RecordingLog());

            Assert.Equal(TestClient.TokenId, token.Id);
            Assert.Equal(3, server.Requests.Count);
        }

        [Fact]
        public async Task A_retry_line_without_a_request_id_ends_at_the_attempt()
        {
            using var server = new TestServer(Reply.Throttled("0.01"), Reply.Json(200, TestClient.TokenJson()));
            var log = new RecordingLog();

            await Get(TestClient.For(server), log);

            Assert.Contains("VERBOSE: Graph answered 429 Too Many Requests; waiting 0.01 s before attempt 2 of 4.", log.Lines);
        }

        [Fact]
        public async Task Waits_under_ten_seconds_are_told_to_the_millisecond()
        {
            using var server = new TestServer(Reply.Throttled("0.12345"), Reply.Json(200, TestClient.TokenJson()));
            var log = new RecordingLog();

            await Get(TestClient.For(server), log);

            Assert.Contains(log.Lines, l => l.Contains("waiting 0.123 s before attempt 2 of 4", StringComparison.Ordinal));
        }

        [Fact]
        public async Task Waits_of_ten_seconds_and_more_are_told_to_a_tenth_of_a_second()
        {
            using var server = new TestServer(Reply.Throttled("12.345"));
            GraphClient client = TestClient.For(server, r => r.MaxTotalWait = TimeSpan.FromSeconds(1));

            GraphException error = await Assert.ThrowsAsync<GraphException>(() => Get(client, new RecordingLog()));

            Assert.StartsWith("Graph asked to wait 12.3 s before trying again, more than the 1 s left", error.Hint, StringComparison.Ordinal);
        }

        /// <summary>A token source that fails as a misconfigured credential does: not a network problem, so never retried.</summary>
        private sealed class BrokenTokenProvider : ITokenProvider
        {
            private int _calls;

            public int Calls => _calls;

            public bool CanRefresh => true;

            public Task<AccessTokenInfo> GetTokenAsync(bool forceRefresh, IGraphLog log, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref _calls);
                throw new InvalidOperationException("the credential is broken");
            }
        }
    }
}
