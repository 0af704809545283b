using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json.Nodes;

namespace GraphEmulator.Store;

/// <summary>
/// The seed: <c>{"tenants": [{"id": "&lt;guid&gt;", "vppTokens": [...]}]}</c>. Kept as raw JSON so every reset
/// resolves relative dates afresh.
/// </summary>
internal sealed class SeedFile
{
    private SeedFile(IReadOnlyList<(string Id, JsonArray Tokens)> tenants)
    {
        Tenants = tenants;
        DefaultTenantId = tenants[0].Id;
    }

    public IReadOnlyList<(string Id, JsonArray Tokens)> Tenants { get; }

    public string DefaultTenantId { get; }

    public static SeedFile Load(string path)
    {
        JsonNode? root = JsonNode.Parse(File.ReadAllText(path));
        if (root?["tenants"] is not JsonArray tenants || tenants.Count == 0)
        {
            throw new SeedException($"Seed '{path}' needs a non-empty \"tenants\" array.");
        }

        var list = new List<(string, JsonArray)>();
        foreach (JsonNode? tenant in tenants)
        {
            string? id = tenant?["id"]?.GetValue<string>();
            if (id is null || !Guid.TryParse(id, out _))
            {
                throw new SeedException($"Seed '{path}': every tenant needs an \"id\" GUID.");
            }

            list.Add((id, tenant!["vppTokens"] as JsonArray ?? []));
        }

        return new SeedFile(list);
    }
}
