using System;
using System.Globalization;
using System.Text;

namespace IntuneVpp.Client.Diagnostics
{
    /// <summary>
    /// Makes text from elsewhere (a caller's value, Graph's or Entra ID's message) fit an error message: one line,
    /// no control characters, and short enough to read. The one place such text is cut, for both layers.
    /// </summary>
    public static class ErrorText
    {
        /// <summary>Longest text from a service an error message shows; the answer's whole body is on -Debug.</summary>
        public const int MaxServiceText = 2000;

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

        /// <summary>
        /// A service's text on one line (runs of white space, line breaks included, become one space), cut at a word
        /// after <paramref name="max"/> characters with a note of how much was left out.
        /// </summary>
        public static string Shorten(string text, int max = MaxServiceText)
        {
            var line = new StringBuilder(Math.Min(text.Length, max + 1));
            bool space = false;
            int kept = 0;
            int total = 0;
            foreach (char c in text.Trim())
            {
                bool blank = char.IsWhiteSpace(c) || char.IsControl(c);
                if (blank && space)
                {
                    continue;
                }

                space = blank;
                total++;
                if (line.Length < max)
                {
                    line.Append(blank ? ' ' : c);
                    kept = total;
                }
            }

            if (kept == total)
            {
                return line.ToString();
            }

            // Back to the last word boundary, unless that would drop most of what is kept.
            string cut = line.ToString();
            int boundary = cut.LastIndexOf(' ');
            if (boundary > max / 2)
            {
                cut = cut.Substring(0, boundary);
            }

            return $"{cut.TrimEnd()}… ({total - cut.Length} more characters)";
        }
    }
}
