using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Graph;
using IntuneVpp.Client.Http;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>The waits between tries, as a caller that shows them (a progress bar) is told of them.</summary>
    public sealed class RetryWaitTests
    {
        [Fact]
        public async Task A_throttled_request_reports_its_wait_counting_down_then_over()
        {
            using var server = new TestServer(Reply.Throttled("1.5"), Reply.Json(200, TestClient.TokenJson()));
            GraphClient client = TestClient.For(server);
            var waits = new RecordingWaits();

            await client.VppTokens.GetAsync(TestClient.TokenId, new GraphCaller(NullGraphLog.Instance, waits), CancellationToken.None);

            RetryWait[] reports = waits.Reports.ToArray();
            Assert.Equal(2, server.Requests.Count);
            Assert.Equal(new[] { 1.5, 0.5, 0 }, reports.Select(r => r.Remaining.TotalSeconds));
            Assert.Single(reports.Select(r => r.Id).Distinct());
            Assert.All(reports, r =>
            {
                Assert.Equal("Graph is throttling", r.Reason);
                Assert.Equal(TimeSpan.FromSeconds(1.5), r.Duration);
                Assert.Equal(2, r.NextAttempt);
                Assert.Equal(4, r.MaxAttempts);
                Assert.Equal($"GET /v1.0/deviceAppManagement/vppTokens/{TestClient.TokenId}", r.Request);
            });
            Assert.Equal("Graph is throttling: waiting 2 s, attempt 2 of 4", reports[0].ToString());
            Assert.Equal("Graph is throttling: waiting 1 s, attempt 2 of 4", reports[1].ToString());
            Assert.True(reports[^1].IsOver);
            Assert.Single(reports, r => r.IsOver);
        }

        [Fact]
        public async Task The_countdown_reports_a_second_apart_and_the_wait_lasts_what_graph_asked()
        {
            using var server = new TestServer(Reply.Throttled("1.5"), Reply.Json(200, TestClient.TokenJson()));
            GraphClient client = TestClient.For(server);
            var waits = new RecordingWaits();

            await client.VppTokens.GetAsync(TestClient.TokenId, new GraphCaller(NullGraphLog.Instance, waits), CancellationToken.None);

            double[] at = waits.Times.Select(t => t.TotalSeconds).ToArray();
            Assert.Equal(3, at.Length);
            // 1.5 s left at once, 0.5 s left a second later, over at 1.5 s: a timer is late, never early, so the bounds
            // below the marks are exact and the ones above leave room for a busy machine.
            Assert.InRange(at[1] - at[0], 0.95, 1.3);
            Assert.InRange(at[2] - at[0], 1.45, 1.9);
            Assert.True(at[2] - at[1] >= 0.25, $"the 0.5 s report came {at[2] - at[1]:0.000} s before the end of the wait, not about half a second");
        }

        [Fact]
        public async Task A_wait_of_whole_seconds_is_reported_over_once()
        {
            using var server = new TestServer(Reply.Throttled("1"), Reply.Json(200, TestClient.TokenJson()));
            GraphClient client = TestClient.For(server);
            var waits = new RecordingWaits();

            await client.VppTokens.GetAsync(TestClient.TokenId, new GraphCaller(NullGraphLog.Instance, waits), CancellationToken.None);

            Assert.Equal(new[] { 1.0, 0 }, waits.Reports.Select(r => r.Remaining.TotalSeconds));
        }

        [Theory]
        [InlineData(503, "Graph is unavailable")]
        [InlineData(504, "Graph's gateway timed out")]
        public async Task A_busy_service_reports_its_wait_for_what_graph_said(int status, string reason)
        {
            using var server = new TestServer(Reply.Json(status, "{}", ("Retry-After", "0.1")), Reply.Json(200, TestClient.TokenJson()));
            GraphClient client = TestClient.For(server);
            var waits = new RecordingWaits();

            await client.VppTokens.GetAsync(TestClient.TokenId, new GraphCaller(NullGraphLog.Instance, waits), CancellationToken.None);

            Assert.NotEmpty(waits.Reports);
            Assert.All(waits.Reports, r => Assert.Equal(reason, r.Reason));
        }

        [Fact]
        public async Task A_refused_connection_reports_waits_as_graph_not_reached()
        {
            Uri closed = ClosedPort.Uri();
            GraphClient client = TestClient.For(closed, r => r.MaxRetries = 1);
            var waits = new RecordingWaits();

            await Assert.ThrowsAsync<GraphException>(() =>
                client.VppTokens.GetAsync(TestClient.TokenId, new GraphCaller(NullGraphLog.Instance, waits), CancellationToken.None));

            Assert.NotEmpty(waits.Reports);
            Assert.All(waits.Reports, r => Assert.Equal("Graph could not be reached", r.Reason));
        }

        [Fact]
        public async Task A_stop_during_a_wait_still_reports_it_over()
        {
            using var server = new TestServer(Reply.Throttled("30"), Reply.Json(200, TestClient.TokenJson()));
            GraphClient client = TestClient.For(server, r => r.MaxTotalWait = TimeSpan.FromMinutes(1));
            var waits = new RecordingWaits();
            using var cancel = new CancellationTokenSource();
            Task call = client.VppTokens.GetAsync(TestClient.TokenId, new GraphCaller(NullGraphLog.Instance, waits), cancel.Token);
            await RetryPolicyTests.WaitUntil(() => !waits.Reports.IsEmpty);

            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

            Assert.True(waits.Reports.Last().IsOver);
            Assert.Single(server.Requests);
        }

        private sealed class RecordingWaits : IRetryWaitObserver
        {
            private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

            public ConcurrentQueue<RetryWait> Reports { get; } = new();

            /// <summary>When each report came, from this recorder's creation.</summary>
            public ConcurrentQueue<TimeSpan> Times { get; } = new();

            public void Waiting(RetryWait wait)
            {
                Times.Enqueue(_clock.Elapsed);
                Reports.Enqueue(wait);
            }
        }
    }
}
