using System;
using System.Collections.Generic;
using System.Linq;

namespace IntuneVpp.Client.Graph
{
    /// <summary>
    /// What one listing has followed so far. Graph's @odata.nextLink comes from the server, so a broken or hostile one
    /// must neither loop (a link back to a page already read), nor run on without end, nor take the connection's token
    /// to another resource on the same host (/v1.0/users, or vppTokens/../../users).
    /// </summary>
    internal sealed class VppTokenListing
    {
        private readonly string[] _root;
        private readonly HashSet<string> _followed = new(StringComparer.Ordinal);

        public VppTokenListing(Uri first, int maxPages)
        {
            _root = Segments(first) ?? throw new ArgumentException("The listing's own URL has dot segments.", nameof(first));
            RootPath = first.AbsolutePath;
            MaxPages = maxPages;
            _followed.Add(KeyOf(first));
        }

        public int MaxPages { get; }

        /// <summary>The path being listed, as the first request sent it.</summary>
        public string RootPath { get; }

        /// <summary>Tokens read on every page so far.</summary>
        public int TokensRead { get; set; }

        /// <summary>True when the link stays on the listing's own path or below it, once dot segments are resolved.</summary>
        public bool IsUnderRoot(Uri link)
        {
            string[]? segments = Segments(link);
            return segments is not null &&
                   segments.Length >= _root.Length &&
                   _root.Select((segment, i) => string.Equals(segment, segments[i], StringComparison.OrdinalIgnoreCase)).All(same => same);
        }

        /// <summary>Records the link as followed; false when it had been followed already.</summary>
        public bool MarkFollowed(Uri link) => _followed.Add(KeyOf(link));

        /// <summary>
        /// The decoded path segments, or null when one is still a dot segment or hides a slash once decoded: .NET
        /// resolves plain and %2E dot segments itself, so what is left would be resolved by the server, not by us.
        /// </summary>
        private static string[]? Segments(Uri uri)
        {
            string[] segments = uri.AbsolutePath.Split('/').Skip(1).Select(Uri.UnescapeDataString).ToArray();
            return segments.Any(s => s == "." || s == ".." || s.IndexOf('/') >= 0 || s.IndexOf('\\') >= 0) ? null : segments;
        }

        // Paths are case-insensitive in Graph, skip tokens are not; escaping differences do not make another page.
        private static string KeyOf(Uri uri) =>
            uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant() +
            Uri.UnescapeDataString(uri.AbsolutePath).ToLowerInvariant() + "?" +
            Uri.UnescapeDataString(uri.Query.TrimStart('?'));
    }
}
