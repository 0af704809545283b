using System.Globalization;

namespace IntuneVpp.Client.Diagnostics
{
    /// <summary>
    /// Keeps text that came from the other side (Graph's messages, values it sent back, URLs) to a size a person can
    /// read in an error record. A hostile or broken answer can carry a megabyte of text; the record keeps the start and
    /// says how long the whole was.
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
    }
}
