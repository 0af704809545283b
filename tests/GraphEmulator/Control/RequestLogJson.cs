using System.Collections.Generic;
using System.Text.Json;

namespace GraphEmulator.Control;

internal static class RequestLogJson
{
    public static void Write(Utf8JsonWriter writer, IEnumerable<LoggedRequest> requests)
    {
        writer.WriteStartArray();
        foreach (LoggedRequest r in requests)
        {
            writer.WriteStartObject();
            writer.WriteNumber("sequence", r.Sequence);
            writer.WriteString("time", r.Time);
            writer.WriteString("method", r.Method);
            writer.WriteString("path", r.Path);
            writer.WriteStartObject("headers");
            foreach ((string name, string value) in r.Headers)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
            writer.WriteString("body", r.Body);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
