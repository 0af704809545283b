using System;
using System.Globalization;
using System.Text;

namespace IntuneVpp.Client.Diagnostics
{
    /// <summary>
    /// Keeps text that came from the other side (Graph's messages, values it sent back, URLs) to a size and a shape a
    /// person can read in an error record. A hostile or broken answer can carry a megabyte of text; the record keeps the
    /// start and says how long the whole was. The one place such text is cut, for both layers.
    /// </summary>
    public static class ErrorText
    {
        /// <summary>Enough for any message Graph or Entra ID really sends, small enough to read in a console.</summary>
        public const int DefaultMaxLength = 4096;

        /// <summary>
        /// Returns <paramref name="text"/> as is when it fits in <paramref name="maxLength"/> characters; otherwise its
        /// start followed by a note that it was cut and how long it was. Mask secrets before cutting, so that a secret
        /// across the cut cannot leave its first half behind.
        /// </summary>
        public static string Cut(string text, int maxLength = DefaultMaxLength)
        {
            if (text.Length <= maxLength)
            {
                return text;
            }

            int keep = maxLength < 1 ? 0 : maxLength;
            // Never split a surrogate pair: half a character would be an invalid string in the record.
            if (keep > 0 && char.IsHighSurrogate(text[keep - 1]))
            {
                keep--;
            }

            return text.Substring(0, keep) +
                   string.Format(CultureInfo.InvariantCulture, "... [cut: {0:N0} characters in all]", text.Length);
        }

        /// <summary>
        /// A service's text on one line, as a console message wants it: each run of white space or control characters
        /// (Intune's messages carry line breaks and indented JSON) becomes one space. Nothing is cut here.
        /// </summary>
        public static string OneLine(string text)
        {
            var line = new StringBuilder(text.Length);
            bool blank = false;
            foreach (char c in text.Trim())
            {
                if (char.IsWhiteSpace(c) || char.IsControl(c))
                {
                    blank = true;
                    continue;
                }

                if (blank)
                {
                    line.Append(' ');
                    blank = false;
                }

                line.Append(c);
            }

            return line.ToString();
        }

        /// <summary>A caller's value quoted in a message: control characters as '?', at most <paramref name="max"/> characters.</summary>
        public static string Printable(string value, int max = 80)
        {
            var text = new StringBuilder(Math.Min(value.Length, max));
            foreach (char c in value)
            {
                text.Append(char.IsControl(c) ? '?' : c);
            }

            return text.Length > max ? text.ToString(0, max - 3) + "..." : text.ToString();
        }

        /// <summary>A moment as every message writes it: ISO 8601 in UTC, to the second (2026-03-01T09:30:00Z).</summary>
        public static string Iso(DateTimeOffset moment) =>
            moment.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        /// <summary>
        /// A date a service sent (Graph's innerError date, which has no offset and is UTC; an HTTP Date header) in
        /// the same form; text that is no date is shown as it came.
        /// </summary>
        public static string IsoDate(string value) =>
            DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset moment)
                ? Iso(moment)
                : Printable(value);
    }
}
