using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace IntuneVpp.Client.Tests
{
    /// <summary>
    /// A tiny HTTP/1.1 server on 127.0.0.1 that answers from a script and records every request it received, with the
    /// time it had read it whole. Built on a bare socket so it can also misbehave: cut a body short with a reset, or
    /// never answer. Every answer closes the connection, so no pooled connection outlives a test.
    /// </summary>
    internal sealed class TestServer : IDisposable
    {
        private static readonly Stopwatch Clock = Stopwatch.StartNew();

        private readonly TcpListener _listener;
        private readonly Func<RecordedRequest, Reply> _script;
        private readonly ConcurrentBag<RecordedRequest> _requests = new();
        private readonly CancellationTokenSource _stop = new();
        private int _count;

        /// <summary>Answers with <paramref name="replies"/> in order; the last one answers every request after it.</summary>
        public TestServer(params Reply[] replies)
            : this(request => replies[Math.Min(request.Index, replies.Length - 1)])
        {
            if (replies.Length == 0)
            {
                throw new ArgumentException("Script at least one reply.", nameof(replies));
            }
        }

        /// <param name="port">0 for any free port; a given one lets a test bring up a server where a connection was just refused.</param>
        public TestServer(Func<RecordedRequest, Reply> script, int port = 0)
        {
            _script = script;
            _listener = new TcpListener(IPAddress.Loopback, port);
            _listener.Start();
            int bound = ((IPEndPoint)_listener.LocalEndpoint).Port;
            BaseUri = new Uri($"http://127.0.0.1:{bound.ToString(CultureInfo.InvariantCulture)}/");
            _ = AcceptLoopAsync();
        }

        public Uri BaseUri { get; }

        /// <summary>The requests received so far, in the order they arrived.</summary>
        public IReadOnlyList<RecordedRequest> Requests => _requests.OrderBy(r => r.Index).ToArray();

        /// <summary>Time on the clock the server stamps requests with.</summary>
        public static TimeSpan Now => Clock.Elapsed;

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }

        private async Task AcceptLoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    return;
                }

                _ = Task.Run(() => HandleAsync(client));
            }
        }

        private async Task HandleAsync(TcpClient client)
        {
            try
            {
                using (client)
                {
                    NetworkStream stream = client.GetStream();
                    RecordedRequest? request = await ReadRequestAsync(stream);
                    if (request is null)
                    {
                        return;
                    }

                    _requests.Add(request);
                    Reply reply = _script(request);
                    await WriteReplyAsync(client, stream, reply);
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The client went away; nothing to answer.
            }
        }

        private async Task<RecordedRequest?> ReadRequestAsync(NetworkStream stream)
        {
            var head = new MemoryStream();
            var one = new byte[1];
            while (!EndsWithBlankLine(head))
            {
                int read = await stream.ReadAsync(one, _stop.Token);
                if (read == 0)
                {
                    return null;
                }

                head.WriteByte(one[0]);
            }

            string[] lines = Encoding.ASCII.GetString(head.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            string[] requestLine = lines[0].Split(' ');
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (string line in lines.Skip(1))
            {
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                string name = line.Substring(0, colon).Trim();
                string value = line.Substring(colon + 1).Trim();
                headers[name] = headers.TryGetValue(name, out string? earlier) ? earlier + ", " + value : value;
            }

            byte[] body = Array.Empty<byte>();
            if (headers.TryGetValue("Content-Length", out string? length) && int.Parse(length, CultureInfo.InvariantCulture) is > 0 and int size)
            {
                body = new byte[size];
                await stream.ReadExactlyAsync(body, _stop.Token);
            }

            return new RecordedRequest(Interlocked.Increment(ref _count) - 1, requestLine[0], requestLine[1], headers, body, Now);
        }

        private static bool EndsWithBlankLine(MemoryStream head)
        {
            if (head.Length < 4)
            {
                return false;
            }

            byte[] buffer = head.GetBuffer();
            long n = head.Length;
            return buffer[n - 4] == '\r' && buffer[n - 3] == '\n' && buffer[n - 2] == '\r' && buffer[n - 1] == '\n';
        }

        private async Task WriteReplyAsync(TcpClient client, NetworkStream stream, Reply reply)
        {
            if (reply.Delay > TimeSpan.Zero)
            {
                await Task.Delay(reply.Delay, _stop.Token);
            }

            switch (reply.Behaviour)
            {
                case ReplyBehaviour.Hang:
                    // Never answer; wait until the client gives up (reads 0) or the server stops.
                    var sink = new byte[256];
                    while (await stream.ReadAsync(sink, _stop.Token) > 0)
                    {
                    }

                    return;

                case ReplyBehaviour.ResetMidBody:
                    byte[] partialHead = Encoding.ASCII.GetBytes(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4096\r\nConnection: close\r\n\r\n{\"id\":\"9ceb2f92-");
                    await stream.WriteAsync(partialHead, _stop.Token);
                    await stream.FlushAsync(_stop.Token);
                    await Task.Delay(50, _stop.Token);
                    client.Client.LingerState = new LingerOption(true, 0);
                    client.Client.Close();
                    return;

                default:
                    var text = new StringBuilder();
                    text.Append("HTTP/1.1 ").Append(reply.Status.ToString(CultureInfo.InvariantCulture)).Append(' ')
                        .Append(ReasonPhrase(reply.Status)).Append("\r\n");
                    foreach ((string name, string value) in reply.Headers)
                    {
                        text.Append(name).Append(": ").Append(value).Append("\r\n");
                    }

                    text.Append("Content-Length: ").Append(reply.Body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
                    text.Append("Connection: close\r\n\r\n");
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(text.ToString()), _stop.Token);
                    await stream.WriteAsync(reply.Body, _stop.Token);
                    await stream.FlushAsync(_stop.Token);
                    client.Client.Shutdown(SocketShutdown.Send);
                    return;
            }
        }

        private static string ReasonPhrase(int status) => status switch
        {
            200 => "OK",
            204 => "No Content",
            302 => "Found",
            400 => "Bad Request",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "Not Found",
            429 => "Too Many Requests",
            500 => "Internal Server Error",
            502 => "Bad Gateway",
            503 => "Service Unavailable",
            504 => "Gateway Timeout",
            _ => "Status",
        };
    }

    internal sealed record RecordedRequest(
        int Index, string Method, string Target, IReadOnlyDictionary<string, string> Headers, byte[] Body, TimeSpan ReceivedAt)
    {
        public string BodyText => Encoding.UTF8.GetString(Body);

        public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;
    }

    internal enum ReplyBehaviour
    {
        Answer,
        Hang,
        ResetMidBody,
    }

    /// <summary>One scripted answer.</summary>
    internal sealed record Reply(int Status, IReadOnlyList<(string Name, string Value)> Headers, byte[] Body)
    {
        public ReplyBehaviour Behaviour { get; init; } = ReplyBehaviour.Answer;

        public TimeSpan Delay { get; init; }

        public static Reply Json(int status, string json, params (string Name, string Value)[] headers) =>
            new(status, headers.Append(("Content-Type", "application/json")).ToArray(), Encoding.UTF8.GetBytes(json));

        public static Reply Empty(int status, params (string Name, string Value)[] headers) =>
            new(status, headers, Array.Empty<byte>());

        public static Reply Text(int status, string contentType, string body, params (string Name, string Value)[] headers) =>
            new(status, headers.Append(("Content-Type", contentType)).ToArray(), Encoding.UTF8.GetBytes(body));

        public static Reply Throttled(string? retryAfter) =>
            retryAfter is null ? Empty(429) : Empty(429, ("Retry-After", retryAfter));

        public static Reply Hang() => new(0, Array.Empty<(string, string)>(), Array.Empty<byte>()) { Behaviour = ReplyBehaviour.Hang };

        public static Reply ResetMidBody() => new(0, Array.Empty<(string, string)>(), Array.Empty<byte>()) { Behaviour = ReplyBehaviour.ResetMidBody };
    }
}
