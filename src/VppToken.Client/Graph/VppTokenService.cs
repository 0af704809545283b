using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Http;

namespace IntuneVpp.Client.Graph
{
    /// <summary>The deviceAppManagement/vppTokens operations.</summary>
    public sealed class VppTokenService
    {
        /// <summary>
        /// The most pages one listing follows unless told otherwise. A tenant holds tens of VPP tokens, which Graph sends
        /// in one page or a few; a hundred pages means a server that keeps sending links, not a tenant that large.
        /// </summary>
        public const int DefaultMaxPages = 100;

        private const string CollectionPath = "deviceAppManagement/vppTokens";

        private readonly GraphClient _client;

        internal VppTokenService(GraphClient client) => _client = client;

        /// <summary>The first page of the list; follow <see cref="VppTokenPage.NextLink"/> with <see cref="ListNextAsync"/>.</summary>
        public Task<VppTokenPage> ListAsync(string? filter, IGraphLog log, CancellationToken cancellationToken) =>
            ListAsync(filter, DefaultMaxPages, log, cancellationToken);

        /// <summary>The first page of the list, in a listing that follows at most <paramref name="maxPages"/> pages.</summary>
        public Task<VppTokenPage> ListAsync(string? filter, int maxPages, IGraphLog log, CancellationToken cancellationToken)
        {
            if (maxPages < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(maxPages), maxPages, "A listing reads at least one page.");
            }

            string? query = string.IsNullOrEmpty(filter) ? null : "$filter=" + Uri.EscapeDataString(filter);
            Uri first = _client.UriFor(CollectionPath, query);
            return ReadPageAsync(first, new VppTokenListing(first, maxPages), 1, log, cancellationToken);
        }

        /// <summary>Every token of the list, every page followed (for a whole tenant at once: the fleet cmdlets, tab completion).</summary>
        public async Task<IReadOnlyList<VppToken>> ListAllAsync(string? filter, IGraphLog log, CancellationToken cancellationToken)
        {
            var tokens = new List<VppToken>();
            VppTokenPage page = await ListAsync(filter, log, cancellationToken).ConfigureAwait(false);
            tokens.AddRange(page.Tokens);
            while (page.NextLink is not null)
            {
                page = await ListNextAsync(page, log, cancellationToken).ConfigureAwait(false);
                tokens.AddRange(page.Tokens);
            }

            return tokens;
        }

        /// <summary>
        /// The page the given page's @odata.nextLink points to. The link must stay on the connection's own Graph host and
        /// under the listing's own path, must not lead back to a page already read, and the listing must not pass its
        /// most pages; each of these ends the listing with a <see cref="GraphException"/> before anything is sent.
        /// </summary>
        public Task<VppTokenPage> ListNextAsync(VppTokenPage page, IGraphLog log, CancellationToken cancellationToken)
        {
            Uri next = page.NextLink ?? throw new ArgumentException("This is the last page: it has no @odata.nextLink.", nameof(page));
            VppTokenListing listing = page.Listing;
            string request = _client.Clean($"GET {next.PathAndQuery}", GraphErrors.ShortLength * 5);

            // A link to another host is refused by the client itself (UntrustedHost), before any path is looked at.
            if (GraphAuthorizationPolicy.IsSameOrigin(next, _client.Options.GraphEndpoint) && !listing.IsUnderRoot(next))
            {
                throw PagingError(GraphErrorKind.UntrustedLink, request,
                    $"Refusing to follow the @odata.nextLink of page {page.Number} to {Quote(next.PathAndQuery)}: it leaves {listing.RootPath}, the path being listed, and the connection's token goes only where the listing is.");
            }

            if (!listing.MarkFollowed(next))
            {
                throw PagingError(GraphErrorKind.PagingLoop, request,
                    $"Stopped listing after page {page.Number} ({Count(listing.TokensRead)}): its @odata.nextLink {Quote(next.PathAndQuery)} leads back to a page already read, so following it would repeat the list without end.");
            }

            if (page.Number >= listing.MaxPages)
            {
                throw PagingError(GraphErrorKind.PageLimitExceeded, request,
                    $"Stopped listing after {listing.MaxPages} pages ({Count(listing.TokensRead)}): Graph still sent an @odata.nextLink. A tenant's VPP tokens fit in a few pages; if this listing really needs more, raise Get-IntuneVppToken -MaxPages.");
            }

            return ReadPageAsync(next, listing, page.Number + 1, log, cancellationToken);
        }

        public async Task<VppToken> GetAsync(string id, IGraphLog log, CancellationToken cancellationToken)
        {
            string normalized = Normalize(id);
            GraphResponse response = await _client.SendAsync(RequestMethod.Get, ItemUri(normalized), null, isWrite: false, replayable: true, log, cancellationToken).ConfigureAwait(false);
            return ReadToken(response, $"GET {CollectionPath}/{normalized}", normalized, log);
        }

