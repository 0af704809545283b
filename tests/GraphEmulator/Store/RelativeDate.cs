using System;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GraphEmulator.Validation;

namespace GraphEmulator.Store;

/// <summary>
/// Seed dates such as <c>"+30d"</c> or <c>"-2h"</c> (units d, h, m, s) resolve against the time the seed is loaded,
/// so a static file can hold a token that always expires soon.
/// </summary>
internal static partial class RelativeDate
{
    public static void Resolve(JsonObject token, DateTimeOffset now)
    {
        foreach (PropertySpec spec in VppTokenSchema.Properties)
        {
            if (spec.Kind == PropertyKind.DateTimeOffset
                && token[spec.Name] is JsonValue value
                && value.TryGetValue(out string? text)
                && TryResolve(text, now, out DateTimeOffset resolved))
            {
                token[spec.Name] = EdmDate.FormatSeconds(resolved);
            }
        }
    }

    public static bool TryResolve(string text, DateTimeOffset now, out DateTimeOffset value)
    {
        Match match = Shape().Match(text);
        if (!match.Success)
        {
            value = default;
            return false;
        }

        double amount = double.Parse(match.Groups["n"].ValueSpan, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        value = now + match.Groups["unit"].Value switch
        {
            "d" => TimeSpan.FromDays(amount),
            "h" => TimeSpan.FromHours(amount),
            "m" => TimeSpan.FromMinutes(amount),
            _ => TimeSpan.FromSeconds(amount),
        };
        return true;
    }

    [GeneratedRegex(@"^(?<n>[+-]\d+(\.\d+)?)(?<unit>[dhms])$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
