using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;

namespace IntuneVpp.Client.Diagnostics
{
    /// <summary>Makes request and response bodies safe to show: secret JSON properties lose their values.</summary>
    public static class Redaction
    {
        public const string Mask = "***";

        private static readonly HashSet<string> SecretProperties = new(StringComparer.OrdinalIgnoreCase)
        {
            "token", "access_token", "refresh_token", "id_token", "client_secret", "client_assertion", "assertion",
            "password",
        };

        public static bool IsSecretProperty(string name) => SecretProperties.Contains(name);

        /// <summary>
        /// Returns the JSON text with every secret property's value replaced by <see cref="Mask"/>. Text that is not
        /// JSON is not shown at all, since it cannot be checked for secrets.
        /// </summary>
        public static string RedactJson(ReadOnlySpan<byte> utf8Json)
        {
            if (utf8Json.IsEmpty)
            {
                return string.Empty;
            }

            try
            {
                using var document = JsonDocument.Parse(utf8Json.ToArray());
                using var buffer = new MemoryStream();
                using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
                {
                    WriteRedacted(document.RootElement, writer);
                }

                return Encoding.UTF8.GetString(buffer.ToArray());
            }
            catch (JsonException)
            {
                return $"<{utf8Json.Length} bytes of non-JSON content not shown>";
            }
        }

        private static void WriteRedacted(JsonElement element, Utf8JsonWriter writer)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    writer.WriteStartObject();
                    foreach (JsonProperty property in element.EnumerateObject())
                    {
                        writer.WritePropertyName(property.Name);
                        if (IsSecretProperty(property.Name) && property.Value.ValueKind != JsonValueKind.Null)
                        {
                            writer.WriteStringValue(Mask);
                        }
                        else
                        {
                            WriteRedacted(property.Value, writer);
                        }
                    }

                    writer.WriteEndObject();
                    break;
                case JsonValueKind.Array:
                    writer.WriteStartArray();
                    foreach (JsonElement item in element.EnumerateArray())
                    {
                        WriteRedacted(item, writer);
                    }

                    writer.WriteEndArray();
                    break;
                default:
                    element.WriteTo(writer);
                    break;
            }
        }
    }
}
