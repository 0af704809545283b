using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Azure;
using IntuneVpp.Client.Graph;
using IntuneVpp.Client.Http;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>A failure before any answer is told by its cause, not by the wrappers around it.</summary>
    public sealed class FailureDescriptionTests
    {
        [Fact]
        public void The_wrappers_are_taken_off_down_to_the_cause()
        {
            var failure = new RequestFailedException("outer", new HttpRequestException("middle", new AggregateException(new IOException("the cause"))));

            Assert.Equal("the cause", GraphRetryPolicy.Describe(failure));
        }

        [Fact]
        public void A_wrapper_with_nothing_inside_is_told_by_its_own_message()
        {
            Assert.Equal("alone", GraphRetryPolicy.Describe(new HttpRequestException("alone")));
        }

        [Fact]
        public void A_cause_that_is_not_a_wrapper_keeps_what_it_wraps()
        {
            Assert.Equal("read failed", GraphRetryPolicy.Describe(new IOException("read failed", new InvalidOperationException("deeper"))));
        }

        [Theory]
        [InlineData(typeof(TaskCanceledException))]
        [InlineData(typeof(OperationCanceledException))]
        public void A_cancelled_try_is_told_as_the_time_allowed_running_out(Type type)
        {
            var cancelled = (Exception)Activator.CreateInstance(type)!;

            Assert.Equal("no answer within the time allowed for one try", GraphRetryPolicy.Describe(new HttpRequestException("wrapped", cancelled)));
        }

        [Fact]
        public async Task The_retry_line_for_a_dropped_connection_names_the_failure()
        {
            using var server = new TestServer(Reply.ResetMidBody(), Reply.Json(200, TestClient.TokenJson()));
            var log = new RecordingLog();

            await TestClient.For(server).VppTokens.GetAsync(TestClient.TokenId, log, CancellationToken.None);

            Assert.Contains(log.Lines, l => l.StartsWith("VERBOSE: The request failed before an answer (", StringComparison.Ordinal) &&
                                            l.Contains("); waiting ", StringComparison.Ordinal) && l.EndsWith(" before attempt 2 of 4.", StringComparison.Ordinal));
        }
    }
}
