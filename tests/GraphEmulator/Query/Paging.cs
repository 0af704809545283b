using System;
using System.Buffers.Text;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace GraphEmulator.Query;

/// <summary>
/// Graph-style paging: $top and the configured page size bound one page; an opaque $skiptoken carries the offset,
/// and the nextLink repeats every other query option so the client can follow it blindly.
/// </summary>
internal static class Paging
{
    public static int? ParseTop(IQueryCollection query) =>
        query.TryGetValue("$top", out var top)
            ? int.TryParse(top, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : throw new FilterException($"Invalid value '{top}' for query option '$top'.")
            : null;

    public static int ParseSkipToken(IQueryCollection query)
    {
        if (!query.TryGetValue("$skiptoken", out var token))
        {
            return 0;
        }

        try
        {
            string decoded = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(token.ToString()));
            if (decoded.StartsWith("offset:", StringComparison.Ordinal)
                && int.TryParse(decoded.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out int offset))
            {
                return offset;
            }
        }
        catch (FormatException)
        {
        }

        throw new FilterException($"The $skiptoken '{token}' is not valid.");
    }

    public static string NextLink(HttpRequest request, int offset)
    {
        string skipToken = Base64Url.EncodeToString(Encoding.ASCII.GetBytes("offset:" + offset.ToString(CultureInfo.InvariantCulture)));
        var parts = request.Query
            .Where(p => p.Key != "$skiptoken")
            .Select(p => p.Key + "=" + Uri.EscapeDataString(p.Value.ToString()))
            .Append("$skiptoken=" + skipToken);
        return request.Scheme + "://" + request.Host.Value + request.PathBase + request.Path + "?" + string.Join("&", parts);
    }
}
