using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Graph;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>Writes are paced under the per-app limit so the server never sees more than the limit in a window; reads are not.</summary>
    public sealed class WritePacerTests
    {
        private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(300);

        private static GraphClient PacedClient(TestServer server) => TestClient.For(server, r =>
        {
            r.WriteLimit = 3;
            r.WriteWindow = Window;
        });

        /// <summary>The most requests the server received within any span shorter than <paramref name="window"/>.</summary>
        private static int MostWithin(TestServer server, TimeSpan window)
        {
            TimeSpan[] times = server.Requests.Select(r => r.ReceivedAt).OrderBy(t => t).ToArray();
            int most = 0;
            for (int i = 0; i < times.Length; i++)
            {
                most = Math.Max(most, times.Skip(i).TakeWhile(t => t - times[i] < window).Count());
            }

            return most;
        }

        [Fact]
        public async Task Six_concurrent_patches_never_put_more_than_three_in_one_window()
        {
            using var server = new TestServer(Reply.Empty(204));
            GraphClient client = PacedClient(server);
            var elapsed = Stopwatch.StartNew();

            await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.VppTokens.UpdateAsync(
                TestClient.TokenId, new VppTokenChanges { State = "valid" }, NullGraphLog.Instance, CancellationToken.None)));

            Assert.Equal(6, server.Requests.Count);
            Assert.Equal(3, MostWithin(server, Window));
            Assert.True(elapsed.Elapsed >= Window * 0.95, $"six writes took only {elapsed.Elapsed}");
        }

        [Fact]
        public async Task Sequential_patches_are_paced_too()
        {
            using var server = new TestServer(Reply.Empty(204));
            GraphClient client = PacedClient(server);

            for (int i = 0; i < 5; i++)
            {
                await client.VppTokens.UpdateAsync(TestClient.TokenId, new VppTokenChanges { State = "valid" }, NullGraphLog.Instance, CancellationToken.None);
            }

            Assert.Equal(5, server.Requests.Count);
            Assert.True(MostWithin(server, Window) <= 3, $"{MostWithin(server, Window)} writes in one window");
        }

        [Fact]
        public async Task Reads_are_not_paced()
        {
            using var server = new TestServer(Reply.Json(200, TestClient.TokenJson()));
            GraphClient client = PacedClient(server);

            for (int i = 0; i < 8; i++)
            {
                await client.VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None);
            }

            Assert.Equal(8, server.Requests.Count);
            Assert.True(MostWithin(server, Window) > 3, "reads were held to the write limit");
        }

        [Fact]
        public async Task Cancelling_a_write_waiting_for_a_slot_returns_promptly_without_sending_it()
        {
            using var server = new TestServer(Reply.Empty(204));
            GraphClient client = TestClient.For(server, r =>
            {
                r.WriteLimit = 1;
                r.WriteWindow = TimeSpan.FromSeconds(30);
            });
            await client.VppTokens.UpdateAsync(TestClient.TokenId, new VppTokenChanges { State = "valid" }, NullGraphLog.Instance, CancellationToken.None);
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            var elapsed = Stopwatch.StartNew();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.VppTokens.UpdateAsync(
                TestClient.TokenId, new VppTokenChanges { State = "valid" }, NullGraphLog.Instance, cancel.Token));

            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(2), $"took {elapsed.Elapsed} to stop");
            Assert.Single(server.Requests);
        }

        private static double LoggedPacingWaitSeconds(RecordingLog log)
        {
            Match match = Assert.Single(log.Lines.Select(l => Regex.Match(l, @"Pacing writes under the limit of 1 per 1 s; waiting up to (\d+(?:\.\d+)?) s\.")), m => m.Success);
            return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        private static GraphClient OneWritePerSecond(TestServer server) => TestClient.For(server, r =>
        {
            r.WriteLimit = 1;
            r.WriteWindow = TimeSpan.FromSeconds(1);
        });

        private static Task<VppToken?> Write(GraphClient client, IGraphLog log) =>
            client.VppTokens.UpdateAsync(TestClient.TokenId, new VppTokenChanges { State = "valid" }, log, CancellationToken.None);

        [Fact]
        public async Task A_write_right_after_a_full_window_waits_for_the_rest_of_the_window_in_one_wait()
        {
            using var server = new TestServer(Reply.Empty(204));
            GraphClient client = OneWritePerSecond(server);
            var log = new RecordingLog();
            await Write(client, NullGraphLog.Instance);

            await Write(client, log);

            // Waiting the window out, not polling in small steps: the one wait announced covers most of the second.
            Assert.InRange(LoggedPacingWaitSeconds(log), 0.5, 1.0);
            Assert.Equal(2, server.Requests.Count);
            Assert.True(server.Requests[1].ReceivedAt - server.Requests[0].ReceivedAt >= TimeSpan.FromSeconds(0.95),
                $"the second write came {server.Requests[1].ReceivedAt - server.Requests[0].ReceivedAt} after the first");
        }

        [Fact]
        public async Task A_write_later_in_the_window_waits_only_what_is_left_of_it()
        {
            using var server = new TestServer(Reply.Empty(204));
            GraphClient client = OneWritePerSecond(server);
            var log = new RecordingLog();
            await Write(client, NullGraphLog.Instance);
            await Task.Delay(TimeSpan.FromMilliseconds(600));

            await Write(client, log);

            // About 0.4 s are left; a pacer that added the time already gone would wait 1.6 s.
            Assert.InRange(LoggedPacingWaitSeconds(log), 0.0, 0.45);
            Assert.True(server.Requests[1].ReceivedAt - server.Requests[0].ReceivedAt >= TimeSpan.FromSeconds(0.95),
                $"the second write came {server.Requests[1].ReceivedAt - server.Requests[0].ReceivedAt} after the first");
        }

        [Fact]
        public async Task A_write_after_the_window_has_passed_is_not_held_at_all()
        {
            using var server = new TestServer(Reply.Empty(204));
            GraphClient client = TestClient.For(server, r =>
            {
                r.WriteLimit = 1;
                r.WriteWindow = TimeSpan.FromMilliseconds(200);
            });
            var log = new RecordingLog();
            await Write(client, NullGraphLog.Instance);
            await Task.Delay(TimeSpan.FromMilliseconds(300));

            await Write(client, log);

            Assert.DoesNotContain(log.Lines, l => l.Contains("Pacing", StringComparison.Ordinal));
        }

        [Fact]
        public async Task A_write_waiting_for_a_slot_still_in_flight_goes_once_that_answer_is_in_and_a_window_has_passed()
        {
            // The first write's answer takes 300 ms; its slot is freed only then, so the second goes a window later.
            using var server = new TestServer(request => request.Index == 0 ? Reply.Empty(204) with { Delay = TimeSpan.FromMilliseconds(300) } : Reply.Empty(204));
            GraphClient client = TestClient.For(server, r =>
            {
                r.WriteLimit = 1;
                r.WriteWindow = TimeSpan.FromMilliseconds(400);
            });
            var log = new RecordingLog();

            Task first = Write(client, NullGraphLog.Instance);
            await RetryPolicyTests.WaitUntil(() => server.Requests.Count == 1);
            Task second = Write(client, log);
            await Task.WhenAll(first, second);

            Assert.Equal(2, server.Requests.Count);
            Assert.True(server.Requests[1].ReceivedAt - server.Requests[0].ReceivedAt >= TimeSpan.FromMilliseconds(300 + 380),
                $"the second write came {server.Requests[1].ReceivedAt - server.Requests[0].ReceivedAt} after the first");
            Assert.Single(log.Lines, l => l.Contains("Pacing", StringComparison.Ordinal));
        }
    }
}
