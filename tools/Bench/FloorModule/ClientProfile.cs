using System;
using System.Diagnostics;
using System.Security;
using System.Threading;
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

        public static void Configure(string graphEndpoint, string accessToken)
        {
            var secure = new SecureString();
            foreach (char c in accessToken)
            {
                secure.AppendChar(c);
            }

            _client = new GraphClient(new GraphClientOptions(new Uri(graphEndpoint)) { Retry = new RetrySettings { WriteLimit = 0 } }, new StaticTokenProvider(secure));
            _pacedClient = new GraphClient(new GraphClientOptions(new Uri(graphEndpoint)) { Retry = new RetrySettings { WriteLimit = 100_000 } }, new StaticTokenProvider(secure));
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

        /// <summary>Microseconds per request body made safe for the debug log (Redaction.RedactJson), shown or not.</summary>
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
}
