using System;
using System.Globalization;
using System.Management.Automation;

namespace IntuneVpp.Commands.Parameters
{
    /// <summary>
    /// Refuses, at binding and so before anything is sent, a duration outside the range the parameter can use: zero,
    /// negative, too short to be meant (a TimeSpan made from ticks), or too long to be meant.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateDurationAttribute : ValidateArgumentsAttribute
    {
        /// <param name="minimum">The shortest duration allowed, as invariant TimeSpan text ("00:00:01").</param>
        /// <param name="maximum">The longest duration allowed, likewise ("1.00:00:00").</param>
        public ValidateDurationAttribute(string minimum, string maximum)
        {
            Minimum = TimeSpan.Parse(minimum, CultureInfo.InvariantCulture);
            Maximum = TimeSpan.Parse(maximum, CultureInfo.InvariantCulture);
        }

        public TimeSpan Minimum { get; }

        public TimeSpan Maximum { get; }

        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            object value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
            if (value is not TimeSpan span)
            {
                throw new ValidationMetadataException($"'{value}' is not a duration; {Range}.");
            }

            string? problem = span <= TimeSpan.Zero ? "is not a positive duration"
                : span < Minimum ? $"is shorter than the {Friendly(Minimum)} allowed"
                : span > Maximum ? $"is longer than the {Friendly(Maximum)} allowed"
                : null;
            if (problem is not null)
            {
                throw new ValidationMetadataException($"{span.ToString("c", CultureInfo.InvariantCulture)} {problem}; {Range}.");
            }
        }

        private string Range => $"give {Friendly(Minimum)} to {Friendly(Maximum)} (a number counts as seconds: 30 is 30 s)";

        /// <summary>"100 ms", "30 s", "5 min", "1 h", "1 day": how a person would write the bound.</summary>
        internal static string Friendly(TimeSpan span)
        {
            if (span.Ticks % TimeSpan.TicksPerDay == 0)
            {
                return span.Days == 1 ? "1 day" : $"{span.Days} days";
            }

            if (span.Ticks % TimeSpan.TicksPerHour == 0)
            {
                return $"{(long)span.TotalHours} h";
            }

            if (span.Ticks % TimeSpan.TicksPerMinute == 0)
            {
                return $"{(long)span.TotalMinutes} min";
            }

            return span.Ticks % TimeSpan.TicksPerSecond == 0
                ? $"{(long)span.TotalSeconds} s"
                : span.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + " ms";
        }
    }
}
