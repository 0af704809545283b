using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace IntuneVpp.Client.Http
{
    /// <summary>
    /// Retries what Graph says is worth retrying (429, 503, 504, and failures before any answer), waiting what the
    /// server asks for, within a cap on tries and on total wait. Azure.Core's own policy would take the larger of its
    /// backoff and the header, cannot read fractional or listed Retry-After values, and cannot tell a create from a
    /// replayable request, so the loop is ours while the rest of the pipeline stays Azure.Core's.
    /// </summary>
    internal sealed class GraphRetryPolicy : HttpPipelinePolicy
    {
        private static readonly ThreadLocal<Random> Jitter = new(() => new Random(Guid.NewGuid().GetHashCode()));
        private static readonly TimeSpan CountdownStep = TimeSpan.FromSeconds(1);

        private static readonly SocketError[] ConnectionErrors =
        {
            SocketError.ConnectionRefused, SocketError.HostNotFound, SocketError.TryAgain, SocketError.NoData,
            SocketError.NetworkUnreachable, SocketError.HostUnreachable, SocketError.NetworkDown, SocketError.AddressNotAvailable,
        };

        private static readonly WebExceptionStatus[] ConnectionStatuses =
        {
            WebExceptionStatus.ConnectFailure, WebExceptionStatus.NameResolutionFailure, WebExceptionStatus.ProxyNameResolutionFailure,
            WebExceptionStatus.TrustFailure, WebExceptionStatus.SecureChannelFailure,
        };

        private readonly RetrySettings _settings;

        public GraphRetryPolicy(RetrySettings settings) => _settings = settings;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            GraphCall call = GraphCall.Of(message);
            int attempt = 0;
            while (true)
            {
                attempt++;
                call.Attempts = attempt;
                Exception? failure = null;
                try
                {
                    await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
                }
                catch (Exception ex) when (!message.CancellationToken.IsCancellationRequested && IsTransportFailure(ex))
                {
                    failure = ex;
                }

                string? reason = RetryReason(message, failure, call);
                if (reason is null)
                {
                    if (failure is not null)
                    {
                        throw new GraphTransportException(failure, attempt);
                    }

                    return;
                }

                TimeSpan wait = NextWait(message, failure, attempt);
                int maxAttempts = _settings.MaxRetries + 1;
                if (attempt >= maxAttempts || call.TotalWait + wait > _settings.MaxTotalWait)
                {
                    string why = attempt >= maxAttempts
                        ? $"after {attempt} tries"
                        : $"after {attempt} tries: waiting {Seconds(wait)} more would pass the {Seconds(_settings.MaxTotalWait)} total wait allowed";
                    call.Log.Verbose($"{reason}; giving up {why}.");
                    if (attempt < maxAttempts)
                    {
                        call.StopReason =
                            $"Graph asked to wait {Seconds(wait)} before trying again, more than the {Seconds(_settings.MaxTotalWait - call.TotalWait)} left of the wait allowed; " +
                            "allow more with Connect-IntuneVpp -MaxRetryWait, or run it again later.";
                    }

                    if (failure is not null)
                    {
                        throw new GraphTransportException(failure, attempt);
                    }

                    return;
                }

                call.Log.Verbose(
                    $"{reason}; waiting {Seconds(wait)} before attempt {attempt + 1} of {maxAttempts}" +
                    (message.HasResponse && message.Response.Headers.TryGetValue("request-id", out string? requestId) ? $" (request-id {requestId})." : "."));
                call.TotalWait += wait;
                string waitingFor = failure is not null ? "Graph could not be reached" : WhyWaiting(message.Response.Status);
                if (message.HasResponse)
                {
                    message.Response.Dispose();
                }

                await WaitAsync(wait, new RetryWait(waitingFor, call.Request, wait, attempt + 1, maxAttempts), call.Waits, message.CancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Waits between tries. A caller that shows waits is told at the start, about once a second (a countdown), and
        /// at the end, even when a stop cuts the wait short.
        /// </summary>
        private static async Task WaitAsync(TimeSpan wait, RetryWait report, IRetryWaitObserver? observer, CancellationToken cancellationToken)
        {
            if (observer is null)
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                return;
            }

            // Each report is due a whole step after the one before, counted from the start, so the countdown says
            // 3, 2, 1 s however early or late a timer fires, and the drift of one delay is made up by the next.
            Stopwatch clock = Stopwatch.StartNew();
            try
            {
                for (TimeSpan reported = TimeSpan.Zero; reported < wait; reported += CountdownStep)
                {
                    observer.Waiting(report.At(wait - reported));
                    TimeSpan next = reported + CountdownStep < wait ? reported + CountdownStep : wait;
                    TimeSpan delay = next - clock.Elapsed;
                    if (delay > TimeSpan.Zero)
                    {
                        await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                observer.Waiting(report.At(TimeSpan.Zero));
            }
        }

        private static string WhyWaiting(int status) => status switch
        {
            429 => "Graph is throttling",
            503 => "Graph is unavailable",
            _ => "Graph's gateway timed out",
        };

        private static string? RetryReason(HttpMessage message, Exception? failure, GraphCall call)
        {
            if (failure is not null)
            {
                bool connectionFailure = IsConnectionFailure(failure);
                if (connectionFailure && call.IsProbe)
                {
                    return null;
                }

                // A connection that could not be made carried nothing, so even a create is safe to send again.
                return call.Replayable || connectionFailure ? $"The request failed before an answer ({Describe(failure)})" : null;
            }

            int status = message.Response.Status;
            bool retryable = status == 429 || status == 503 || (status == 504 && call.Replayable);
            return retryable ? $"Graph answered {status} {message.Response.ReasonPhrase}" : null;
        }

        private TimeSpan NextWait(HttpMessage message, Exception? failure, int attempt)
        {
            if (failure is null && message.Response.Headers.TryGetValue("Retry-After", out string? header) &&
                RetryAfter.Parse(header, DateTimeOffset.UtcNow) is { } serverWait)
            {
                return serverWait;
            }

            double exponential = _settings.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
            double capped = Math.Min(exponential, _settings.MaxDelay.TotalMilliseconds);
            // Full jitter between half and all of the step keeps many clients from retrying in step.
            return TimeSpan.FromMilliseconds(capped * (0.5 + (Jitter.Value!.NextDouble() / 2)));
        }

        private static bool IsTransportFailure(Exception ex) =>
            ex is HttpRequestException or IOException or SocketException or TaskCanceledException or RequestFailedException;

        /// <summary>
        /// True when no connection to Graph could be made at all (refused, name not resolved, network unreachable, TLS
        /// failed), so nothing can have been applied. .NET Framework reports these as WebException statuses instead.
        /// </summary>
        internal static bool IsConnectionFailure(Exception ex)
        {
            for (Exception? e = ex; e is not null; e = e.InnerException)
            {
                switch (e)
                {
                    case SocketException socket when ConnectionErrors.Contains(socket.SocketErrorCode):
                    case AuthenticationException:
                    case WebException web when ConnectionStatuses.Contains(web.Status):
                        return true;
                }
            }

            return false;
        }

        internal static string Describe(Exception ex)
        {
            Exception inner = ex;
            while (inner.InnerException is not null && (inner is HttpRequestException or RequestFailedException or AggregateException))
            {
                inner = inner.InnerException;
            }

            return inner is TaskCanceledException or OperationCanceledException ? "no answer within the time allowed for one try"
                : inner is AuthenticationException ? "the TLS (https) connection could not be established: " + inner.Message
                : inner.Message;
        }

        private static string Seconds(TimeSpan span) =>
            span.TotalSeconds.ToString(span.TotalSeconds < 10 ? "0.###" : "0.#", CultureInfo.InvariantCulture) + " s";
    }
}
