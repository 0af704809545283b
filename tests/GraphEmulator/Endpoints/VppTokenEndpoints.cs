using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using GraphEmulator.Control;
using GraphEmulator.Pipeline;
using GraphEmulator.Query;
using GraphEmulator.Store;
using GraphEmulator.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GraphEmulator.Endpoints;

/// <summary>The vppTokens entity set and syncLicenses, common to v1.0 and beta.</summary>
internal static class VppTokenEndpoints
{
    public const string Collection = "/deviceAppManagement/vppTokens";

    public static void Map(IEndpointRouteBuilder graph, ApiVersion version)
    {
        graph.MapGet(Collection, (HttpContext c, SettingsStore s) => List(c, s, version));
        graph.MapPost(Collection, (HttpContext c, TimeProvider clock) => Create(c, clock, version));
        graph.MapGet(Collection + "/{id}", (HttpContext c, string id) => Get(c, id, version));
        graph.MapPatch(Collection + "/{id}", (HttpContext c, string id, SettingsStore s, TimeProvider clock) => Update(c, id, s, clock, version));
        graph.MapDelete(Collection + "/{id}", (HttpContext c, string id) => Delete(c, id));
        graph.MapPost(Collection + "/{id}/syncLicenses", (HttpContext c, string id, SettingsStore s) => SyncLicenses(c, id, s, version));
    }

    private static Task List(HttpContext context, SettingsStore settings, ApiVersion version)
    {
        IQueryCollection query = context.Request.Query;
        List<JsonObject> tokens;
        int offset, pageSize;
        try
        {
            Func<JsonObject, bool>? filter = query.TryGetValue("$filter", out var text) ? FilterParser.Compile(text.ToString(), version) : null;
            tokens = Store.Tenant.Of(context).List(filter);
            offset = Paging.ParseSkipToken(query);
            pageSize = Math.Min(Paging.ParseTop(query) ?? int.MaxValue, settings.Current.PageSize ?? int.MaxValue);
        }
        catch (FilterException ex)
        {
            return GraphError.BadRequest(context, "Invalid filter clause: " + ex.Message);
        }

        IEnumerable<JsonObject> page = tokens.Skip(offset).Take(pageSize);
        // Compared as long: with no page size, offset + int.MaxValue would wrap.
        string? nextLink = (long)offset + pageSize < tokens.Count ? Paging.NextLink(context.Request, offset + pageSize) : null;
        string odataContext = GraphUrls.Metadata(context.Request, version) + "deviceAppManagement/vppTokens";
        return JsonResponse.WriteAsync(context, StatusCodes.Status200OK, w => VppTokenJson.WriteCollection(w, page, version, odataContext, nextLink));
    }

    private static Task Get(HttpContext context, string id, ApiVersion version)
    {
        if (id.Contains('(', StringComparison.Ordinal))
        {
            return GraphError.SegmentNotFound(context, id); // a beta function called on v1.0
        }

        return Store.Tenant.Of(context).Get(id) is { } token
            ? WriteEntity(context, StatusCodes.Status200OK, token, version)
            : GraphError.NotFound(context, id);
    }

    private static Task Create(HttpContext context, TimeProvider clock, ApiVersion version)
    {
        ParseResult parsed = VppTokenBody.Parse(BufferedBody.Of(context).Bytes, version);
        if (parsed.Body is not { } body)
        {
            return GraphError.BadRequest(context, parsed.Error!);
        }

        if (body["token"] is not JsonValue tokenValue || string.IsNullOrWhiteSpace(tokenValue.GetValue<string>()))
        {
            return GraphError.BadRequest(context, "The property 'token' is required to create a vppToken.");
        }

        DateTimeOffset now = clock.GetUtcNow();
        VppTokenDefaults.ApplyAppleFile(body, stateGivenByClient: body.ContainsKey("state"), now);
        JsonObject created = Store.Tenant.Of(context).Add(VppTokenDefaults.Complete(body, now));
        return WriteEntity(context, StatusCodes.Status201Created, created, version);
    }

    private static Task Update(HttpContext context, string id, SettingsStore settings, TimeProvider clock, ApiVersion version)
    {
        ParseResult parsed = VppTokenBody.Parse(BufferedBody.Of(context).Bytes, version);
        if (parsed.Body is not { } body)
        {
            return GraphError.BadRequest(context, parsed.Error!);
        }

        JsonObject? updated = Store.Tenant.Of(context).Update(id, token =>
        {
            foreach ((string name, JsonNode? value) in body)
            {
                token[name] = value?.DeepClone();
            }

            if (body.ContainsKey("token"))
            {
                VppTokenDefaults.ApplyAppleFile(token, stateGivenByClient: body.ContainsKey("state"), clock.GetUtcNow());
            }
        });

        if (updated is null)
        {
            return GraphError.NotFound(context, id);
        }

        if (settings.Current.PatchNoContent)
        {
            JsonResponse.NoContent(context);
            return Task.CompletedTask;
        }

        return WriteEntity(context, StatusCodes.Status200OK, updated, version);
    }

    private static Task Delete(HttpContext context, string id)
    {
        if (!Store.Tenant.Of(context).Remove(id))
        {
            return GraphError.NotFound(context, id);
        }

        JsonResponse.NoContent(context);
        return Task.CompletedTask;
    }

    private static Task SyncLicenses(HttpContext context, string id, SettingsStore settings, ApiVersion version)
    {
        EmulatorSettings current = settings.Current;
        if (Store.Tenant.Of(context).StartSync(id, TimeSpan.FromMilliseconds(current.SyncCompletesAfterMs)) is not { } token)
        {
            return GraphError.NotFound(context, id);
        }

        if (!current.SyncLicensesWrapped)
        {
            return WriteEntity(context, StatusCodes.Status200OK, token, version);
        }

        string odataContext = GraphUrls.Metadata(context.Request, version) + "microsoft.graph.vppToken";
        return JsonResponse.WriteAsync(context, StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteString("@odata.context", odataContext);
            w.WritePropertyName("value");
            VppTokenJson.Write(w, token, version);
            w.WriteEndObject();
        });
    }

    private static Task WriteEntity(HttpContext context, int status, JsonObject token, ApiVersion version)
    {
        string odataContext = GraphUrls.Metadata(context.Request, version) + "deviceAppManagement/vppTokens/$entity";
        return JsonResponse.WriteAsync(context, status, w => VppTokenJson.Write(w, token, version, odataContext));
    }
}