        /// <summary>
        /// PATCHes the set properties. Returns the updated token when Graph sends it back (200), or null when Graph
        /// answers 204 No Content, as it usually does. An answer that cannot be read says the change was made.
        /// </summary>
        public async Task<VppToken?> UpdateAsync(string id, VppTokenChanges changes, IGraphLog log, CancellationToken cancellationToken)
        {
            string normalized = Normalize(id);
            byte[] body = VppTokenJson.WriteChanges(changes);
            GraphResponse response = await _client.SendAsync(RequestMethod.Patch, ItemUri(normalized), body, isWrite: true, replayable: true, log, cancellationToken).ConfigureAwait(false);
            if (response.Status == 204 || response.Body.Length == 0)
            {
                return null;
            }

            return AfterChange(
                () => ReadToken(response, $"PATCH {CollectionPath}/{normalized}", normalized, log),
                $"The change to VPP token {normalized} was made",
                "reading Graph's answer",
                ReadItInstead(normalized));
        }

        /// <summary>
        /// PATCHes the set properties and returns the token as it is now: from Graph's answer, or read back when Graph
        /// answers 204. When the change was made but the token cannot be read, the error says so.
        /// </summary>
        public async Task<VppToken> UpdateAndGetAsync(string id, VppTokenChanges changes, IGraphLog log, CancellationToken cancellationToken)
        {
            string normalized = Normalize(id);
            VppToken? updated = await UpdateAsync(normalized, changes, log, cancellationToken).ConfigureAwait(false);
            return updated ?? await GetAfterChangeAsync(normalized, $"The change to VPP token {normalized} was made", ReadItInstead(normalized), log, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Creates a token (POST). Never replayed after a timeout, a dropped connection or a 504: it may have been applied.
        /// An answer that cannot be read says the token was created, so that it is not sent again.
        /// </summary>
        public async Task<VppToken> CreateAsync(VppTokenChanges token, IGraphLog log, CancellationToken cancellationToken)
        {
            byte[] body = VppTokenJson.WriteChanges(token);
            GraphResponse response = await _client.SendAsync(RequestMethod.Post, _client.UriFor(CollectionPath), body, isWrite: true, replayable: false, log, cancellationToken).ConfigureAwait(false);
            return AfterChange(
                () => ReadToken(response, $"POST {CollectionPath}", expectedId: null, log),
                "The VPP token was created",
                "reading Graph's answer",
                "Find it with Get-IntuneVppToken before trying again: sending it again would add the token a second time.");
        }

        public Task DeleteAsync(string id, IGraphLog log, CancellationToken cancellationToken) =>
            _client.SendAsync(RequestMethod.Delete, ItemUri(Normalize(id)), null, isWrite: true, replayable: true, log, cancellationToken);

        /// <summary>Starts a license sync. Returns the token as Graph sends it back (bare or wrapped in "value"), if it does.</summary>
        public async Task<VppToken?> SyncLicensesAsync(string id, IGraphLog log, CancellationToken cancellationToken)
        {
            string normalized = Normalize(id);
            GraphResponse response = await _client.SendAsync(RequestMethod.Post, ItemUri(normalized, "/syncLicenses"), null, isWrite: true, replayable: true, log, cancellationToken).ConfigureAwait(false);
            if (response.Body.Length == 0)
            {
                return null;
            }

            return AfterChange(
                () => ReadToken(response, $"POST {CollectionPath}/{normalized}/syncLicenses", normalized, log),
                $"The license sync of VPP token {normalized} was started",
                "reading Graph's answer",
                SyncGoesOn(normalized));
        }

        /// <summary>
        /// Reads the token after a license sync Graph answered without it. A failure says the sync was started and only
        /// reading the token failed.
        /// </summary>
        public Task<VppToken> GetAfterSyncAsync(string id, IGraphLog log, CancellationToken cancellationToken)
        {
            string normalized = Normalize(id);
            return GetAfterChangeAsync(normalized, $"The license sync of VPP token {normalized} was started", SyncGoesOn(normalized), log, cancellationToken);
        }

        /// <summary>Revokes the token's licenses (beta).</summary>
        public Task RevokeLicensesAsync(string id, bool notifyManagedDevices, bool revokeUntrackedLicenses, IGraphLog log, CancellationToken cancellationToken)
        {
            byte[] body = System.Text.Encoding.UTF8.GetBytes(
                "{\"notifyManagedDevices\":" + (notifyManagedDevices ? "true" : "false") +
                ",\"revokeUntrackedLicenses\":" + (revokeUntrackedLicenses ? "true" : "false") + "}");
            return _client.SendAsync(RequestMethod.Post, ItemUri(Normalize(id), "/revokeLicenses"), body, isWrite: true, replayable: true, log, cancellationToken);
        }

        /// <summary>Each token's license counts for one app, by its bundle id (beta getLicensesForApp).</summary>
        public async Task<IReadOnlyList<VppTokenLicenseSummary>> GetLicensesForAppAsync(string bundleId, IGraphLog log, CancellationToken cancellationToken)
        {
            // An OData string literal doubles its single quotes; the whole segment is then percent-encoded.
            string literal = "'" + bundleId.Replace("'", "''") + "'";
            string segment = "getLicensesForApp(bundleId=" + Uri.EscapeDataString(literal) + ")";
            Uri uri = _client.UriFor(CollectionPath + "/" + segment);
            GraphResponse response = await _client.SendAsync(RequestMethod.Get, uri, null, isWrite: false, replayable: true, log, cancellationToken).ConfigureAwait(false);
            return ReadCollection(response, $"GET {uri.PathAndQuery}", (root, items) => items.Select(item => item.ValueKind == JsonValueKind.Object
                ? new VppTokenLicenseSummary
                {
                    VppTokenId = StringOf(item, "vppTokenId"),
                    AppleId = StringOf(item, "appleId"),
                    OrganizationName = StringOf(item, "organizationName"),
                    AvailableLicenseCount = IntOf(item, "availableLicenseCount"),
                    UsedLicenseCount = IntOf(item, "usedLicenseCount"),
                    BundleId = bundleId,
                }
                : throw new InvalidDataException("each license summary should be an object")).ToList());
        }

        private static string? StringOf(JsonElement item, string name) =>
            item.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static int? IntOf(JsonElement item, string name) =>
            item.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number) ? number : null;

        private static string Normalize(string id) =>
            VppTokenId.Normalize(id, out string? problem) ?? throw new ArgumentException(problem, nameof(id));

        private static string ReadItInstead(string id) =>
            $"The change is in place: read the token with Get-IntuneVppToken -Id {id} rather than sending the change again.";

        private static string SyncGoesOn(string id) =>
            $"The sync goes on in Intune: follow it with Get-IntuneVppToken -Id {id} rather than starting it again.";

        private static string Count(int tokens) => tokens == 1 ? "1 token" : tokens.ToString(CultureInfo.InvariantCulture) + " tokens";

        private static string Quote(string text) => "'" + ErrorText.Cut(text, GraphErrors.ShortLength) + "'";

        /// <summary>Runs the read that follows a change; a failure there is told as such, with the change said to be made.</summary>
        private static VppToken AfterChange(Func<VppToken> read, string done, string failedPart, string hint)
        {
            try
            {
                return read();
            }
            catch (GraphException ex)
            {
                throw ex.AfterChange(done, failedPart, hint);
            }
        }

        /// <summary>Reads a token back after a change that took effect; a failure says the change was made and only the read failed.</summary>
        private async Task<VppToken> GetAfterChangeAsync(string id, string done, string hint, IGraphLog log, CancellationToken cancellationToken)
        {
            log.Verbose("Graph answered without the token; reading it back.");
            try
            {
                return await GetAsync(id, log, cancellationToken).ConfigureAwait(false);
            }
            catch (GraphException ex)
            {
                throw ex.AfterChange(done, "reading the token back", hint);
            }
        }

        private Uri ItemUri(string normalizedId, string action = "") =>
            _client.UriFor(CollectionPath + "/" + Uri.EscapeDataString(normalizedId) + action);

        private GraphException PagingError(GraphErrorKind kind, string request, string message) =>
            new(kind, _client.Clean(message)) { Request = request };

        private async Task<VppTokenPage> ReadPageAsync(Uri uri, VppTokenListing listing, int number, IGraphLog log, CancellationToken cancellationToken)
        {
            GraphResponse response = await _client.SendAsync(RequestMethod.Get, uri, null, isWrite: false, replayable: true, log, cancellationToken).ConfigureAwait(false);
            Action<string> warn = _client.Secrets.Guard(log).Warning;
            VppTokenPage page = ReadCollection(response, _client.Clean($"GET {uri.PathAndQuery}", GraphErrors.ShortLength * 5), (root, items) =>
            {
                var tokens = items.Select(item => VppTokenJson.Read(item, _client.Options.ApiVersion, warn)).ToList();
                Uri? next = null;
                if (root.TryGetProperty("@odata.nextLink", out JsonElement link) && link.ValueKind != JsonValueKind.Null)
                {
                    // A number, true, [] or {} is no link at all; taking it as "no more pages" would cut the list short.
                    if (link.ValueKind != JsonValueKind.String)
                    {
                        throw new InvalidDataException($"its @odata.nextLink should be a URL string, not {Describe(link.ValueKind)}");
                    }

                    // On Unix a path such as /v1.0/... parses as an absolute file: URL; only http(s) is a link.
                    if (!Uri.TryCreate(link.GetString(), UriKind.Absolute, out next) || (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps))
                    {
                        throw new InvalidDataException("its @odata.nextLink is not an absolute URL");
                    }
                }

                return new VppTokenPage(tokens, next, number, listing);
            });
            listing.TokensRead += page.Tokens.Count;
            return page;
        }

        private static string Describe(JsonValueKind kind) => kind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "something else",
        };

