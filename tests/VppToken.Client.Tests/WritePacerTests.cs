using System;
using System.Diagnostics;
using System.Linq;
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
    }
}
