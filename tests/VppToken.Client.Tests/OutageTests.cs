using System;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Graph;
using IntuneVpp.Client.Http;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>
    /// One caller's requests while Graph cannot be reached at all: the first spends its retries, the rest fail at once
    /// unsent, and after the probe interval a single try finds out whether Graph is back.
    /// </summary>
    public sealed class OutageTests
    {
        [Fact]
        public async Task After_one_request_spent_its_tries_on_a_TLS_failure_the_callers_next_requests_are_not_sent()
        {
            using var server = new TlsBreakingServer();
            GraphClient client = TestClient.For(new Uri($"https://127.0.0.1:{server.Port.ToString(CultureInfo.InvariantCulture)}/"), r => r.MaxRetries = 2);
            var caller = new GraphCaller(NullGraphLog.Instance);

            GraphException first = await Assert.ThrowsAsync<GraphException>(() => Get(client, caller));
            GraphException second = await Assert.ThrowsAsync<GraphException>(() => Get(client, caller));
            GraphException third = await Assert.ThrowsAsync<GraphException>(() => Get(client, caller));

            Assert.Equal(3, server.Connections);
            Assert.Equal(GraphErrorKind.NoAnswer, first.Kind);
            Assert.Equal(3, first.Attempts);
            Assert.Contains("TLS", first.Message, StringComparison.Ordinal);
            Assert.Equal(GraphErrorKind.Unreachable, second.Kind);
            Assert.Equal(0, second.Attempts);
            Assert.Contains("was not sent", second.Message, StringComparison.Ordinal);
            Assert.Contains("3 tries", second.Message, StringComparison.Ordinal);
            Assert.Equal(GraphErrorKind.Unreachable, third.Kind);
        }

        [Fact]
        public async Task Requests_of_a_plain_log_or_another_caller_each_stand_alone()
        {
            using var server = new TlsBreakingServer();
            GraphClient client = TestClient.For(new Uri($"https://127.0.0.1:{server.Port.ToString(CultureInfo.InvariantCulture)}/"), r => r.MaxRetries = 1);

            await Assert.ThrowsAsync<GraphException>(() => Get(client, new GraphCaller(NullGraphLog.Instance)));
            await Assert.ThrowsAsync<GraphException>(() => Get(client, new GraphCaller(NullGraphLog.Instance)));
            await Assert.ThrowsAsync<GraphException>(() => Get(client, NullGraphLog.Instance));
            await Assert.ThrowsAsync<GraphException>(() => Get(client, NullGraphLog.Instance));

            Assert.Equal(8, server.Connections);
        }

        [Fact]
        public async Task Once_the_probe_interval_has_passed_one_try_reaches_Graph_again_and_the_rest_go_on()
        {
            Uri endpoint = ClosedPort.Uri();
            GraphClient client = TestClient.For(endpoint, r =>
            {
                r.MaxRetries = 2;
                r.ProbeInterval = TimeSpan.FromMilliseconds(400);
            });
            var caller = new GraphCaller(NullGraphLog.Instance);
            Assert.Equal(GraphErrorKind.NoAnswer, (await Assert.ThrowsAsync<GraphException>(() => Get(client, caller))).Kind);

            using var server = new TestServer(_ => Reply.Json(200, TestClient.TokenJson()), endpoint.Port);
            GraphException beforeProbe = await Assert.ThrowsAsync<GraphException>(() => Get(client, caller));
            Assert.Equal(GraphErrorKind.Unreachable, beforeProbe.Kind);
            Assert.Empty(server.Requests);

            await Task.Delay(TimeSpan.FromMilliseconds(500));
            VppToken probe = await Get(client, caller);
            VppToken after = await Get(client, caller);

            Assert.Equal(TestClient.TokenId, probe.Id);
            Assert.Equal(TestClient.TokenId, after.Id);
            Assert.Equal(2, server.Requests.Count);
        }

        [Fact]
        public async Task A_failed_probe_is_a_single_try_and_the_next_requests_fail_at_once_again()
        {
            using var server = new TlsBreakingServer();
            GraphClient client = TestClient.For(new Uri($"https://127.0.0.1:{server.Port.ToString(CultureInfo.InvariantCulture)}/"), r =>
            {
                r.MaxRetries = 3;
                r.ProbeInterval = TimeSpan.FromMilliseconds(200);
            });
            var caller = new GraphCaller(NullGraphLog.Instance);
            await Assert.ThrowsAsync<GraphException>(() => Get(client, caller));
            Assert.Equal(4, server.Connections);

            await Task.Delay(TimeSpan.FromMilliseconds(300));
            GraphException probe = await Assert.ThrowsAsync<GraphException>(() => Get(client, caller));
            GraphException next = await Assert.ThrowsAsync<GraphException>(() => Get(client, caller));

            Assert.Equal(GraphErrorKind.NoAnswer, probe.Kind);
            Assert.Equal(1, probe.Attempts);
            Assert.Equal(GraphErrorKind.Unreachable, next.Kind);
            Assert.Equal(5, server.Connections);
        }

        [Fact]
        public async Task An_error_answer_is_Graph_reached_so_the_next_request_is_sent()
        {
            using var server = new TestServer(Reply.Json(500, "{\"error\":{\"code\":\"UnknownError\",\"message\":\"\"}}"), Reply.Json(200, TestClient.TokenJson()));
            GraphClient client = TestClient.For(server);
            var caller = new GraphCaller(NullGraphLog.Instance);

            await Assert.ThrowsAsync<GraphException>(() => Get(client, caller));
            VppToken token = await Get(client, caller);

            Assert.Equal(TestClient.TokenId, token.Id);
            Assert.Equal(2, server.Requests.Count);
        }

        public static TheoryData<Exception, bool> Failures => new()
        {
            { new HttpRequestException("x", new SocketException((int)SocketError.ConnectionRefused)), true },
            { new HttpRequestException("x", new SocketException((int)SocketError.HostNotFound)), true },
            { new HttpRequestException("x", new SocketException((int)SocketError.TryAgain)), true },
            { new HttpRequestException("x", new AuthenticationException("bad certificate")), true },
            { new HttpRequestException("x", new WebException("x", WebExceptionStatus.NameResolutionFailure)), true },
            { new HttpRequestException("x", new WebException("x", WebExceptionStatus.TrustFailure)), true },
            { new HttpRequestException("x", new SocketException((int)SocketError.ConnectionReset)), false },
            { new HttpRequestException("x", new IOException("The response ended prematurely.")), false },
            { new TaskCanceledException("timeout"), false },
            { new HttpRequestException("x", new WebException("x", WebExceptionStatus.Timeout)), false },
        };

        [Theory]
        [MemberData(nameof(Failures))]
        public void Only_a_connection_that_could_not_be_made_counts_as_Graph_out_of_reach(Exception failure, bool connectionLevel)
        {
            Assert.Equal(connectionLevel, GraphRetryPolicy.IsConnectionFailure(failure));
        }

        private static Task<VppToken> Get(GraphClient client, IGraphLog log) =>
            client.VppTokens.GetAsync(TestClient.TokenId, log, CancellationToken.None);

        /// <summary>Takes every connection and answers in plain text, so an https client's TLS handshake fails; counts connections.</summary>
        private sealed class TlsBreakingServer : IDisposable
        {
            private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
            private int _connections;

            public TlsBreakingServer()
            {
                _listener.Start();
                _ = Task.Run(AcceptAsync);
            }

            public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

            public int Connections => Volatile.Read(ref _connections);

            public void Dispose() => _listener.Stop();

            private async Task AcceptAsync()
            {
                byte[] notTls = Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
                while (true)
                {
                    TcpClient connection;
                    try
                    {
                        connection = await _listener.AcceptTcpClientAsync();
                    }
                    catch (Exception ex) when (ex is ObjectDisposedException or SocketException or InvalidOperationException)
                    {
                        return;
                    }

                    Interlocked.Increment(ref _connections);
                    using (connection)
                    {
                        try
                        {
                            await connection.GetStream().WriteAsync(notTls);
                        }
                        catch (IOException)
                        {
                        }
                    }
                }
            }
        }
    }

    /// <summary>A loopback port nothing listens on: connections to it are refused at once.</summary>
    internal static class ClosedPort
    {
        public static Uri Uri()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        }
    }
}
