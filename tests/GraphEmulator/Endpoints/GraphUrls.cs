using GraphEmulator.Store;
using Microsoft.AspNetCore.Http;

namespace GraphEmulator.Endpoints;

/// <summary>Absolute URLs on the host the client called, as Graph's @odata.context and nextLink are.</summary>
internal static class GraphUrls
{
    public static string Base(HttpRequest request) => request.Scheme + "://" + request.Host.Value;

    public static string Metadata(HttpRequest request, ApiVersion version) =>
        Base(request) + "/" + version.Segment() + "/$metadata#";
}
