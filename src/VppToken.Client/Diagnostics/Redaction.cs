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

        // The fields of Entra ID's form-encoded token requests that carry a credential.
        private static readonly HashSet<string> SecretFormFields = new(StringComparer.OrdinalIgnoreCase)
        {
            "client_secret", "client_assertion", "assertion", "refresh_token", "password", "device_code", "code", "code_verifier",
        };

        private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        public static bool IsSecretProperty(string name) => SecretProperties.Contains(name);

        /// <summary>True when the bytes are well-formed UTF-8, which a JSON body must be before any of its text is read.</summary>
        public static bool IsValidUtf8(byte[] bytes)
        {
            try
            {
                _ = StrictUtf8.GetCharCount(bytes);
                return true;
            }
            catch (DecoderFallbackException)
            {
                return false;
            }
        }

        /// <summary>
        /// Returns the JSON text with every secret property's value replaced by <see cref="Mask"/>, and every known secret
        /// masked wherever else it sits (a message quoting it). Text that is not JSON, or not UTF-8, is not shown at all,
        /// since it cannot be checked for secrets.
        /// </summary>
        public static string RedactJson(ReadOnlySpan<byte> utf8Json, SentSecrets? secrets = null)
        {
            if (utf8Json.IsEmpty)
            {
                return string.Empty;
            }

            byte[] bytes = utf8Json.ToArray();
            if (!IsValidUtf8(bytes))
            {
                return $"<{utf8Json.Length} bytes that are not valid UTF-8 text, not shown>";
            }

            try
            {
                using var document = JsonDocument.Parse(bytes);
                using var buffer = new MemoryStream();
                using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
                {
                    WriteRedacted(document.RootElement, writer, secrets);
                }

                return Encoding.UTF8.GetString(buffer.ToArray());
            }
            catch (JsonException)
            {
                return $"<{utf8Json.Length} bytes of non-JSON content not shown>";
            }
            catch (InvalidOperationException)
            {
                // An escaped string that is not valid UTF-16 (a lone surrogate) cannot be decoded to be checked.
                return $"<{utf8Json.Length} bytes of JSON with undecodable text not shown>";
            }
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
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                // Not JSON, or not decodable: nothing the module sent, since it sends valid JSON only.
            }

            return values;
        }

        /// <summary>The values of the credential fields in a form-encoded body (an OAuth token request).</summary>
        public static IReadOnlyCollection<string> FormSecretValues(string form)
        {
            var values = new List<string>();
            foreach (string pair in form.Split('&'))
            {
                int equals = pair.IndexOf('=');
                if (equals <= 0)
                {
                    continue;
                }

                string name = FormDecode(pair.Substring(0, equals));
                if (SecretFormFields.Contains(name))
                {
                    string value = FormDecode(pair.Substring(equals + 1));
                    values.Add(value);
                    // The raw form is kept too: an echo may quote the value as it was sent, still escaped.
                    values.Add(pair.Substring(equals + 1));
                }
            }

            return values;
        }

        private static string FormDecode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

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

        private static void WriteRedacted(JsonElement element, Utf8JsonWriter writer, SentSecrets? secrets)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    writer.WriteStartObject();
                    foreach (JsonProperty property in element.EnumerateObject())
                    {
                        writer.WritePropertyName(secrets is null ? property.Name : secrets.Mask(property.Name));
                        if (IsSecretProperty(property.Name) && property.Value.ValueKind != JsonValueKind.Null)
                        {
                            writer.WriteStringValue(Mask);
                        }
                        else
                        {
                            WriteRedacted(property.Value, writer, secrets);
                        }
                    }

                    writer.WriteEndObject();
                    break;
                case JsonValueKind.Array:
                    writer.WriteStartArray();
                    foreach (JsonElement item in element.EnumerateArray())
                    {
                        WriteRedacted(item, writer, secrets);
                    }

                    writer.WriteEndArray();
                    break;
                case JsonValueKind.String when secrets is not null:
                    // Masked as decoded text: the writer escapes characters such as '+', so the raw secret could not be
                    // found in what it writes.
                    writer.WriteStringValue(secrets.Mask(element.GetString()!));
                    break;
                default:
                    element.WriteTo(writer);
                    break;
            }
        }
    }
}
