using System;
using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GraphEmulator.Auth;

/// <summary>The JSON halves of a JWT, base64url-encoded without padding.</summary>
internal static class Base64UrlJson
{
    public static string Encode(JsonNode node) => Base64Url.EncodeToString(JsonSerializerUtf8(node));

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

    private static byte[] JsonSerializerUtf8(JsonNode node) => System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());
}
