using System;
using System.Text.Json;
using IntuneVpp.Client.Graph;
using IntuneVpp.Client.Http;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>Runs alone: these tests change the process's local time zone, which every other test would see.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class LocalTimeZoneCollection
    {
        public const string Name = "Local time zone";
    }

    /// <summary>
    /// A date-time without an offset means UTC, wherever the module runs. The machines that run the tests keep UTC, where
    /// reading such a value as local time gives the same answer, so these tests move the process to Kathmandu (+05:45,
    /// no daylight saving) first, as a runbook worker abroad would be.
    /// </summary>
    [Collection(LocalTimeZoneCollection.Name)]
    public sealed class ForeignTimeZoneTests : IDisposable
    {
        private readonly string? _savedTz;

        public ForeignTimeZoneTests()
        {
            _savedTz = Environment.GetEnvironmentVariable("TZ");
            Environment.SetEnvironmentVariable("TZ", "Asia/Kathmandu");
            TimeZoneInfo.ClearCachedData();
            // Without this the tests below would pass vacuously on a machine where the zone did not take.
            Assert.Equal(new TimeSpan(5, 45, 0), TimeZoneInfo.Local.GetUtcOffset(new DateTime(2030, 1, 1)));
        }

        public void Dispose()
        {
            Environment.SetEnvironmentVariable("TZ", _savedTz);
            TimeZoneInfo.ClearCachedData();
        }

        [Fact]
        public void A_graph_date_time_without_an_offset_reads_as_utc()
        {
            using JsonDocument document = JsonDocument.Parse("""{"id":"a","expirationDateTime":"2030-01-01T00:00:00","lastSyncDateTime":"2030-01-01T00:00:00Z"}""");

            VppToken token = VppTokenJson.Read(document.RootElement, "v1.0");

            Assert.Equal(TimeSpan.Zero, token.ExpirationDateTime!.Value.Offset);
            Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), token.ExpirationDateTime);
            Assert.Equal(token.LastSyncDateTime, token.ExpirationDateTime);
        }

        [Fact]
        public void A_graph_date_time_with_an_offset_keeps_it()
        {
            using JsonDocument document = JsonDocument.Parse("""{"id":"a","expirationDateTime":"2030-01-01T00:00:00-08:00"}""");

            VppToken token = VppTokenJson.Read(document.RootElement, "v1.0");

            Assert.Equal(TimeSpan.FromHours(-8), token.ExpirationDateTime!.Value.Offset);
        }

        [Fact]
        public void A_retry_after_date_without_a_zone_counts_from_utc()
        {
            var now = new DateTimeOffset(2015, 10, 21, 7, 27, 30, TimeSpan.Zero);

            Assert.Equal(TimeSpan.FromSeconds(30), RetryAfter.Parse("2015-10-21 07:28:00", now));
            Assert.Equal(TimeSpan.FromSeconds(30), RetryAfter.Parse("Wed, 21 Oct 2015 07:28:00 GMT", now));
        }

        [Fact]
        public void An_apple_expiry_without_an_offset_reads_as_utc()
        {
            Assert.Equal(new DateTimeOffset(2030, 8, 15, 18, 13, 52, TimeSpan.Zero), AppleVppTokenFile.ParseAppleDate("2030-08-15T18:13:52"));
            Assert.Equal(TimeSpan.Zero, AppleVppTokenFile.ParseAppleDate("2030-08-15T18:13:52")!.Value.Offset);
        }
    }
}
