using System;
using System.Collections.Generic;
using System.Globalization;
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

/// <summary>One canned answer: status, headers, body, an optional delay, or a transport fault instead.</summary>
internal sealed record ScriptedResponse(
    int Status,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? Body,
    string? ContentType,
    int DelayMs,
    ScriptFault Fault)
{
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

        string? body = json["body"]?.GetValue<string>();
        string? contentType = null;
        if (json["json"] is { } payload)
        {
            body = payload.ToJsonString();
            contentType = "application/json";
        }
        else if (body is not null)
        {
            contentType = body.TrimStart().StartsWith('{') || body.TrimStart().StartsWith('[') ? "application/json" : "text/plain";
        }

        return new ScriptedResponse(
            json["status"]?.GetValue<int>() ?? 200,
            headers,
            body,
            contentType,
            json["delayMs"]?.GetValue<int>() ?? 0,
            ParseFault(json["fault"]?.GetValue<string>()));
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
