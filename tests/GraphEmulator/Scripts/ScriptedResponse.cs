using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GraphEmulator.Scripts;

internal enum ScriptFault
{
    None,
    Reset,
    ResetMidBody,
    Hang,
}

/// <summary>
/// One canned answer: status, headers, body (text, or raw bytes that need not be UTF-8), an optional delay, or a
/// transport fault instead; given <see cref="Times"/> times in a row, or for every later match when <see cref="Forever"/>.
/// </summary>
internal sealed record ScriptedResponse(
    int Status,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[]? Body,
    string? ContentType,
    int DelayMs,
    ScriptFault Fault)
{
    public int Times { get; init; } = 1;

    public bool Forever { get; init; }

    public static ScriptedResponse Parse(JsonObject json)
    {
        var headers = new List<KeyValuePair<string, string>>();
        if (json["headers"] is JsonObject headerObject)
        {
            foreach ((string name, JsonNode? value) in headerObject)
            {
                string text = value?.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value?.ToJsonString() ?? string.Empty;
                headers.Add(new(name, text));
            }
        }

        string? bodyText = json["body"]?.GetValue<string>();
        byte[]? body = bodyText is null ? null : Encoding.UTF8.GetBytes(bodyText);
        string? contentType = null;
        if (json["json"] is { } payload)
        {
            body = Encoding.UTF8.GetBytes(payload.ToJsonString());
            contentType = "application/json";
        }
        else if (json["bodyBase64"]?.GetValue<string>() is { } base64)
        {
            // Bytes exactly as given: invalid UTF-8, a BOM, anything a broken server could send. JSON unless a header says.
            body = Convert.FromBase64String(base64);
            contentType = "application/json";
        }
        else if (bodyText is not null)
        {
            contentType = bodyText.TrimStart().StartsWith('{') || bodyText.TrimStart().StartsWith('[') ? "application/json" : "text/plain";
        }

        int times = json["times"]?.GetValue<int>() ?? 1;
        if (times < 1)
        {
            throw new FormatException("\"times\" must be 1 or more; use \"forever\": true for an answer that never runs out.");
        }

        return new ScriptedResponse(
            json["status"]?.GetValue<int>() ?? 200,
            headers,
            body,
            contentType,
            json["delayMs"]?.GetValue<int>() ?? 0,
            ParseFault(json["fault"]?.GetValue<string>()))
        {
            Times = times,
            Forever = json["forever"]?.GetValue<bool>() ?? false,
        };
    }

    private static ScriptFault ParseFault(string? fault) => fault?.ToLowerInvariant() switch
    {
        null or "" or "none" => ScriptFault.None,
        "reset" => ScriptFault.Reset,
        "reset-mid-body" => ScriptFault.ResetMidBody,
        "hang" => ScriptFault.Hang,
        _ => throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"Unknown fault '{fault}'; use reset, reset-mid-body or hang.")),
    };
}
