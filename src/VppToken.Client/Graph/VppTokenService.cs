using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using IntuneVpp.Client.Diagnostics;

namespace IntuneVpp.Client.Graph
{
    /// <summary>The deviceAppManagement/vppTokens operations.</summary>
    public sealed class VppTokenService
    {
        private const string CollectionPath = "deviceAppManagement/vppTokens";

        private readonly GraphClient _client;

        internal VppTokenService(GraphClient client) => _client = client;

        /// <summary>The first page of the list; follow <see cref="VppTokenPage.NextLink"/> with <see cref="ListNextAsync"/>.</summary>
        public Task<VppTokenPage> ListAsync(string? filter, IGraphLog log, CancellationToken cancellationToken)
        {
            string? query = string.IsNullOrEmpty(filter) ? null : "$filter=" + Uri.EscapeDataString(filter);
            return ReadPageAsync(_client.UriFor(CollectionPath, query), log, cancellationToken);
        }

        /// <summary>The page an @odata.nextLink points to. It must be on the connection's own Graph host.</summary>
        public Task<VppTokenPage> ListNextAsync(Uri nextLink, IGraphLog log, CancellationToken cancellationToken) =>
            ReadPageAsync(nextLink, log, cancellationToken);

        public async Task<VppToken> GetAsync(string id, IGraphLog log, CancellationToken cancellationToken)
        {
            GraphResponse response = await _client.SendAsync(RequestMethod.Get, ItemUri(id), null, isWrite: false, replayable: true, log, cancellationToken).ConfigureAwait(false);
            return ReadToken(response, $"GET {CollectionPath}/{id}");
        }

        /// <summary>
        /// PATCHes the set properties. Returns the updated token when Graph sends it back (200), or null when Graph
        /// answers 204 No Content, as it usually does.
        /// </summary>
        public async Task<VppToken?> UpdateAsync(string id, VppTokenChanges changes, IGraphLog log, CancellationToken cancellationToken)
        {
            byte[] body = VppTokenJson.WriteChanges(changes);
            GraphResponse response = await _client.SendAsync(RequestMethod.Patch, ItemUri(id), body, isWrite: true, replayable: true, log, cancellationToken).ConfigureAwait(false);
            return response.Status == 204 || response.Body.Length == 0 ? null : ReadToken(response, $"PATCH {CollectionPath}/{id}");
        }

        /// <summary>Creates a token (POST). Never replayed after a timeout or dropped connection: it may have been applied.</summary>
        public async Task<VppToken> CreateAsync(VppTokenChanges token, IGraphLog log, CancellationToken cancellationToken)
        {
            byte[] body = VppTokenJson.WriteChanges(token);
            GraphResponse response = await _client.SendAsync(RequestMethod.Post, _client.UriFor(CollectionPath), body, isWrite: true, replayable: false, log, cancellationToken).ConfigureAwait(false);
            return ReadToken(response, $"POST {CollectionPath}");
        }

        public Task DeleteAsync(string id, IGraphLog log, CancellationToken cancellationToken) =>
            _client.SendAsync(RequestMethod.Delete, ItemUri(id), null, isWrite: true, replayable: true, log, cancellationToken);

        /// <summary>Starts a license sync. Returns the token as Graph sends it back (bare or wrapped in "value"), if it does.</summary>
        public async Task<VppToken?> SyncLicensesAsync(string id, IGraphLog log, CancellationToken cancellationToken)
        {
            GraphResponse response = await _client.SendAsync(RequestMethod.Post, ItemUri(id, "/syncLicenses"), null, isWrite: true, replayable: true, log, cancellationToken).ConfigureAwait(false);
            return response.Body.Length == 0 ? null : ReadToken(response, $"POST {CollectionPath}/{id}/syncLicenses");
        }

