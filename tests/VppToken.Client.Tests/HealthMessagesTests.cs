using System;
using System.Linq;
using IntuneVpp.Client.Fleet;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>
    /// The words of Test-IntuneVppToken's reasons, as an administrator reads them in a runbook's output: day counts in
    /// the singular and plural, "within a day" and "less than a day ago" at their edges, what to do about a failed
    /// sync, and the thresholds it refuses.
    /// </summary>
    public sealed class HealthMessagesTests
    {
        private static readonly DateTimeOffset Now = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);

        private static VppToken Token(double? daysLeft = 200, string? state = "valid", string syncStatus = "completed", double syncedDaysAgo = 0.5) => new()
        {
            Id = "a",
            OrganizationName = "Contoso",
            ExpirationDateTime = daysLeft is { } days ? Now.AddDays(days) : null,
            State = state,
            LastSyncStatus = syncStatus,
            LastSyncDateTime = Now.AddDays(-syncedDaysAgo),
        };

        private static string Message(VppToken token, VppTokenHealthReasonCode code, HealthThresholds? thresholds = null) =>
            Assert.Single(HealthEvaluator.Evaluate("t1", token, thresholds ?? new HealthThresholds(), Now).Reasons, r => r.Code == code).Message;

        [Fact]
        public void A_token_without_an_expiration_says_graph_gives_none()
        {
            Assert.Equal("Graph gives no expiration date", Message(Token(daysLeft: null), VppTokenHealthReasonCode.ExpirationUnknown));
        }

        [Fact]
        public void A_token_without_a_state_is_named_unknown()
        {
            Assert.Equal("state 'unknown', not 'valid'", Message(Token(state: null), VppTokenHealthReasonCode.StateNotValid));
        }

        [Fact]
        public void A_failed_sync_says_what_to_run_and_where_to_look()
        {
            string message = Message(Token(syncStatus: "failed"), VppTokenHealthReasonCode.LastSyncFailed);

            Assert.StartsWith("the last license sync failed; start one with Sync-IntuneVppToken", message, StringComparison.Ordinal);
            Assert.Contains("Apple Business Manager", message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(1, "within the warning window of 1 day")]
        [InlineData(2, "within the warning window of 2 days")]
        public void A_window_of_one_day_is_one_day_and_of_more_is_days(int warningDays, string expected)
        {
            var thresholds = new HealthThresholds(warningDays: warningDays, criticalDays: 0);

            Assert.EndsWith(expected, Message(Token(daysLeft: 0.5), VppTokenHealthReasonCode.ExpiresWithinWarningDays, thresholds), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(0.5, "expires within a day (")]
        [InlineData(1.0, "expires in 1 day (")]
        [InlineData(1.5, "expires in 1 day (")]
        [InlineData(2.5, "expires in 2 days (")]
        public void The_time_left_is_within_a_day_until_a_whole_day_is_left(double daysLeft, string expected)
        {
            Assert.StartsWith(expected, Message(Token(daysLeft: daysLeft), VppTokenHealthReasonCode.ExpiresWithinCriticalDays), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(0.5, 0, "last synced less than a day ago (")]
        [InlineData(1.0, 0, "last synced 1 day ago (")]
        [InlineData(3.5, 1, "last synced 3 days ago (")]
        public void The_last_sync_is_less_than_a_day_ago_until_a_whole_day_has_passed(double syncedDaysAgo, int staleSyncDays, string expected)
        {
            var thresholds = new HealthThresholds(staleSyncDays: staleSyncDays);

            Assert.StartsWith(expected, Message(Token(syncedDaysAgo: syncedDaysAgo), VppTokenHealthReasonCode.SyncStale, thresholds), StringComparison.Ordinal);
        }

        [Fact]
        public void An_unreadable_tenant_says_so_before_why()
        {
            VppTokenHealth health = HealthEvaluator.Unreadable("t9", "Graph answered 403 Forbidden");

            Assert.Equal("the tenant's tokens could not be read: Graph answered 403 Forbidden", Assert.Single(health.Reasons).Message);
        }

        [Theory]
        [InlineData(1, "no token with this id in the tenant read")]
        [InlineData(3, "no token with this id in the 3 tenants read")]
        public void A_token_not_found_counts_the_tenants_read(int tenantsRead, string expected)
        {
            Assert.Equal(expected, Assert.Single(HealthEvaluator.NotFound("t1", "a", tenantsRead).Reasons).Message);
        }

        [Theory]
        [InlineData(-1, 7, 7)]
        [InlineData(30, -1, 7)]
        [InlineData(30, 7, -1)]
        public void A_negative_window_is_refused(int warningDays, int criticalDays, int staleSyncDays)
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => new HealthThresholds(warningDays, criticalDays, staleSyncDays));

            Assert.StartsWith("Days are zero or more.", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Windows_of_zero_days_are_taken()
        {
            var thresholds = new HealthThresholds(warningDays: 0, criticalDays: 0, staleSyncDays: 0);

            Assert.Equal((0, 0, 0), (thresholds.WarningDays, thresholds.CriticalDays, thresholds.StaleSyncDays));
        }

        [Fact]
        public void A_critical_window_longer_than_the_warning_window_is_refused_naming_both()
        {
            var error = Assert.Throws<ArgumentException>(() => new HealthThresholds(warningDays: 7, criticalDays: 30));

            Assert.StartsWith("The critical window (30 days) must not be longer than the warning window (7 days).", error.Message, StringComparison.Ordinal);
        }
    }
}
