using System;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GraphEmulator.Auth;

/// <summary>The JSON halves of a JWT, base64url-encoded without padding.</summary>
internal static class Base64UrlJson
{
    public static string Encode(JsonNode node) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(node.ToJsonString()));

    public static JsonObject? TryDecode(string segment)
    {
        try
        {
            return JsonNode.Parse(Base64Url.DecodeFromChars(segment)) as JsonObject;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }
}
