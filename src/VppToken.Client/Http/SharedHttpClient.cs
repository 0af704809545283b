using System;
using System.Net;
using System.Net.Http;
using Azure.Core.Pipeline;

namespace IntuneVpp.Client.Http
{
    /// <summary>The one HttpClient (and so one connection pool) behind every connection in the process.</summary>
    internal static class SharedHttpClient
    {
        private static readonly Lazy<HttpClientTransport> LazyTransport = new(CreateTransport);

        public static HttpClientTransport Transport => LazyTransport.Value;

        private static HttpClientTransport CreateTransport()
        {
            FrameworkTls.EnsureEnabled();
            var handler = new HttpClientHandler
            {
                // A redirect must never carry the bearer token to another host; GraphClient refuses them instead.
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                // Windows PowerShell 5.1 otherwise allows two connections per host, which serialises parallel runspaces.
                MaxConnectionsPerServer = 64,
            };

            // Time limits are per try and set by the pipeline, so a long Retry-After wait is never cut short here.
            var client = new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            return new HttpClientTransport(client);
        }
    }
}
