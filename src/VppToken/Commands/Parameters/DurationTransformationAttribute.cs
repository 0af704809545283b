using System;
using System.Globalization;
using System.Management.Automation;

namespace IntuneVpp.Commands.Parameters
{
    /// <summary>
    /// Reads a duration the way a person means it. PowerShell on its own turns a bare number into a TimeSpan of that
    /// many ticks, so -Timeout 300 would be 30 microseconds; here a number (or a numeric string, such as a CSV cell)
    /// is seconds, while a TimeSpan or a time span string such as '00:05:00' is taken as it is.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class DurationTransformationAttribute : ArgumentTransformationAttribute
    {
        private const string Forms = "give seconds (300), a time span such as '00:05:00' (hours:minutes:seconds), or a [TimeSpan]";

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            return value switch
            {
                TimeSpan span => span,
                byte or sbyte or short or ushort or int or uint or long or ulong => FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture), value),
                float or double or decimal => FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture), value),
                string text => Parse(text),
                // Anything else is left to PowerShell's own conversion, and its own error.
                _ => inputData,
            };
        }

        internal static TimeSpan Parse(string text)
        {
            string trimmed = text.Trim();
            if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
            {
                return FromSeconds(seconds, text);
            }

            // The invariant culture only: the same script must read '00:05:00' the same way on every machine.
            if (trimmed.Length > 0 && TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out TimeSpan span))
            {
                return span;
            }

            throw new ArgumentTransformationMetadataException($"'{text}' is not a duration; {Forms}.");
        }

        private static TimeSpan FromSeconds(double seconds, object given)
        {
            if (double.IsNaN(seconds) || double.IsInfinity(seconds) || Math.Abs(seconds) >= TimeSpan.MaxValue.TotalSeconds)
            {
                throw new ArgumentTransformationMetadataException(
                    string.Format(CultureInfo.InvariantCulture, "{0} seconds is not a duration that can be waited; {1}.", given, Forms));
            }

            // Ticks, not TimeSpan.FromSeconds: on .NET Framework that rounds to whole milliseconds.
            return TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
        }
    }
}
