using System;
using System.Collections.Generic;
using System.Linq;

namespace IntuneVpp
{
    /// <summary>The documented values of the vppToken enumerations, in Graph's own spelling.</summary>
    public static class VppTokenValues
    {
        public static readonly IReadOnlyList<string> AccountTypes = new[] { "business", "education" };

        public static readonly IReadOnlyList<string> States =
            new[] { "unknown", "valid", "expired", "invalid", "assignedToExternalMDM" };

        public static readonly IReadOnlyList<string> SyncStatuses = new[] { "none", "inProgress", "completed", "failed" };

        /// <summary>Returns the documented spelling of <paramref name="value"/>, matched without regard to case.</summary>
        public static string? Canonical(IReadOnlyList<string> documented, string? value) =>
            value is null ? null : documented.FirstOrDefault(d => string.Equals(d, value, StringComparison.OrdinalIgnoreCase));
    }
}