        /// <summary>
        /// Reads a collection answer, {"value": [...]}, turning any JSON or shape problem into one clear GraphException.
        /// </summary>
        private T ReadCollection<T>(GraphResponse response, string request, Func<JsonElement, IEnumerable<JsonElement>, T> read)
        {
            RequireText(response, request);
            try
            {
                using JsonDocument document = JsonDocument.Parse(response.Body);
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("value", out JsonElement value) || value.ValueKind != JsonValueKind.Array)
                {
                    throw new InvalidDataException("a collection answer should be an object with a 'value' array");
                }

                return read(root, value.EnumerateArray());
            }
            catch (Exception ex) when (ex is JsonException or InvalidDataException or InvalidOperationException)
            {
                throw UnexpectedShape(response, request, ex);
            }
        }

        /// <param name="expectedId">The id asked for: an answer about another token is an error, not a silently wrong object.</param>
        private VppToken ReadToken(GraphResponse response, string request, string? expectedId, IGraphLog log)
        {
            RequireText(response, request);
            VppToken token;
            try
            {
                using JsonDocument document = JsonDocument.Parse(response.Body);
                JsonElement root = document.RootElement;
                // syncLicenses is documented as {"value": {...}} while the SDKs read a bare object; take either.
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("value", out JsonElement wrapped) && wrapped.ValueKind == JsonValueKind.Object)
                {
                    root = wrapped;
                }

                token = VppTokenJson.Read(root, _client.Options.ApiVersion, _client.Secrets.Guard(log).Warning);
            }
            catch (Exception ex) when (ex is JsonException or InvalidDataException or InvalidOperationException)
            {
                throw UnexpectedShape(response, request, ex);
            }

            if (expectedId is not null && VppTokenId.Normalize(token.Id, out _) != expectedId)
            {
                throw UnexpectedShape(response, request, new InvalidDataException($"it is about VPP token '{ErrorText.Cut(token.Id, GraphErrors.ShortLength)}', not {expectedId}"));
            }

            return token;
        }

        /// <summary>Refuses a body that is not UTF-8 before any of its text is read: decoding it would throw mid-way.</summary>
        private void RequireText(GraphResponse response, string request)
        {
            if (!GraphErrors.LooksLikeHtml(response) && !Redaction.IsValidUtf8(response.Body))
            {
                throw UnexpectedShape(response, request, new InvalidDataException("its body is not valid UTF-8 text"));
            }
        }

        private GraphException UnexpectedShape(GraphResponse response, string request, Exception cause)
        {
            string detail = cause switch
            {
                InvalidDataException => cause.Message,
                InvalidOperationException => "its body holds text that cannot be decoded",
                _ when GraphErrors.LooksLikeHtml(response) => "its body is an HTML page, not JSON: a proxy or gateway between here and Graph probably answered",
                _ => "its body is not valid JSON (it may have been cut off)",
            };

            // The cause is not kept: its message can quote the answer (a megabyte of it, or a secret), and an error
            // record carries its whole exception chain into $Error and Export-Clixml.
            return new GraphException(
                GraphErrorKind.InvalidResponse,
                _client.Clean($"Graph answered {response.Status} {ErrorText.Cut(response.ReasonPhrase, GraphErrors.ShortLength)} to {request}, but {detail}."))
            {
                StatusCode = response.Status,
                RequestId = GraphErrors.Clean(response.RequestId, _client.Secrets, GraphErrors.ShortLength),
                ClientRequestId = GraphErrors.Clean(response.ClientRequestId, _client.Secrets, GraphErrors.ShortLength),
                Date = GraphErrors.Clean(response.Date, _client.Secrets, GraphErrors.ShortLength),
                Request = request,
            };
        }
    }

    /// <summary>One page of the vppTokens list.</summary>
    public sealed class VppTokenPage
    {
        internal VppTokenPage(IReadOnlyList<VppToken> tokens, Uri? nextLink, int number, VppTokenListing listing)
        {
            Tokens = tokens;
            NextLink = nextLink;
            Number = number;
            Listing = listing;
        }

        public IReadOnlyList<VppToken> Tokens { get; }

        public Uri? NextLink { get; }

        /// <summary>Which page of its listing this is, from 1.</summary>
        public int Number { get; }

        internal VppTokenListing Listing { get; }
    }
}
