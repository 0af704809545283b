using System;

namespace IntuneVpp.Client.Fleet
{
    /// <summary>When a token needs attention, in days; Test-IntuneVppToken's -WarningDays, -CriticalDays and -StaleSyncDays.</summary>
    public sealed class HealthThresholds
    {
        public HealthThresholds(int warningDays = 30, int criticalDays = 7, int staleSyncDays = 7)
        {
            if (criticalDays < 0 || warningDays < 0 || staleSyncDays < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(warningDays), "Days are zero or more.");
            }

            if (criticalDays > warningDays)
            {
                throw new ArgumentException($"The critical window ({criticalDays} days) must not be longer than the warning window ({warningDays} days).", nameof(criticalDays));
            }

            WarningDays = warningDays;
            CriticalDays = criticalDays;
            StaleSyncDays = staleSyncDays;
        }

        public int WarningDays { get; }

        public int CriticalDays { get; }

        public int StaleSyncDays { get; }
    }
}
