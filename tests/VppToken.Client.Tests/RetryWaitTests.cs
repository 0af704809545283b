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
            public ConcurrentQueue<RetryWait> Reports { get; } = new();

            public void Waiting(RetryWait wait) => Reports.Enqueue(wait);
        }
    }
}
