using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using GraphEmulator.Pipeline;
using GraphEmulator.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GraphEmulator.Endpoints;

/// <summary>The beta-only operations: revokeLicenses, getLicensesForApp and syncLicenseCounts.</summary>
internal static class BetaActionEndpoints
{
    public static void Map(IEndpointRouteBuilder beta)
    {
        const string collection = VppTokenEndpoints.Collection;
        beta.MapPost(collection + "/{id}/revokeLicenses", (HttpContext c, string id) => RevokeLicenses(c, id));
        beta.MapGet(collection + "/getLicensesForApp(bundleId='{bundleId}')", (HttpContext c, string bundleId) => GetLicensesForApp(c, bundleId));
        beta.MapPost(collection + "/syncLicenseCounts", (HttpContext c) => SyncLicenseCounts(c));
    }

    private static Task RevokeLicenses(HttpContext context, string id)
    {
        ReadOnlyMemory<byte> bytes = BufferedBody.Of(context).Bytes;
        if (!bytes.IsEmpty)
        {
            JsonNode? body;
            try
            {
                body = JsonNode.Parse(bytes.Span);
            }
            catch (JsonException ex)
            {
                return GraphError.BadRequest(context, "Unable to read JSON request payload. " + ex.Message);
            }

            if (body is not JsonObject parameters)
            {
                return GraphError.BadRequest(context, "The parameters of action 'revokeLicenses' must be a JSON object.");
            }

            foreach ((string name, JsonNode? value) in parameters)
            {
                if (name is not ("notifyManagedDevices" or "revokeUntrackedLicenses"))
                {
                    return GraphError.BadRequest(context, $"The parameter '{name}' in the request payload is not a valid parameter for the operation 'revokeLicenses'.");
                }

                if (value?.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                {
                    return GraphError.BadRequest(context, $"Cannot convert the value of parameter '{name}' to the expected type 'Edm.Boolean'.");
                }
            }
        }

        if (Store.Tenant.Of(context).Get(id) is null)
        {
            return GraphError.NotFound(context, id);
        }

        JsonResponse.NoContent(context);
        return Task.CompletedTask;
    }

    private static Task GetLicensesForApp(HttpContext context, string bundleId)
    {
        List<JsonObject> tokens = Store.Tenant.Of(context).List();
        string odataContext = GraphUrls.Metadata(context.Request, ApiVersion.Beta) + "Collection(microsoft.graph.vppTokenLicenseSummary)";
        return JsonResponse.WriteAsync(context, StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteString("@odata.context", odataContext);
            w.WriteStartArray("value");
            foreach (JsonObject token in tokens)
            {
                string tokenId = (string)token["id"]!;
                (int available, int used) = Counts(tokenId, bundleId);
                w.WriteStartObject();
                w.WriteString("vppTokenId", tokenId);
                w.WriteString("appleId", (string?)token["appleId"]);
                w.WriteString("organizationName", (string?)token["organizationName"]);
                w.WriteNumber("availableLicenseCount", available);
                w.WriteNumber("usedLicenseCount", used);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static Task SyncLicenseCounts(HttpContext context)
    {
        JsonResponse.NoContent(context);
        return Task.CompletedTask;
    }

    /// <summary>Made-up but stable counts: the same token and app always report the same numbers.</summary>
    private static (int Available, int Used) Counts(string tokenId, string bundleId)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(tokenId.ToUpperInvariant() + "|" + bundleId));
        int total = 10 + BitConverter.ToUInt16(hash, 0) % 491;
        int used = BitConverter.ToUInt16(hash, 2) % (total + 1);
        return (total - used, used);
    }
}
