using System;
using System.Diagnostics;
using System.Security;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using Azure.Core;
using Azure.Core.Pipeline;
using IntuneVpp;
using IntuneVpp.Client.Authentication;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Graph;
using IntuneVpp.Client.Http;

namespace FloorModule
{
    /// <summary>
    /// VppToken's client layer and its parts, each in a compiled loop, so the cost the module adds per call can be
    /// taken apart: the whole client layer (Azure.Core pipeline, retry and authorization policies, JSON, log text,
    /// client-request-id) and the pieces that can be timed alone.
    /// </summary>
    public static class ClientProfile
    {
        private static GraphClient? _client;
        private static GraphClient? _pacedClient;
        private static HttpPipeline? _bareAzureCore;
        private static string _itemBase = string.Empty;
        private static string _accessToken = string.Empty;
        private static byte[] _answer = Array.Empty<byte>();

        public static void Configure(string graphEndpoint, string accessToken)
        {
            var secure = new SecureString();
            foreach (char c in accessToken)
            {
                secure.AppendChar(c);
            }

            _client = new GraphClient(new GraphClientOptions(new Uri(graphEndpoint)) { Retry = new RetrySettings { WriteLimit = 0 } }, new StaticTokenProvider(secure));
            _pacedClient = new GraphClient(new GraphClientOptions(new Uri(graphEndpoint)) { Retry = new RetrySettings { WriteLimit = 100_000 } }, new StaticTokenProvider(secure));

            // Azure.Core's own pipeline with its default policies and logging, telemetry and tracing off, as GraphClient
            // sets them, over an HttpClient of its own: what the pipeline costs before any policy of VppToken's.
            var options = new BareOptions { Transport = new HttpClientTransport(new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })) };
            options.Diagnostics.IsLoggingEnabled = false;
            options.Diagnostics.IsTelemetryEnabled = false;
            options.Diagnostics.IsDistributedTracingEnabled = false;
            options.Retry.MaxRetries = 0;
            _bareAzureCore = HttpPipelineBuilder.Build(options);
            _itemBase = graphEndpoint.TrimEnd('/') + "/v1.0/deviceAppManagement/vppTokens/";
            _accessToken = accessToken;
        }

        /// <summary>Keeps Graph's answer for one token (what a PATCH answers with 200), for the timings of reading it.</summary>
        public static int CaptureAnswer(string id)
        {
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, _itemBase + id);
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _accessToken);
            using HttpResponseMessage response = http.SendAsync(request).GetAwaiter().GetResult();
            _answer = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
            return _answer.Length;
        }

        /// <summary>Microseconds per answer read into a VppToken (JSON, three dates, the Apple token as a SecureString).</summary>
        public static double ReadAnswerMicroseconds(int count)
        {
            Stopwatch timer = Stopwatch.StartNew();
            for (int i = 0; i < count; i++)
            {
                using JsonDocument document = JsonDocument.Parse(_answer);
                _ = VppTokenJson.Read(document.RootElement, "v1.0");
            }

            return timer.Elapsed.TotalMilliseconds * 1000 / count;
        }

        /// <summary>
        /// Microseconds per SecureString of the answer's Apple token built a character at a time (AppendChar), the way
        /// the module built it before it made it from the whole text at once: what that change took out of each read.
        /// </summary>
        public static double AppendCharSecureStringMicroseconds(int count)
        {
            using JsonDocument document = JsonDocument.Parse(_answer);
            string token = document.RootElement.TryGetProperty("token", out JsonElement value) ? value.GetString() ?? string.Empty : string.Empty;
            Stopwatch timer = Stopwatch.StartNew();
            for (int i = 0; i < count; i++)
            {
                using var secure = new SecureString();
                foreach (char c in token)
                {
                    secure.AppendChar(c);
                }

                secure.MakeReadOnly();
            }

            return timer.Elapsed.TotalMilliseconds * 1000 / count;
        }

        /// <summary>Milliseconds per PATCH sent through a bare Azure.Core pipeline, awaited on the calling thread.</summary>
        public static double AzureCoreMilliseconds(string id, string countryOrRegion, int count)
        {
            HttpPipeline pipeline = _bareAzureCore ?? throw new InvalidOperationException("Call Configure first.");
            byte[] body = VppTokenJson.WriteChanges(Changes(countryOrRegion));
            var uri = new Uri(_itemBase + id);
            Stopwatch timer = Stopwatch.StartNew();
            for (int i = 0; i < count; i++)
            {
                using HttpMessage message = pipeline.CreateMessage();
                message.Request.Method = RequestMethod.Patch;
                message.Request.Uri.Reset(uri);
                message.Request.Headers.SetValue("Authorization", "Bearer " + _accessToken);
                message.Request.Headers.SetValue("client-request-id", Guid.NewGuid().ToString());
                message.Request.Headers.SetValue("Accept", "application/json");
                message.Request.Headers.SetValue("Content-Type", "application/json");
                message.Request.Content = RequestContent.Create(body);
                pipeline.SendAsync(message, CancellationToken.None).AsTask().GetAwaiter().GetResult();
                _ = message.Response.Content.ToArray();
            }

            return timer.Elapsed.TotalMilliseconds / count;
        }

        private static VppTokenChanges Changes(string countryOrRegion) => new() { CountryOrRegion = countryOrRegion };

        /// <summary>Milliseconds per VppTokens.UpdateAsync, awaited on the calling thread, the log dropped.</summary>
        public static double UpdateMilliseconds(string id, string countryOrRegion, int count, bool paced = false)
        {
            GraphClient client = (paced ? _pacedClient : _client) ?? throw new InvalidOperationException("Call Configure first.");
            VppTokenChanges changes = Changes(countryOrRegion);
            Stopwatch timer = Stopwatch.StartNew();
            for (int i = 0; i < count; i++)
            {
                client.VppTokens.UpdateAsync(id, changes, NullGraphLog.Instance, CancellationToken.None).GetAwaiter().GetResult();
            }

            return timer.Elapsed.TotalMilliseconds / count;
        }

        /// <summary>Microseconds per request body written (VppTokenJson.WriteChanges).</summary>
        public static double WriteChangesMicroseconds(int count)
        {
            VppTokenChanges changes = Changes("us");
            Stopwatch timer = Stopwatch.StartNew();
            for (int i = 0; i < count; i++)
            {
                _ = VppTokenJson.WriteChanges(changes);
            }

            return timer.Elapsed.TotalMilliseconds * 1000 / count;
        }

        /// <summary>Microseconds per request body made safe for the debug log (Redaction.RedactJson), done only when debug lines are shown.</summary>
        public static double RedactRequestBodyMicroseconds(int count)
        {
            byte[] body = VppTokenJson.WriteChanges(Changes("us"));
            Stopwatch timer = Stopwatch.StartNew();
            for (int i = 0; i < count; i++)
            {
                _ = Redaction.RedactJson(body);
            }

            return timer.Elapsed.TotalMilliseconds * 1000 / count;
        }

        /// <summary>Microseconds per client-request-id (a new GUID as text).</summary>
        public static double ClientRequestIdMicroseconds(int count)
        {
            Stopwatch timer = Stopwatch.StartNew();
            for (int i = 0; i < count; i++)
            {
                _ = Guid.NewGuid().ToString();
            }

            return timer.Elapsed.TotalMilliseconds * 1000 / count;
        }

        /// <summary>Microseconds per set of the verbose lines one call formats (request, answer), written or not.</summary>
        public static double LogTextMicroseconds(int count)
        {
            var log = NullGraphLog.Instance;
            Stopwatch timer = Stopwatch.StartNew();
            for (int i = 0; i < count; i++)
            {
                string request = $"PATCH /v1.0/deviceAppManagement/vppTokens/{i}";
                log.Verbose($"{request} (client-request-id {Guid.Empty})");
                log.Verbose($"{204} {"No Content"} in {i % 7} ms (request-id {"none"})");
            }

            return timer.Elapsed.TotalMilliseconds * 1000 / count;
        }

        /// <summary>
        /// Microseconds per hand-off of work to the thread pool and back to a thread blocked waiting for it, as a
        /// cmdlet's pipeline thread waits for its async body: the thread hop alone.
        /// </summary>
        public static double ThreadHopMicroseconds(int count)
        {
            Stopwatch timer = Stopwatch.StartNew();
            for (int i = 0; i < count; i++)
            {
                using var done = new ManualResetEventSlim();
                ThreadPool.UnsafeQueueUserWorkItem(state => ((ManualResetEventSlim)state!).Set(), done);
                done.Wait();
            }

            return timer.Elapsed.TotalMilliseconds * 1000 / count;
        }
    }

    internal sealed class BareOptions : ClientOptions
    {
    }
}
