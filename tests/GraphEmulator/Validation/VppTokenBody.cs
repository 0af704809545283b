using System;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphEmulator.Store;

namespace GraphEmulator.Validation;

/// <summary>
/// Reads a POST/PATCH body and refuses what Graph's OData layer would refuse, naming the property at fault.
/// The result holds schema properties only, enum members in their canonical casing.
/// </summary>
internal static class VppTokenBody
{
    public static ParseResult Parse(ReadOnlyMemory<byte> bytes, ApiVersion version, bool allowReadOnly = false)
    {
        if (bytes.IsEmpty)
        {
            return ParseResult.Fail("Empty Payload. JSON content expected.");
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(bytes.Span);
        }
        catch (JsonException ex)
        {
            return ParseResult.Fail(
                "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format. " + ex.Message);
        }

        return root is JsonObject body
            ? Parse(body, version, allowReadOnly)
            : ParseResult.Fail("The request payload must be a JSON object describing a 'microsoft.graph.vppToken'.");
    }

    public static ParseResult Parse(JsonObject body, ApiVersion version, bool allowReadOnly)
    {
        var result = new JsonObject();
        foreach ((string name, JsonNode? value) in body)
        {
            if (name == "@odata.type")
            {
                string? type = value is JsonValue v && v.TryGetValue(out string? s) ? s : null;
                if (type != VppTokenSchema.ODataType)
                {
                    return ParseResult.Fail(
                        $"A type named '{type ?? value?.ToJsonString()}' given in '@odata.type' could not be resolved by the model; expected '{VppTokenSchema.ODataType}'.");
                }

                continue;
            }

            if (name.Contains('@', StringComparison.Ordinal))
            {
                continue; // other instance annotations are ignored, as OData does
            }

            PropertySpec? spec = VppTokenSchema.Find(name, version);
            if (spec is null)
            {
                return ParseResult.Fail(
                    $"The property '{name}' does not exist on type '{VppTokenSchema.TypeName}'. Make sure to only use property names that are defined by the type or mark the type as open type.");
            }

            if (spec.ReadOnly && !allowReadOnly)
            {
                return ParseResult.Fail($"The property '{name}' is read-only and cannot be set.");
            }

            string? error = Check(spec, value, version, out JsonNode? canonical);
            if (error is not null)
            {
                return ParseResult.Fail(error);
            }

            result[name] = canonical;
        }

        return ParseResult.Ok(result);
    }

    private static string? Check(PropertySpec spec, JsonNode? value, ApiVersion version, out JsonNode? canonical)
    {
        canonical = value?.DeepClone();
        if (value is null)
        {
            return spec.Nullable
                ? null
                : $"A null value was found for the property named '{spec.Name}', which has the expected type '{spec.EdmType}[Nullable=False]'. The expected type does not allow null values.";
        }

        JsonValueKind kind = value.GetValueKind();
        switch (spec.Kind)
        {
            case PropertyKind.String when kind == JsonValueKind.String:
            case PropertyKind.Boolean when kind is JsonValueKind.True or JsonValueKind.False:
            case PropertyKind.ObjectCollection when kind == JsonValueKind.Array && value.AsArray().All(i => i is JsonObject):
                return null;
            case PropertyKind.Int32 when kind == JsonValueKind.Number && value.AsValue().TryGetValue(out int _):
                return null;
            case PropertyKind.StringCollection when kind == JsonValueKind.Array && value.AsArray().All(i => i?.GetValueKind() == JsonValueKind.String):
                return null;
            case PropertyKind.DateTimeOffset when kind == JsonValueKind.String:
                string date = value.GetValue<string>();
                return EdmDate.IsValid(date)
                    ? null
                    : $"Cannot convert the literal '{date}' to the expected type 'Edm.DateTimeOffset' of property '{spec.Name}'.";
            case PropertyKind.Enum when kind == JsonValueKind.String:
                string member = value.GetValue<string>();
                string? known = spec.MembersFor(version).FirstOrDefault(m => string.Equals(m, member, StringComparison.OrdinalIgnoreCase));
                canonical = known;
                return known is not null
                    ? null
                    : $"The value '{member}' of property '{spec.Name}' is not a valid member of enum type '{spec.EdmType}'. Valid members: {string.Join(", ", spec.MembersFor(version))}.";
            default:
                return $"Cannot convert a {kind} value to the expected type '{spec.EdmType}' of property '{spec.Name}'.";
        }
    }
}

internal readonly record struct ParseResult(JsonObject? Body, string? Error)
{
    public static ParseResult Ok(JsonObject body) => new(body, null);

    public static ParseResult Fail(string error) => new(null, error);
}
