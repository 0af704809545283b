using System.Linq;
using System.Text.Json;

namespace IntuneVpp.Client.Tests
{
    /// <summary>
    /// JSON in one canonical text: property order kept, whitespace and escaping normalised, so two documents compare
    /// equal exactly when they hold the same names, in the same order, with the same values.
    /// </summary>
    internal static class JsonText
    {
        public static string Canonical(string json)
        {
            using JsonDocument document = JsonDocument.Parse(json);
            return Canonical(document.RootElement);
        }

        public static string Canonical(byte[] utf8Json)
        {
            using JsonDocument document = JsonDocument.Parse(utf8Json);
            return Canonical(document.RootElement);
        }

        public static string Canonical(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.Object => "{" + string.Join(",", element.EnumerateObject().Select(p => JsonSerializer.Serialize(p.Name) + ":" + Canonical(p.Value))) + "}",
            JsonValueKind.Array => "[" + string.Join(",", element.EnumerateArray().Select(Canonical)) + "]",
            JsonValueKind.String => JsonSerializer.Serialize(element.GetString()),
            JsonValueKind.Number => element.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => "null",
        };

        public static string[] PropertyNames(byte[] utf8Json)
        {
            using JsonDocument document = JsonDocument.Parse(utf8Json);
            return document.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        }
    }
}
