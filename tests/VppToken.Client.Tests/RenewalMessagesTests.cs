using System;
using System.Linq;
using System.Text;
using IntuneVpp.Client.Fleet;
using IntuneVpp.Client.Graph;
using Xunit;
using static IntuneVpp.Client.Tests.FleetTestData;

namespace IntuneVpp.Client.Tests
{
    /// <summary>
    /// What Update-IntuneVppToken says about a file it cannot place, word for word where a person acts on the words:
    /// the file's organization and location, the tenants read and not read, the candidates, and what to do.
    /// </summary>
    public sealed class RenewalMessagesTests
    {
        private static TenantTokens Unreadable(string? tenant) =>
            TenantTokens.Unreadable(tenant, GraphApiVersion.Beta, new GraphException(GraphErrorKind.Forbidden, "Graph answered 403 Forbidden."));

        private static RenewalPlanEntry PlanOne(AppleVppTokenFile file, params TenantTokens[] tenants) => RenewalPlanner.Plan(new[] { file }, tenants).Single();

        [Fact]
        public void A_file_of_no_known_organization_lists_the_tokens_at_its_location_and_says_how_to_renew_one_by_hand()
        {
            var tenant = Beta("t1", Token("a", "Contoso", "HQ"), Token("b", "Contoso", "Branch"));

            RenewalPlanEntry entry = PlanOne(File("sToken_for_HQ.vpptoken", "Renamed Org"), tenant);

            Assert.Equal(VppTokenRenewalOutcome.NoMatch, entry.Outcome);
            Assert.Equal("a", Assert.Single(entry.Candidates).TokenId);
            Assert.Equal(
                "No VPP token matches the token file '/files/sToken_for_HQ.vpptoken' (organization 'Renamed Org', location 'HQ'): no token of that organization in the 1 tenant read." +
                " Tokens at that location:\n  - " + entry.Candidates[0],
                entry.Problem);
            Assert.StartsWith("If it is for one of these tokens, renew that one yourself: Set-IntuneVppToken -Id <its id> -TokenFile '/files/sToken_for_HQ.vpptoken'", entry.Advice, StringComparison.Ordinal);
        }

        [Fact]
        public void A_file_of_no_known_organization_and_no_location_says_which_tenants_were_read_and_to_check_the_connection()
        {
            RenewalPlanEntry entry = PlanOne(File("renamed.vpptoken", "Renamed Org"), Beta("t1", Token("a", "Contoso", "HQ")), Beta("t2"));

            Assert.Empty(entry.Candidates);
            Assert.Equal(
                "No VPP token matches the token file '/files/renamed.vpptoken' (organization 'Renamed Org', no location in its name): no token of that organization in 2 tenants read.",
                entry.Problem);
            Assert.StartsWith("Check that the file is for one of these tenants", entry.Advice, StringComparison.Ordinal);
        }

        [Fact]
        public void Tenants_that_could_not_be_read_are_named_where_the_token_may_be()
        {
            RenewalPlanEntry one = PlanOne(File("renamed.vpptoken", "Renamed Org"), Beta("t1"), Unreadable("t2"));
            RenewalPlanEntry two = PlanOne(File("renamed.vpptoken", "Renamed Org"), Beta("t1"), Unreadable("t2"), Unreadable(null));

            Assert.EndsWith("read. The 1 tenant could not be read (t2); its token may be there.", one.Problem, StringComparison.Ordinal);
            Assert.EndsWith(" 2 tenants could not be read (t2, (unknown)); its token may be there.", two.Problem, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(1, "1 of them has no location to compare")]
        [InlineData(2, "2 of them have no location to compare")]
        public void Tokens_without_a_location_to_compare_are_counted_in_the_singular_or_plural(int withoutLocation, string expected)
        {
            VppToken[] tokens = Enumerable.Range(0, withoutLocation).Select(i => Token("v" + i, "Fabrikam")).Append(Token("h", "Fabrikam", "HQ")).ToArray();

            RenewalPlanEntry entry = PlanOne(File("sToken_for_HQ.vpptoken", "Fabrikam"), Beta("t1", tokens));

            Assert.Equal(VppTokenRenewalOutcome.Ambiguous, entry.Outcome);
            Assert.Contains(expected, entry.Problem, StringComparison.Ordinal);
        }

        [Fact]
        public void An_organizations_only_token_is_renewed_although_the_file_names_another_location()
        {
            RenewalPlanEntry entry = PlanOne(File("sToken_for_North.vpptoken", "Fabrikam"), Beta("t1", Token("a", "Fabrikam", "South")));

            Assert.Equal(VppTokenRenewalOutcome.WouldRenew, entry.Outcome);
            Assert.Equal("a", entry.Token!.Id);
        }

        [Theory]
        [InlineData(10, false)]
        [InlineData(11, true)]
        public void A_message_lists_ten_candidates_and_counts_the_rest(int tokens, bool counted)
        {
            VppToken[] all = Enumerable.Range(0, tokens).Select(i => Token("id" + i.ToString("00", System.Globalization.CultureInfo.InvariantCulture), "Fabrikam", "HQ")).ToArray();

            RenewalPlanEntry entry = PlanOne(File("sToken_for_HQ.vpptoken", "Fabrikam"), Beta("t1", all));

            Assert.Equal(VppTokenRenewalOutcome.Ambiguous, entry.Outcome);
            Assert.Equal(tokens, entry.Candidates.Count);
            Assert.Equal(Math.Min(tokens, RenewalPlanner.ListedCandidates), entry.Problem!.Split(new[] { "\n  - " }, StringSplitOptions.None).Length - 1 - (counted ? 1 : 0));
            Assert.Equal(counted, entry.Problem.EndsWith("\n  - and 1 more (see the result's Candidates)", StringComparison.Ordinal));
        }

        [Fact]
        public void A_file_no_newer_than_its_token_gives_both_expirations_in_utc_to_the_minute()
        {
            RenewalPlanEntry entry = PlanOne(File("renew.vpptoken", "Contoso", expires: ThisYear), Beta("t1", Token("a", "Contoso", expires: NextYear)));

            Assert.Equal(VppTokenRenewalOutcome.NotNewer, entry.Outcome);
            Assert.Contains("expires on 2030-03-05 12:00 UTC, not later than VPP token a in tenant t1, which expires on 2031-03-01 16:00 UTC:", entry.Problem, StringComparison.Ordinal);
        }

        [Fact]
        public void A_display_name_of_spaces_is_no_location()
        {
            Assert.Null(TokenLocation.Of(new VppToken { Id = "a", DisplayName = "   " }));
            Assert.Equal("Lab", TokenLocation.Of(new VppToken { Id = "a", LocationName = " ", DisplayName = "Lab" }));
        }

        [Fact]
        public void Words_run_together_are_not_the_same_location_as_words_apart()
        {
            Assert.True(TokenLocation.Matches("North   High", "north high"));
            Assert.False(TokenLocation.Matches("NorthHigh", "North High"));
        }
    }
}
