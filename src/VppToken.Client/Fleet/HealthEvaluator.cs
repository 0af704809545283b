using System;
using System.Collections.Generic;
using System.Globalization;

namespace IntuneVpp.Client.Fleet
{
    /// <summary>
    /// Judges one token against the thresholds at a given moment: expiry, state and license sync, each finding a
    /// reason with its own severity; the worst reason is the token's status.
    /// </summary>
    public static class HealthEvaluator
    {
        public static VppTokenHealth Evaluate(string? tenantId, VppToken token, HealthThresholds thresholds, DateTimeOffset now)
        {
            var reasons = new List<VppTokenHealthReason>();
            int? daysLeft = null;
            if (token.ExpirationDateTime is { } expires)
            {
                daysLeft = VppToken.DaysLeft(expires, now);
                if (expires <= now)
                {
                    reasons.Add(Critical(VppTokenHealthReasonCode.Expired, $"expired {Ago(now - expires)} ({Date(expires)}); renew it with a new token file from Apple Business Manager or Apple School Manager"));
                }
                else if (expires <= now.AddDays(thresholds.CriticalDays))
                {
                    reasons.Add(Critical(VppTokenHealthReasonCode.ExpiresWithinCriticalDays, $"expires {In(expires - now)} ({Date(expires)}), within the critical window of {Days(thresholds.CriticalDays)}"));
                }
                else if (expires <= now.AddDays(thresholds.WarningDays))
                {
                    reasons.Add(Warning(VppTokenHealthReasonCode.ExpiresWithinWarningDays, $"expires {In(expires - now)} ({Date(expires)}), within the warning window of {Days(thresholds.WarningDays)}"));
                }
            }
            else
            {
                reasons.Add(Warning(VppTokenHealthReasonCode.ExpirationUnknown, "Graph gives no expiration date"));
            }

            string state = token.State ?? "unknown";
            if (!Is(state, "valid"))
            {
                if (Is(state, "assignedToExternalMDM"))
                {
                    reasons.Add(Critical(VppTokenHealthReasonCode.AssignedToExternalMdm, "state 'assignedToExternalMDM': another MDM has claimed the token; take it back in Intune (beta claimTokenManagementFromExternalMdm) or let that MDM keep it"));
                }
                else if (Is(state, "duplicateLocationId"))
                {
                    reasons.Add(Critical(VppTokenHealthReasonCode.DuplicateLocationId, "state 'duplicateLocationId': another token in Intune is for the same Apple location"));
                }
                else if (Is(state, "invalid"))
                {
                    reasons.Add(Critical(VppTokenHealthReasonCode.InvalidState, "state 'invalid': Apple no longer accepts the token (an administrator's password reset does this); renew it with a new token file"));
                }
                else if (!(Is(state, "expired") && reasons.Exists(r => r.Code == VppTokenHealthReasonCode.Expired)))
                {
                    reasons.Add(Critical(VppTokenHealthReasonCode.StateNotValid, $"state '{state}', not 'valid'"));
                }
            }

            if (Is(token.LastSyncStatus, "failed"))
            {
                reasons.Add(Warning(VppTokenHealthReasonCode.LastSyncFailed, "the last license sync failed; start one with Sync-IntuneVppToken and check the token in Apple Business Manager or Apple School Manager"));
            }

            // Graph writes a token that never synced as 0001-01-01.
            if (token.LastSyncDateTime is not { } synced || synced.Year <= 1)
            {
                reasons.Add(Warning(VppTokenHealthReasonCode.SyncStale, "never synced with Apple"));
            }
            else if (now - synced > TimeSpan.FromDays(thresholds.StaleSyncDays))
            {
                reasons.Add(Warning(VppTokenHealthReasonCode.SyncStale, $"last synced {Ago(now - synced)} ({Date(synced)}), more than {Days(thresholds.StaleSyncDays)} ago"));
            }

            return new VppTokenHealth
            {
                TenantId = tenantId,
                TokenId = token.Id,
                OrganizationName = token.OrganizationName,
                AppleId = token.AppleId,
                Location = TokenLocation.Of(token),
                DaysLeft = daysLeft,
                ExpirationDateTime = token.ExpirationDateTime,
                State = token.State,
                LastSyncStatus = token.LastSyncStatus,
                LastSyncDateTime = token.LastSyncDateTime,
                Reasons = reasons,
            };
        }

        /// <summary>A tenant whose tokens could not be read: a Critical record, never a silent gap.</summary>
        public static VppTokenHealth Unreadable(string? tenantId, string why) => new()
        {
            TenantId = tenantId,
            Reasons = new[] { Critical(VppTokenHealthReasonCode.TenantUnreadable, "the tenant's tokens could not be read: " + why) },
        };

        /// <summary>A token asked for by id that none of the tenants read holds.</summary>
        public static VppTokenHealth NotFound(string? tenantId, string tokenId, int tenantsRead) => new()
        {
            TenantId = tenantId,
            TokenId = tokenId,
            Reasons = new[] { Critical(VppTokenHealthReasonCode.TokenNotFound, $"no token with this id in the {(tenantsRead == 1 ? "tenant" : tenantsRead.ToString(CultureInfo.InvariantCulture) + " tenants")} read") },
        };

        private static bool Is(string? value, string expected) => string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);

        private static VppTokenHealthReason Critical(VppTokenHealthReasonCode code, string message) => new(code, VppTokenHealthStatus.Critical, message);

        private static VppTokenHealthReason Warning(VppTokenHealthReasonCode code, string message) => new(code, VppTokenHealthStatus.Warning, message);

        private static string Date(DateTimeOffset date) => date.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        private static string Days(int days) => days == 1 ? "1 day" : days.ToString(CultureInfo.InvariantCulture) + " days";

        private static string In(TimeSpan left) => left.TotalDays < 1 ? "within a day" : "in " + Days((int)Math.Floor(left.TotalDays));

        private static string Ago(TimeSpan past) => past.TotalDays < 1 ? "less than a day ago" : Days((int)Math.Floor(past.TotalDays)) + " ago";
    }
}
