using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using GraphEmulator.Pipeline;
using GraphEmulator.Scripts;
using GraphEmulator.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GraphEmulator.Control;

/// <summary>The test control API under /_emulator: request log, reset, settings, scripts and tenants.</summary>
internal static class ControlEndpoints
{
    public static RouteGroupBuilder MapControl(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder control = app.MapGroup(ControlPaths.Prefix);
        control.AddEndpointFilter(async (invocation, next) =>
        {
            try
            {
                return await next(invocation).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ControlException or SeedException or FormatException or InvalidOperationException)
            {
                await ControlJson.Error(invocation.HttpContext, StatusCodes.Status400BadRequest, ex.Message).ConfigureAwait(false);
                return Results.Empty;
            }
        });

        control.MapGet("/health", (HttpContext c) => ControlJson.Ok(c, new JsonObject { ["status"] = "healthy" }));
        control.MapGet("/requests", (HttpContext c, RequestLog log) =>
            JsonResponse.WriteAsync(c, StatusCodes.Status200OK, w => RequestLogJson.Write(w, log.Snapshot())));
        control.MapDelete("/requests", (RequestLog log) =>
        {
            log.Clear();
            return Results.NoContent();
        });
        control.MapPost("/reset", (EmulatorState state) =>
        {
            state.Reset();
            return Results.NoContent();
        });
        control.MapGet("/settings", (HttpContext c, SettingsStore s) => ControlJson.Ok(c, SettingsStore.ToJson(s.Current)));
        control.MapPut("/settings", (HttpContext c, SettingsStore s) =>
            s.Merge(ControlJson.ReadObject(c)) is { } error
                ? ControlJson.Error(c, StatusCodes.Status400BadRequest, error)
                : ControlJson.Ok(c, SettingsStore.ToJson(s.Current)));
        control.MapPost("/scripts", (HttpContext c, ScriptBook book) => AddScript(c, book));
        control.MapDelete("/scripts", (ScriptBook book) =>
        {
            book.Clear();
            return Results.NoContent();
        });
        control.MapGet("/tenants/{tenantId}/vppTokens", (HttpContext c, string tenantId, TenantDirectory tenants) =>
            tenants.Find(tenantId) is { } tenant
                ? ControlJson.Ok(c, new JsonArray([.. tenant.List()]))
                : ControlJson.Error(c, StatusCodes.Status404NotFound, $"Unknown tenant '{tenantId}'."));
        control.MapPut("/tenants/{tenantId}", (HttpContext c, string tenantId, TenantDirectory tenants) => PutTenant(c, tenantId, tenants));
        return control;
    }

    private static Task AddScript(HttpContext context, ScriptBook book)
    {
        JsonObject body = ControlJson.ReadObject(context);
        string path = (string?)body["path"] ?? throw new ControlException("A script needs a \"path\".");
        if (body["responses"] is not JsonArray responses || responses.Count == 0)
        {
            throw new ControlException("A script needs a non-empty \"responses\" array.");
        }

        ScriptedResponse[] answers = [.. responses.Select(r => ScriptedResponse.Parse(r as JsonObject ?? throw new ControlException("Each response must be an object.")))];
        book.Add(new Script((string?)body["method"], path, answers));
        return ControlJson.Ok(context, new JsonObject { ["queued"] = answers.Length });
    }

    private static Task PutTenant(HttpContext context, string tenantId, TenantDirectory tenants)
    {
        if (!Guid.TryParse(tenantId, out _))
        {
            throw new ControlException($"The tenant id '{tenantId}' is not a GUID.");
        }

        JsonArray tokens = ControlJson.ReadObject(context)["vppTokens"] as JsonArray ?? [];
        tenants.Put(tenantId, tokens);
        return ControlJson.Ok(context, new JsonArray([.. tenants.Find(tenantId)!.List()]));
    }
}
