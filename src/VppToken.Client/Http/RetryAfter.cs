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

            // An HTTP date has a comma after the day name ("Wed, 21 Oct 2015 07:28:00 GMT"); a list of delays does not.
            if (DateTimeOffset.TryParseExact(first, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset date) ||
                DateTimeOffset.TryParse(first, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date) && first.IndexOf(':') >= 0)
            {
                TimeSpan untilThen = date - now;
                return Clamp(untilThen < TimeSpan.Zero ? TimeSpan.Zero : untilThen);
            }

            int comma = first.IndexOf(',');
            if (comma >= 0)
            {
                first = first.Substring(0, comma).Trim();
            }

            if (double.TryParse(first, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds) &&
                !double.IsNaN(seconds) && !double.IsInfinity(seconds))
            {
                return Clamp(TimeSpan.FromSeconds(Math.Min(seconds, Longest.TotalSeconds)));
            }

            return null;
        }

        private static TimeSpan Clamp(TimeSpan wait) => wait > Longest ? Longest : wait;
    }
}