        /// <summary>Revokes the token's licenses (beta).</summary>
        public Task RevokeLicensesAsync(string id, bool notifyManagedDevices, bool revokeUntrackedLicenses, IGraphLog log, CancellationToken cancellationToken)
        {
            byte[] body = System.Text.Encoding.UTF8.GetBytes(
                "{\"notifyManagedDevices\":" + (notifyManagedDevices ? "true" : "false") +
                ",\"revokeUntrackedLicenses\":" + (revokeUntrackedLicenses ? "true" : "false") + "}");
            return _client.SendAsync(RequestMethod.Post, ItemUri(id, "/revokeLicenses"), body, isWrite: true, replayable: true, log, cancellationToken);
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

        private Uri ItemUri(string id, string action = "")
        {
            string normalized = VppTokenId.Normalize(id, out string? problem) ?? throw new ArgumentException(problem, nameof(id));
            return _client.UriFor(CollectionPath + "/" + Uri.EscapeDataString(normalized) + action);
        }

        private async Task<VppTokenPage> ReadPageAsync(Uri uri, IGraphLog log, CancellationToken cancellationToken)
        {
            GraphResponse response = await _client.SendAsync(RequestMethod.Get, uri, null, isWrite: false, replayable: true, log, cancellationToken).ConfigureAwait(false);
            return ReadCollection(response, $"GET {uri.PathAndQuery}", (root, items) =>
            {
                var tokens = items.Select(item => VppTokenJson.Read(item, _client.Options.ApiVersion)).ToList();
                Uri? next = null;
                if (root.TryGetProperty("@odata.nextLink", out JsonElement link) && link.ValueKind == JsonValueKind.String)
                {
                    // On Unix a path such as /v1.0/... parses as an absolute file: URL; only http(s) is a link.
                    if (!Uri.TryCreate(link.GetString(), UriKind.Absolute, out next) || (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps))
                    {
                        throw new InvalidDataException("its @odata.nextLink is not an absolute URL");
                    }
                }

                return new VppTokenPage(tokens, next);
            });
        }

        /// <summary>
        /// Reads a collection answer, {"value": [...]}, turning any JSON or shape problem into one clear GraphException.
        /// </summary>
        private static T ReadCollection<T>(GraphResponse response, string request, Func<JsonElement, IEnumerable<JsonElement>, T> read)
        {
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
            catch (Exception ex) when (ex is JsonException or InvalidDataException)
            {
                throw UnexpectedShape(response, request, ex);
            }
        }

        private VppToken ReadToken(GraphResponse response, string request)
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(response.Body);
                JsonElement root = document.RootElement;
                // syncLicenses is documented as {"value": {...}} while the SDKs read a bare object; take either.
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("value", out JsonElement wrapped) && wrapped.ValueKind == JsonValueKind.Object)
                {
                    root = wrapped;
                }

                return VppTokenJson.Read(root, _client.Options.ApiVersion);
            }
            catch (Exception ex) when (ex is JsonException or InvalidDataException)
            {
                throw UnexpectedShape(response, request, ex);
            }
        }

        private static GraphException UnexpectedShape(GraphResponse response, string request, Exception cause)
        {
            string detail = cause is not JsonException ? cause.Message
                : GraphErrors.LooksLikeHtml(response) ? "its body is an HTML page, not JSON: a proxy or gateway between here and Graph probably answered"
                : "its body is not valid JSON (it may have been cut off)";
            return new GraphException(GraphErrorKind.InvalidResponse, $"Graph answered {response.Status} {response.ReasonPhrase} to {request}, but {detail}.", cause)
            {
                StatusCode = response.Status,
                RequestId = response.RequestId,
                ClientRequestId = response.ClientRequestId,
                Date = response.Date,
                Request = request,
            };
        }
    }

    /// <summary>One page of the vppTokens list.</summary>
    public sealed class VppTokenPage
    {
        public VppTokenPage(IReadOnlyList<VppToken> tokens, Uri? nextLink)
        {
            Tokens = tokens;
            NextLink = nextLink;
        }

        public IReadOnlyList<VppToken> Tokens { get; }

        public Uri? NextLink { get; }
    }
}
