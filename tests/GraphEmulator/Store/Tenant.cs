using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Threading;
using GraphEmulator.Validation;
using Microsoft.AspNetCore.Http;

namespace GraphEmulator.Store;

/// <summary>
/// One tenant's vppTokens. All access goes through one lock and hands out copies, so callers never share
/// mutable JSON across threads. Syncs in progress complete lazily, on the first access after they are due.
/// </summary>
internal sealed class Tenant(string id, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly OrderedDictionary<string, JsonObject> _tokens = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, DateTimeOffset> _syncDue = new(StringComparer.OrdinalIgnoreCase);

    public string Id { get; } = id;

    public static Tenant Of(HttpContext context) =>
        context.Features.Get<Tenant>() ?? throw new InvalidOperationException("GraphAuthFilter did not run.");

    public List<JsonObject> List(Func<JsonObject, bool>? predicate = null)
    {
        lock (_gate)
        {
            SettleSyncs();
            var result = new List<JsonObject>(_tokens.Count);
            foreach (JsonObject token in _tokens.Values)
            {
                if (predicate is null || predicate(token))
                {
                    result.Add(Copy(token));
                }
            }

            return result;
        }
    }

    public JsonObject? Get(string tokenId)
    {
        lock (_gate)
        {
            SettleSyncs();
            return _tokens.TryGetValue(tokenId, out JsonObject? token) ? Copy(token) : null;
        }
    }

    public JsonObject Add(JsonObject token)
    {
        lock (_gate)
        {
            _tokens[(string)token["id"]!] = token;
            return Copy(token);
        }
    }

    /// <summary>Applies <paramref name="change"/> to a stored token; null when the id is unknown.</summary>
    public JsonObject? Update(string tokenId, Action<JsonObject> change)
    {
        lock (_gate)
        {
            SettleSyncs();
            if (!_tokens.TryGetValue(tokenId, out JsonObject? token))
            {
                return null;
            }

            change(token);
            token["lastModifiedDateTime"] = EdmDate.Format(clock.GetUtcNow());
            return Copy(token);
        }
    }

    public bool Remove(string tokenId)
    {
        lock (_gate)
        {
            _syncDue.Remove(tokenId);
            return _tokens.Remove(tokenId);
        }
    }

    public JsonObject? StartSync(string tokenId, TimeSpan duration)
    {
        lock (_gate)
        {
            SettleSyncs();
            if (!_tokens.TryGetValue(tokenId, out JsonObject? token))
            {
                return null;
            }

            token["lastSyncStatus"] = "inProgress";
            _syncDue[tokenId] = clock.GetUtcNow() + duration;
            return Copy(token);
        }
    }

    public void ReplaceAll(IEnumerable<JsonObject> tokens)
    {
        lock (_gate)
        {
            _tokens.Clear();
            _syncDue.Clear();
            foreach (JsonObject token in tokens)
            {
                _tokens[(string)token["id"]!] = token;
            }
        }
    }

    private void SettleSyncs()
    {
        if (_syncDue.Count == 0)
        {
            return;
        }

        DateTimeOffset now = clock.GetUtcNow();
        List<string>? done = null;
        foreach ((string tokenId, DateTimeOffset due) in _syncDue)
        {
            if (due <= now)
            {
                (done ??= []).Add(tokenId);
                if (_tokens.TryGetValue(tokenId, out JsonObject? token))
                {
                    token["lastSyncStatus"] = "completed";
                    token["lastSyncDateTime"] = EdmDate.Format(due);
                }
            }
        }

        done?.ForEach(tokenId => _syncDue.Remove(tokenId));
    }

    private static JsonObject Copy(JsonObject token) => (JsonObject)token.DeepClone();
}
