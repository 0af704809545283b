using System;
using System.Linq;
using IntuneVpp.Client.Fleet;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>Each reason a token needs attention, its severity, and the status the worst of them gives.</summary>
    public sealed class HealthEvaluatorTests
    {
        private static readonly DateTimeOffset Now = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);
        private static readonly HealthThresholds Defaults = new();

        private static VppToken Token(double daysLeft = 200, string state = "valid", string syncStatus = "completed", double syncedDaysAgo = 1) => new()
        {
            Id = "a",
            OrganizationName = "Contoso",
            AppleId = "vpp@contoso.example",
            LocationName = "HQ",
            ExpirationDateTime = Now.AddDays(daysLeft),
            State = state,
            LastSyncStatus = syncStatus,
            LastSyncDateTime = Now.AddDays(-syncedDaysAgo),
        };

        private static VppTokenHealth Evaluate(VppToken token, HealthThresholds? thresholds = null) => HealthEvaluator.Evaluate("t1", token, thresholds ?? Defaults, Now);

        private static VppTokenHealthReasonCode[] Codes(VppTokenHealth health) => health.Reasons.Select(r => r.Code).ToArray();

        [Fact]
        public void A_valid_token_far_from_expiry_and_synced_lately_is_healthy()
        {
            VppTokenHealth health = Evaluate(Token());

            Assert.Equal(VppTokenHealthStatus.Healthy, health.Status);
            Assert.Empty(health.Reasons);
            Assert.Equal(("t1", "a", "Contoso", "vpp@contoso.example", "HQ", 200), (health.TenantId, health.TokenId, health.OrganizationName, health.AppleId, health.Location, health.DaysLeft!.Value));
        }

        [Theory]
        [InlineData(31, null, VppTokenHealthStatus.Healthy)]
        [InlineData(30, VppTokenHealthReasonCode.ExpiresWithinWarningDays, VppTokenHealthStatus.Warning)]
        [InlineData(7.5, VppTokenHealthReasonCode.ExpiresWithinWarningDays, VppTokenHealthStatus.Warning)]
        [InlineData(7, VppTokenHealthReasonCode.ExpiresWithinCriticalDays, VppTokenHealthStatus.Critical)]
        [InlineData(0.01, VppTokenHealthReasonCode.ExpiresWithinCriticalDays, VppTokenHealthStatus.Critical)]
        [InlineData(0, VppTokenHealthReasonCode.Expired, VppTokenHealthStatus.Critical)]
        [InlineData(-10.5, VppTokenHealthReasonCode.Expired, VppTokenHealthStatus.Critical)]
        public void Expiry_is_judged_against_the_two_windows_their_last_day_included(double daysLeft, VppTokenHealthReasonCode? expected, VppTokenHealthStatus status)
        {
            VppTokenHealth health = Evaluate(Token(daysLeft));

            Assert.Equal(expected is null ? Array.Empty<VppTokenHealthReasonCode>() : new[] { expected.Value }, Codes(health));
            Assert.Equal(status, health.Status);
            Assert.Equal((int)Math.Floor(daysLeft), health.DaysLeft);
        }

        [Fact]
        public void The_words_say_when_and_which_window()
        {
            Assert.Equal("expires in 20 days (2030-06-21), within the warning window of 30 days", Evaluate(Token(20)).Reasons.Single().Message);
            Assert.Equal("expires in 3 days (2030-06-04), within the critical window of 7 days", Evaluate(Token(3.2)).Reasons.Single().Message);
            Assert.StartsWith("expired 10 days ago (2030-05-22)", Evaluate(Token(-10.5)).Reasons.Single().Message);
            Assert.StartsWith("expires within a day", Evaluate(Token(0.5)).Reasons.Single().Message);
        }

        [Fact]
        public void An_expiry_in_another_offset_is_the_same_instant()
        {
            var token = Token();
            token.ExpirationDateTime = new DateTimeOffset(2030, 6, 8, 19, 0, 0, TimeSpan.FromHours(7)); // 12:00 UTC, exactly 7 days on

            Assert.Equal(new[] { VppTokenHealthReasonCode.ExpiresWithinCriticalDays }, Codes(Evaluate(token)));
            Assert.Equal(new[] { VppTokenHealthReasonCode.ExpiresWithinWarningDays }, Codes(HealthEvaluator.Evaluate("t1", token, Defaults, Now.AddSeconds(-1).ToOffset(TimeSpan.FromHours(-8)))));
        }

        [Theory]
        [InlineData("assignedToExternalMDM", VppTokenHealthReasonCode.AssignedToExternalMdm, "another MDM")]
        [InlineData("ASSIGNEDTOEXTERNALMDM", VppTokenHealthReasonCode.AssignedToExternalMdm, "another MDM")]
        [InlineData("duplicateLocationId", VppTokenHealthReasonCode.DuplicateLocationId, "same Apple location")]
        [InlineData("invalid", VppTokenHealthReasonCode.InvalidState, "password reset")]
        [InlineData("unknown", VppTokenHealthReasonCode.StateNotValid, "state 'unknown', not 'valid'")]
        [InlineData("expired", VppTokenHealthReasonCode.StateNotValid, "state 'expired'")]
        [InlineData("someFutureValue", VppTokenHealthReasonCode.StateNotValid, "state 'someFutureValue'")]
        public void A_state_other_than_valid_is_critical_with_what_it_means(string state, VppTokenHealthReasonCode code, string words)
        {
            VppTokenHealth health = Evaluate(Token(state: state));

            VppTokenHealthReason reason = Assert.Single(health.Reasons);
            Assert.Equal(code, reason.Code);
            Assert.Equal(VppTokenHealthStatus.Critical, health.Status);
            Assert.Contains(words, reason.Message);
        }

        [Fact]
        public void An_expired_token_in_state_expired_says_it_once()
        {
            Assert.Equal(new[] { VppTokenHealthReasonCode.Expired }, Codes(Evaluate(Token(-3, state: "expired"))));
        }

        [Fact]
        public void A_failed_last_sync_is_a_warning()
        {
            VppTokenHealth health = Evaluate(Token(syncStatus: "failed"));

            Assert.Equal(new[] { VppTokenHealthReasonCode.LastSyncFailed }, Codes(health));
            Assert.Equal(VppTokenHealthStatus.Warning, health.Status);
        }

        [Theory]
        [InlineData(7, false)]
        [InlineData(7.01, true)]
        [InlineData(30, true)]
        public void No_sync_for_more_than_the_stale_days_is_a_warning(double syncedDaysAgo, bool stale)
        {
            VppTokenHealth health = Evaluate(Token(syncedDaysAgo: syncedDaysAgo));

            Assert.Equal(stale ? new[] { VppTokenHealthReasonCode.SyncStale } : Array.Empty<VppTokenHealthReasonCode>(), Codes(health));
            if (stale)
            {
                Assert.Contains("more than 7 days ago", health.Reasons[0].Message);
            }
        }

        [Fact]
        public void A_token_that_never_synced_is_stale()
        {
            var token = Token();
            token.LastSyncDateTime = DateTimeOffset.MinValue;
            Assert.Equal("never synced with Apple", Evaluate(token).Reasons.Single(r => r.Code == VppTokenHealthReasonCode.SyncStale).Message);

            token.LastSyncDateTime = null;
            Assert.Equal(new[] { VppTokenHealthReasonCode.SyncStale }, Codes(Evaluate(token)));
        }

        [Fact]
        public void The_worst_reason_is_the_status_and_every_reason_is_kept()
        {
            VppTokenHealth health = Evaluate(Token(20, "assignedToExternalMDM", "failed", 40));

            Assert.Equal(
                new[] { VppTokenHealthReasonCode.ExpiresWithinWarningDays, VppTokenHealthReasonCode.AssignedToExternalMdm, VppTokenHealthReasonCode.LastSyncFailed, VppTokenHealthReasonCode.SyncStale },
                Codes(health));
            Assert.Equal(VppTokenHealthStatus.Critical, health.Status);
            Assert.Equal("AssignedToExternalMdm: " + health.Reasons[1].Message, health.Reasons[1].ToString());
        }

        [Fact]
        public void Thresholds_of_ones_own_apply()
        {
            var strict = new HealthThresholds(warningDays: 90, criticalDays: 45, staleSyncDays: 0);

            Assert.Equal(new[] { VppTokenHealthReasonCode.ExpiresWithinCriticalDays, VppTokenHealthReasonCode.SyncStale }, Codes(Evaluate(Token(40, syncedDaysAgo: 0.5), strict)));
            Assert.Equal(new[] { VppTokenHealthReasonCode.ExpiresWithinWarningDays }, Codes(Evaluate(Token(60, syncedDaysAgo: 0), strict)));
        }

        [Fact]
        public void A_critical_window_longer_than_the_warning_window_is_refused()
        {
            Assert.Throws<ArgumentException>(() => new HealthThresholds(warningDays: 7, criticalDays: 30));
            Assert.Equal(7, new HealthThresholds(warningDays: 7, criticalDays: 7).CriticalDays);
        }

        [Fact]
        public void A_token_without_an_expiry_is_a_warning_not_a_crash()
        {
            var token = Token();
            token.ExpirationDateTime = null;

            VppTokenHealth health = Evaluate(token);

            Assert.Equal(new[] { VppTokenHealthReasonCode.ExpirationUnknown }, Codes(health));
            Assert.Null(health.DaysLeft);
        }

        [Fact]
        public void An_unreadable_tenant_and_a_missing_token_are_critical_records_of_their_own()
        {
            VppTokenHealth tenant = HealthEvaluator.Unreadable("t9", "Graph answered 403 Forbidden.");
            VppTokenHealth missing = HealthEvaluator.NotFound(null, "b", 3);

            Assert.Equal((VppTokenHealthStatus.Critical, VppTokenHealthReasonCode.TenantUnreadable, (string?)null), (tenant.Status, tenant.Reasons.Single().Code, tenant.TokenId));
            Assert.EndsWith("Graph answered 403 Forbidden.", tenant.Reasons[0].Message);
            Assert.Equal((VppTokenHealthStatus.Critical, VppTokenHealthReasonCode.TokenNotFound, "b"), (missing.Status, missing.Reasons.Single().Code, missing.TokenId));
            Assert.Contains("3 tenants", missing.Reasons[0].Message);
        }
    }
}
