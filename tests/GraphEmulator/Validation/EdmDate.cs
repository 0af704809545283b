using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace GraphEmulator.Validation;

/// <summary>OData's Edm.DateTimeOffset literal: ISO 8601 with a mandatory offset or Z.</summary>
internal static partial class EdmDate
{
    public static bool IsValid(string text) =>
        Shape().IsMatch(text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static string FormatSeconds(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
