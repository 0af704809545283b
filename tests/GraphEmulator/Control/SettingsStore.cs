using System;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GraphEmulator.Control;

/// <summary>Holds the current settings as one immutable snapshot, swapped atomically on every change.</summary>
internal sealed class SettingsStore
{
    private volatile EmulatorSettings _current = EmulatorSettings.Default;

    public event Action? Changed;

    public EmulatorSettings Current => _current;

    public void Reset() => Swap(EmulatorSettings.Default);

    /// <summary>Merges the given properties over the current settings; returns an error message or null.</summary>
    public string? Merge(JsonObject patch)
    {
        EmulatorSettings next = _current;
        try
        {
            foreach ((string name, JsonNode? value) in patch)
            {
                next = name switch
                {
                    "patchNoContent" => next with { PatchNoContent = Bool(name, value) },
                    "pageSize" => next with { PageSize = value is null ? null : Positive(name, value) },
                    "syncLicensesWrapped" => next with { SyncLicensesWrapped = Bool(name, value) },
                    "syncCompletesAfterMs" => next with { SyncCompletesAfterMs = NonNegative(name, value) },
                    "writeQuota" => next with { WriteQuota = Quota(name, value) },
                    "readQuota" => next with { ReadQuota = Quota(name, value) },
                    _ => throw new FormatException($"Unknown setting '{name}'."),
                };
            }
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or JsonException)
        {
            return ex.Message;
        }

        Swap(next);
        return null;
    }

    public static JsonObject ToJson(EmulatorSettings s) => new()
    {
        ["patchNoContent"] = s.PatchNoContent,
        ["pageSize"] = s.PageSize,
        ["syncLicensesWrapped"] = s.SyncLicensesWrapped,
        ["syncCompletesAfterMs"] = s.SyncCompletesAfterMs,
        ["writeQuota"] = QuotaJson(s.WriteQuota),
        ["readQuota"] = QuotaJson(s.ReadQuota),
    };

    private void Swap(EmulatorSettings next)
    {
        _current = next;
        Changed?.Invoke();
    }

    private static JsonObject? QuotaJson(QuotaSetting? q) =>
        q is null ? null : new JsonObject { ["limit"] = q.Limit, ["windowMs"] = q.WindowMs, ["retryAfter"] = q.RetryAfter };

    private static QuotaSetting? Quota(string name, JsonNode? value)
    {
        if (value is null)
        {
            return null;
        }

        if (value is not JsonObject q)
        {
            throw new FormatException($"Setting '{name}' must be an object or null.");
        }

        return new QuotaSetting(
            q["limit"] is { } limit ? Positive(name + ".limit", limit) : 100,
            q["windowMs"] is { } window ? Positive(name + ".windowMs", window) : 20_000,
            q["retryAfter"] is { } retry ? retry.GetValue<string>() : "seconds");
    }

    private static bool Bool(string name, JsonNode? value) =>
        value?.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? value.GetValue<bool>()
            : throw new FormatException($"Setting '{name}' must be true or false.");

    private static int NonNegative(string name, JsonNode? value) =>
        value is JsonValue v && v.TryGetValue(out int n) && n >= 0 ? n : throw new FormatException($"Setting '{name}' must be an integer >= 0.");

    private static int Positive(string name, JsonNode value) =>
        value is JsonValue v && v.TryGetValue(out int n) && n > 0 ? n : throw new FormatException($"Setting '{name}' must be an integer > 0.");
}
