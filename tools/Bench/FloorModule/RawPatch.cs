using System;
using System.Diagnostics;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;

namespace FloorModule
{
    /// <summary>The floor: one PATCH on a shared HttpClient, the way any careful caller would send it.</summary>
    public static class RawPatch
    {
        private static readonly HttpClient Client = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        private static readonly HttpMethod Patch = new("PATCH");
        private static string _itemBase = string.Empty;
        private static string _accessToken = string.Empty;

        /// <summary>Points the floor at a Graph endpoint (service root, without the version).</summary>
        public static void Configure(string graphEndpoint, string accessToken)
        {
            _itemBase = graphEndpoint.TrimEnd('/') + "/v1.0/deviceAppManagement/vppTokens/";
            _accessToken = accessToken;
        }

        public static string Body(string countryOrRegion) =>
            "{\"@odata.type\":\"#microsoft.graph.vppToken\",\"countryOrRegion\":\"" + countryOrRegion + "\"}";

        /// <summary>Sends one PATCH and waits for its answer on the calling thread.</summary>
        public static int Send(string id, string body)
        {
            using var request = new HttpRequestMessage(Patch, _itemBase + id);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _accessToken);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.Headers.Add("client-request-id", Guid.NewGuid().ToString());
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            using HttpResponseMessage response = Client.SendAsync(request).GetAwaiter().GetResult();
            _ = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
            return (int)response.StatusCode;
        }

        /// <summary>Milliseconds per call of <paramref name="count"/> PATCHes in a compiled loop.</summary>
        public static double LoopMilliseconds(string id, string countryOrRegion, int count)
        {
            string body = Body(countryOrRegion);
            Stopwatch timer = Stopwatch.StartNew();
            for (int i = 0; i < count; i++)
            {
                Send(id, body);
            }

            return timer.Elapsed.TotalMilliseconds / count;
        }
    }
}
