using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphEmulator.Store;

namespace GraphEmulator.Endpoints;

/// <summary>Serializes stored tokens as the requested Graph version shows them: beta properties only on beta.</summary>
internal static class VppTokenJson
{
    public static void Write(Utf8JsonWriter writer, JsonObject token, ApiVersion version, string? context = null)
    {
        writer.WriteStartObject();
        if (context is not null)
        {
            writer.WriteString("@odata.context", context);
        }

        writer.WriteString("@odata.type", VppTokenSchema.ODataType);
        foreach (PropertySpec spec in VppTokenSchema.Properties)
        {
            if (!spec.AppliesTo(version))
            {
                continue;
            }

            writer.WritePropertyName(spec.Name);
            if (token[spec.Name] is { } value)
            {
                value.WriteTo(writer);
            }
            else
            {
                writer.WriteNullValue();
            }
        }

        writer.WriteEndObject();
    }

    public static void WriteCollection(Utf8JsonWriter writer, IEnumerable<JsonObject> tokens, ApiVersion version, string context, string? nextLink)
    {
        writer.WriteStartObject();
        writer.WriteString("@odata.context", context);
        if (nextLink is not null)
        {
            writer.WriteString("@odata.nextLink", nextLink);
        }

        writer.WriteStartArray("value");
        foreach (JsonObject token in tokens)
        {
            Write(writer, token, version);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
