using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using GraphEmulator.Validation;

namespace GraphEmulator.Store;

/// <summary>All tenants the emulator knows; the seed's first tenant is the default one that opaque tokens reach.</summary>
internal sealed class TenantDirectory(SeedFile seed, TimeProvider clock)
{
    private ConcurrentDictionary<string, Tenant> _tenants = new(StringComparer.OrdinalIgnoreCase);

    public string DefaultTenantId => seed.DefaultTenantId;

    public IEnumerable<Tenant> All => _tenants.Values;

    public Tenant? Find(string tenantId) => _tenants.TryGetValue(tenantId, out Tenant? tenant) ? tenant : null;

    public bool Exists(string tenantId) => _tenants.ContainsKey(tenantId);

    /// <summary>Throws away every change and reloads the seed, with relative dates resolved against now.</summary>
    public void Reset()
    {
        var tenants = new ConcurrentDictionary<string, Tenant>(StringComparer.OrdinalIgnoreCase);
        foreach ((string tenantId, JsonArray tokens) in seed.Tenants)
        {
            var tenant = new Tenant(tenantId, clock);
            tenant.ReplaceAll(Materialize(tokens));
            tenants[tenantId] = tenant;
        }

        _tenants = tenants;
    }

    public void Put(string tenantId, JsonArray tokens)
    {
        Tenant tenant = _tenants.GetOrAdd(tenantId, id => new Tenant(id, clock));
        tenant.ReplaceAll(Materialize(tokens));
    }

    /// <summary>
    /// Turns seed or control-API token JSON into stored tokens, taken as written (no Apple-file parsing, read-only
    /// properties allowed); invalid entries fail loudly.
    /// </summary>
    public IEnumerable<JsonObject> Materialize(JsonArray tokens)
    {
        DateTimeOffset now = clock.GetUtcNow();
        return tokens.Select((node, index) =>
        {
            if (node is not JsonObject raw)
            {
                throw new SeedException($"vppTokens[{index}] is not a JSON object.");
            }

            var token = (JsonObject)raw.DeepClone();
            RelativeDate.Resolve(token, now);
            ParseResult parsed = VppTokenBody.Parse(token, ApiVersion.Beta, allowReadOnly: true);
            if (parsed.Error is not null)
            {
                throw new SeedException($"vppTokens[{index}]: {parsed.Error}");
            }

            return VppTokenDefaults.Complete(parsed.Body!, now);
        }).ToList();
    }
}

internal sealed class SeedException(string message) : Exception(message);
