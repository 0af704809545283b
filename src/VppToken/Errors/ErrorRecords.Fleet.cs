using System.Management.Automation;
using IntuneVpp.Client.Graph;

namespace IntuneVpp.Errors
{
    /// <summary>The records of renewing and checking many tokens across tenants.</summary>
    internal static partial class ErrorRecords
    {
        /// <summary>A token file no token matches; the message lists what came close, the advice how to choose by hand.</summary>
        public static ErrorRecord TokenFileNoMatch(string message, string? advice, string path) =>
            Of("TokenFileNoMatch", ErrorCategory.ObjectNotFound, message, path, advice);

        /// <summary>A token file several tokens match: nothing is sent until a person chooses.</summary>
        public static ErrorRecord TokenFileAmbiguous(string message, string? advice, string path) =>
            Of("TokenFileAmbiguous", ErrorCategory.InvalidOperation, message, path, advice);

        /// <summary>A token file for another organization than the token it would renew (Set -TokenFile, Update-IntuneVppToken).</summary>
        public static ErrorRecord TokenFileOrganizationMismatch(string message, object target) =>
            InvalidArgument("TokenFileOrganizationMismatch", message, target);

        /// <summary>A tenant whose tokens could not be listed; Graph's own error, with the tenant as target.</summary>
        public static ErrorRecord TenantUnreadable(GraphException ex, string? tenantId)
        {
            ErrorRecord record = FromGraph(ex, tenantId);
            record.ErrorDetails = Details(
                $"The VPP tokens of tenant {tenantId ?? "(unknown)"} could not be read, so no file was matched against them: {GraphText(ex)}",
                ex.Hint);
            return record;
        }

        /// <summary>-CriticalDays longer than -WarningDays: refused before anything is sent.</summary>
        public static ErrorRecord HealthWindowsConflict(int warningDays, int criticalDays) =>
            InvalidArgument(
                "CriticalDaysExceedWarningDays",
                $"-CriticalDays {criticalDays} is longer than -WarningDays {warningDays}: a token would be critical before it is a warning.",
                criticalDays,
                "Give -WarningDays at least as many days as -CriticalDays.");
    }
}
