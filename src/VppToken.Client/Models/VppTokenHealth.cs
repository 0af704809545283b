using System;
using System.Collections.Generic;
using System.Linq;

namespace IntuneVpp
{
    /// <summary>How much a token needs attention, worst last so that they compare.</summary>
    public enum VppTokenHealthStatus
    {
        Healthy,
        Warning,
        Critical,
    }

    /// <summary>Why a token is not healthy.</summary>
    public enum VppTokenHealthReasonCode
    {
        /// <summary>The expiration date has passed.</summary>
        Expired,

        /// <summary>It expires within -CriticalDays.</summary>
        ExpiresWithinCriticalDays,

        /// <summary>It expires within -WarningDays.</summary>
        ExpiresWithinWarningDays,

        /// <summary>Graph gives no expiration date.</summary>
        ExpirationUnknown,

        /// <summary>State assignedToExternalMDM: another MDM has claimed the token.</summary>
        AssignedToExternalMdm,

        /// <summary>State duplicateLocationId (beta): another token uses the same Apple location.</summary>
        DuplicateLocationId,

        /// <summary>State invalid: Apple no longer accepts the token (an administrator's password reset does this).</summary>
        InvalidState,

        /// <summary>Any other state but valid (unknown, expired, a value newer than this module).</summary>
        StateNotValid,

        /// <summary>The last license sync failed.</summary>
        LastSyncFailed,

        /// <summary>No sync for more than -StaleSyncDays, or never.</summary>
        SyncStale,

        /// <summary>The tenant's tokens could not be read.</summary>
        TenantUnreadable,

        /// <summary>A token asked for by -Id is in none of the tenants read.</summary>
        TokenNotFound,
    }

    /// <summary>One reason, as a code for scripts and words for people.</summary>
    public sealed class VppTokenHealthReason
    {
        public VppTokenHealthReason(VppTokenHealthReasonCode code, VppTokenHealthStatus severity, string message)
        {
            Code = code;
            Severity = severity;
            Message = message;
        }

        public VppTokenHealthReasonCode Code { get; }

        public VppTokenHealthStatus Severity { get; }

        public string Message { get; }

        public override string ToString() => $"{Code}: {Message}";
    }

    /// <summary>The health of one token, or of a tenant that could not be read (TokenId null).</summary>
    public sealed class VppTokenHealth
    {
        public string? TenantId { get; set; }

        public string? TokenId { get; set; }

        public string? OrganizationName { get; set; }

        /// <summary>The Apple account the token belongs to: who signs in to Apple Business Manager or Apple School Manager to renew it.</summary>
        public string? AppleId { get; set; }

        /// <summary>The token's location (beta locationName, else its display name).</summary>
        public string? Location { get; set; }

        public VppTokenHealthStatus Status => Reasons.Count == 0 ? VppTokenHealthStatus.Healthy : Reasons.Max(reason => reason.Severity);

        /// <summary>Whole days until the token expires, as VppToken.DaysUntilExpiration counts them; negative once expired.</summary>
        public int? DaysLeft { get; set; }

        public DateTimeOffset? ExpirationDateTime { get; set; }

        public string? State { get; set; }

        public string? LastSyncStatus { get; set; }

        public DateTimeOffset? LastSyncDateTime { get; set; }

        public IReadOnlyList<VppTokenHealthReason> Reasons { get; set; } = Array.Empty<VppTokenHealthReason>();

        public override string ToString() => $"{Status}: {OrganizationName ?? TenantId}";
    }
}
