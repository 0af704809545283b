using System;
using IntuneVpp.Client.Http;

namespace IntuneVpp.Client.Graph
{
    /// <summary>Where a connection talks to and how.</summary>
    public sealed class GraphClientOptions
    {
        public GraphClientOptions(Uri graphEndpoint)
        {
            GraphEndpoint = Normalize(graphEndpoint);
        }

        /// <summary>The Graph service root without a version, such as https://graph.microsoft.com.</summary>
        public Uri GraphEndpoint { get; }

        public string ApiVersion { get; set; } = GraphApiVersion.V1;

        public RetrySettings Retry { get; set; } = new();

        public string UserAgent { get; set; } = "VppToken";

        /// <summary>
        /// Checks a Graph endpoint: absolute, https, or http on a loopback address only (the local emulator). Returns
        /// null when it is acceptable, else the reason it is not.
        /// </summary>
        public static string? Validate(Uri endpoint)
        {
            if (!endpoint.IsAbsoluteUri)
            {
                return $"'{endpoint}' is not an absolute URL; give the Graph service root, such as https://graph.microsoft.com.";
            }

            if (endpoint.Scheme == Uri.UriSchemeHttps)
            {
                return null;
            }

            if (endpoint.Scheme == Uri.UriSchemeHttp)
            {
                return endpoint.IsLoopback
                    ? null
                    : $"'{endpoint}' uses http, which is allowed only for a loopback address such as 127.0.0.1: a token must never cross a network in clear text.";
            }

            return $"'{endpoint}' is not an http or https URL.";
        }

        private static Uri Normalize(Uri endpoint)
        {
            if (Validate(endpoint) is { } problem)
            {
                throw new ArgumentException(problem, nameof(endpoint));
            }

            string text = endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');
            return new Uri(text + "/", UriKind.Absolute);
        }
    }
}
