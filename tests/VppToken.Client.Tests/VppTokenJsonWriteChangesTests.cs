using System;
using System.Text;
using System.Text.Json;
using IntuneVpp.Client.Graph;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>The PATCH body: the documented shape, only what was set, date-times as the caller gave them.</summary>
    public sealed class VppTokenJsonWriteChangesTests
    {
        // The request body of update-vpptoken.md, as documented.
        internal const string DocumentedBody = """
            {
              "@odata.type": "#microsoft.graph.vppToken",
              "organizationName": "Organization Name value",
              "vppTokenAccountType": "education",
              "appleId": "Apple Id value",
              "expirationDateTime": "2016-12-31T23:57:57.2481234-08:00",
              "lastSyncDateTime": "2017-01-01T00:02:49.3205976-08:00",
              "token": "Token value",
              "state": "valid",
              "lastSyncStatus": "inProgress",
              "automaticallyUpdateApps": true,
              "countryOrRegion": "Country Or Region value"
            }
            """;

        private static JsonElement Property(byte[] body, string name)
        {
            using JsonDocument document = JsonDocument.Parse(body);
            return document.RootElement.GetProperty(name).Clone();
        }

        [Fact]
        public void The_documented_example_is_written_exactly_as_documented()
        {
            byte[] body = VppTokenJson.WriteChanges(TestClient.DocumentedChanges());

            Assert.Equal(JsonText.Canonical(DocumentedBody), JsonText.Canonical(body));
        }

        [Fact]
        public void Properties_come_in_the_documented_order_after_the_odata_type()
        {
            byte[] body = VppTokenJson.WriteChanges(TestClient.DocumentedChanges());

            Assert.Equal(JsonText.PropertyNames(Encoding.UTF8.GetBytes(DocumentedBody)), JsonText.PropertyNames(body));
        }

        [Fact]
        public void Only_the_set_properties_are_written_and_no_nulls()
        {
            byte[] body = VppTokenJson.WriteChanges(new VppTokenChanges { CountryOrRegion = "de" });

            Assert.Equal("""{"@odata.type":"#microsoft.graph.vppToken","countryOrRegion":"de"}""", JsonText.Canonical(body));
            Assert.DoesNotContain("null", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        }

        [Fact]
        public void Automatically_update_apps_false_is_written_as_false()
        {
            byte[] body = VppTokenJson.WriteChanges(new VppTokenChanges { AutomaticallyUpdateApps = false });

            Assert.Equal(JsonValueKind.False, Property(body, "automaticallyUpdateApps").ValueKind);
        }

        [Fact]
        public void A_date_time_keeps_its_offset_and_all_seven_fraction_digits()
        {
            var changes = new VppTokenChanges
            {
                ExpirationDateTime = new DateTimeOffset(2016, 12, 31, 23, 57, 57, TimeSpan.FromHours(-8)).AddTicks(2481234),
            };

            Assert.Equal("2016-12-31T23:57:57.2481234-08:00", Property(VppTokenJson.WriteChanges(changes), "expirationDateTime").GetString());
        }

        [Fact]
        public void A_whole_second_date_time_has_no_fraction()
        {
            var changes = new VppTokenChanges { LastSyncDateTime = new DateTimeOffset(2025, 6, 30, 12, 0, 0, TimeSpan.FromHours(2)) };

            Assert.Equal("2025-06-30T12:00:00+02:00", Property(VppTokenJson.WriteChanges(changes), "lastSyncDateTime").GetString());
        }

        [Fact]
        public void A_fraction_with_trailing_zeros_loses_only_the_zeros()
        {
            var changes = new VppTokenChanges
            {
                ExpirationDateTime = new DateTimeOffset(2026, 1, 10, 8, 30, 50, TimeSpan.FromMinutes(345)).AddTicks(1_200_000),
            };

            Assert.Equal("2026-01-10T08:30:50.12+05:45", Property(VppTokenJson.WriteChanges(changes), "expirationDateTime").GetString());
        }

        [Fact]
        public void A_utc_date_time_is_written_with_Z()
        {
            var changes = new VppTokenChanges { ExpirationDateTime = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero) };

            Assert.Equal("2026-03-01T00:00:00Z", Property(VppTokenJson.WriteChanges(changes), "expirationDateTime").GetString());
        }

        [Fact]
        public void The_token_is_written_as_its_plain_text_even_with_base64_characters()
        {
            const string appleToken = "eyJ0b2tlbiI6InQxWG9VenBMRXRwZGxhK25zeEN/ZHdyY3QwUmp3ZGljTmhka3lu+Rk09VVAyc2hSYTBMUnVGcVpQM0pLQmJUTWxDSE42ajNta1R6WVlQbVVkVXJXV2x3PT0ifQ==";

            byte[] body = VppTokenJson.WriteChanges(new VppTokenChanges { Token = TestClient.Secure(appleToken) });

            Assert.Equal(appleToken, Property(body, "token").GetString());
        }

        [Fact]
        public void Beta_properties_are_written_after_the_v1_properties()
        {
            var changes = new VppTokenChanges
            {
                RoleScopeTagIds = new[] { "0", "7" },
                DisplayName = "Schools",
                ClaimTokenManagementFromExternalMdm = false,
                DataSharingConsentGranted = true,
                State = "valid",
            };

            Assert.Equal(
                """{"@odata.type":"#microsoft.graph.vppToken","state":"valid","displayName":"Schools","dataSharingConsentGranted":true,"claimTokenManagementFromExternalMdm":false,"roleScopeTagIds":["0","7"]}""",
                JsonText.Canonical(VppTokenJson.WriteChanges(changes)));
        }
    }
}
