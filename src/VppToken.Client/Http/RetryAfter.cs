using System;
using System.Globalization;

namespace IntuneVpp.Client.Http
{
    /// <summary>Reads a Retry-After header in every form Graph and the proxies in front of it have been seen to send.</summary>
    public static class RetryAfter
    {
        private static readonly TimeSpan Longest = TimeSpan.FromHours(1);

        /// <summary>
        /// Returns the wait the server asked for, or null when the header is missing or unreadable (the caller then
        /// backs off on its own). Accepts whole or fractional seconds, an HTTP date, and a list (the first entry wins).
        /// </summary>
        public static TimeSpan? Parse(string? value, DateTimeOffset now)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            string first = value!.Trim();

            // An HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT") has a time with colons; a delay or a list of delays has
            // none. The invariant parse reads RFC 1123 dates, and AssumeUniversal takes "GMT" as UTC.
            if (first.Contains(":") &&
                DateTimeOffset.TryParse(first, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset date))
            {
                return Clamp(date - now);
            }

            // Of a list, the first entry.
            first = first.Split(',')[0].Trim();
            if (double.TryParse(first, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds) &&
                !double.IsNaN(seconds) && !double.IsInfinity(seconds))
            {
                return Clamp(TimeSpan.FromSeconds(Math.Min(seconds, Longest.TotalSeconds)));
            }

            return null;
        }

        // No wait below zero (a date gone by) and none above an hour.
        private static TimeSpan Clamp(TimeSpan wait) => TimeSpan.FromTicks(Math.Max(0L, Math.Min(wait.Ticks, Longest.Ticks)));
    }
}
