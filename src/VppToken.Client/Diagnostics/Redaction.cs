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

        /// <summary>
        /// Masks every occurrence of the given secret values in free text. Graph has been seen to quote the value it
        /// refused, so a secret the request carried can come back inside a message.
        /// </summary>
        public static string Scrub(string text, IReadOnlyCollection<string>? secrets)
        {
            if (secrets is null)
            {
                return text;
            }

            foreach (string secret in secrets)
            {
                // Very short values would mask ordinary words; no real token or secret is that short.
                if (secret.Length >= 4)
                {
                    text = text.Replace(secret, Mask);
                }
            }

            return text;
        }

        /// <summary>The values of the secret properties in a JSON body, at any depth.</summary>
        public static IReadOnlyCollection<string> SecretValues(byte[] utf8Json)
        {
            var values = new List<string>();
            try
            {
                using var document = JsonDocument.Parse(utf8Json);
                Collect(document.RootElement, values);
            }
            catch (JsonException)
            {
                // Not JSON: nothing the module sent, since it sends JSON only.
            }

            return values;
        }

        private static void Collect(JsonElement element, List<string> values)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    if (IsSecretProperty(property.Name) && property.Value.ValueKind == JsonValueKind.String)
                    {
                        values.Add(property.Value.GetString()!);
                    }
                    else
                    {
                        Collect(property.Value, values);
                    }
                }
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement item in element.EnumerateArray())
                {
                    Collect(item, values);
                }
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
