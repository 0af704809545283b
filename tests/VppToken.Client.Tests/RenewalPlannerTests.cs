using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using IntuneVpp.Client.Fleet;
using IntuneVpp.Client.Graph;
using Xunit;
using static IntuneVpp.Client.Tests.FleetTestData;

namespace IntuneVpp.Client.Tests
{
    /// <summary>Which token each Apple file renews across tenants, and why a file that cannot be placed sends nothing.</summary>
    public sealed class RenewalPlannerTests
    {
        private static RenewalPlanEntry PlanOne(AppleVppTokenFile file, params TenantTokens[] tenants) => RenewalPlanner.Plan(new[] { file }, tenants).Single();

        [Fact]
        public void An_organization_with_one_token_is_matched_by_its_name_alone_whatever_the_file_is_called()
        {
            var tenant = Beta("t1", Token("a", "Contoso Ltd.", "HQ"), Token("b", "Fabrikam"));

            RenewalPlanEntry entry = PlanOne(File("renamed by hand.vpptoken", " contoso ltd. "), tenant);

            Assert.Equal(VppTokenRenewalOutcome.WouldRenew, entry.Outcome);
            Assert.Equal("a", entry.Token!.Id);
            Assert.Same(tenant, entry.Tenant);
            Assert.Null(entry.Problem);
            VppTokenRenewal result = entry.ToResult();
            Assert.Equal(("t1", "a", "HQ", ThisYear, NextYear), (result.TenantId, result.TokenId, result.Location, result.OldExpiration!.Value, result.NewExpiration!.Value));
        }

        [Theory]
        [InlineData("sToken_for_North High.vpptoken", "North High", "b")]
        [InlineData("STOKEN_FOR_north high.VPPTOKEN", "North High", "b")]
        [InlineData("sToken_for_North_High.vpptoken", "North High", "b")]
        [InlineData("sToken_for_North  High (1).vpptoken", "North High", "b")]
        [InlineData("sToken_for_South High.vpptoken", "South High", "c")]
        public void Several_tokens_of_one_organization_are_told_apart_by_the_location_in_the_file_name(string name, string location, string expected)
        {
            var tenant = Beta("t1", Token("a", "Fabrikam", "Central Office"), Token("b", "Fabrikam", location == "North High" ? "North High" : "Elsewhere"), Token("c", "Fabrikam", "South High"));

            RenewalPlanEntry entry = PlanOne(File(name, "Fabrikam"), tenant);

            Assert.Equal(VppTokenRenewalOutcome.WouldRenew, entry.Outcome);
            Assert.Equal(expected, entry.Token!.Id);
        }

        [Fact]
        public void A_location_is_compared_in_one_Unicode_form_as_macOS_keeps_file_names_decomposed()
        {
            var tenant = Beta("t1", Token("a", "Schulen", "Z\u00fcrich"), Token("b", "Schulen", "Bern"));

            RenewalPlanEntry entry = PlanOne(File("sToken_for_Zu\u0308rich.vpptoken", "Schulen"), tenant);

            Assert.Equal("a", entry.Token!.Id);
        }

        [Fact]
        public void The_display_name_stands_in_for_a_missing_location_name()
        {
            var tenant = Beta("t1", Token("a", "Fabrikam", displayName: "North High"), Token("b", "Fabrikam", displayName: "South High"));

            RenewalPlanEntry entry = PlanOne(File("sToken_for_south high.vpptoken", "Fabrikam"), tenant);

            Assert.Equal("b", entry.Token!.Id);
            Assert.Equal("South High", entry.ToResult().Location);
        }

        [Fact]
        public void The_location_name_wins_over_the_display_name()
        {
            var tenant = Beta("t1", Token("a", "Fabrikam", "North High", displayName: "South High"), Token("b", "Fabrikam", "South High", displayName: "Main"));

            Assert.Equal("b", PlanOne(File("sToken_for_South High.vpptoken", "Fabrikam"), tenant).Token!.Id);
        }

        [Fact]
        public void An_unknown_organization_matches_nothing_and_names_the_tenants_read()
        {
            RenewalPlanEntry entry = PlanOne(File("sToken_for_HQ.vpptoken", "Nobody Inc."), Beta("t1", Token("a", "Contoso", "Main")), V1("t2", Token("b", "Fabrikam")));

            Assert.Equal(VppTokenRenewalOutcome.NoMatch, entry.Outcome);
            Assert.Null(entry.Token);
            Assert.Empty(entry.Candidates);
            Assert.Contains("'Nobody Inc.'", entry.Problem);
            Assert.Contains("2 tenants read", entry.Problem);
            Assert.Contains("-Connection", entry.Advice);
        }

        [Fact]
        public void An_unknown_organization_shows_the_tokens_at_the_same_location_which_may_be_it_renamed()
        {
            RenewalPlanEntry entry = PlanOne(File("sToken_for_Main.vpptoken", "Contoso Holdings"), Beta("t1", Token("a", "Contoso Ltd.", "Main"), Token("b", "Fabrikam", "North")));

            Assert.Equal(VppTokenRenewalOutcome.NoMatch, entry.Outcome);
            Assert.Equal(new[] { "a" }, entry.Candidates.Select(c => c.TokenId));
            Assert.Contains("Set-IntuneVppToken -Id <its id> -TokenFile '/files/sToken_for_Main.vpptoken'", entry.Advice);
        }

        [Fact]
        public void A_location_none_of_the_organizations_tokens_has_matches_nothing_and_lists_them()
        {
            RenewalPlanEntry entry = PlanOne(File("sToken_for_East.vpptoken", "Fabrikam"), Beta("t1", Token("a", "Fabrikam", "North"), Token("b", "Fabrikam", "South")));

            Assert.Equal(VppTokenRenewalOutcome.NoMatch, entry.Outcome);
            Assert.Equal(new[] { "a", "b" }, entry.Candidates.Select(c => c.TokenId));
            Assert.Contains("tenant t1, token a, organization 'Fabrikam', location 'North', expires 2030-03-05", entry.Problem);
            Assert.Contains("Set-IntuneVppToken", entry.Advice);
        }

        [Fact]
        public void A_file_without_a_location_in_its_name_is_ambiguous_for_an_organization_with_several_tokens()
        {
            RenewalPlanEntry entry = PlanOne(File("fabrikam.vpptoken", "Fabrikam"), Beta("t1", Token("a", "Fabrikam", "North")), Beta("t2", Token("b", "Fabrikam", "South")));

            Assert.Equal(VppTokenRenewalOutcome.Ambiguous, entry.Outcome);
            Assert.Equal(new[] { ("t1", "a"), ("t2", "b") }, entry.Candidates.Select(c => (c.TenantId!, c.TokenId)));
            Assert.Contains("carries no location", entry.Problem);
            Assert.Contains("tenant t2, token b", entry.Problem);
            Assert.Contains("Set-IntuneVppToken -Id <its id> -TokenFile", entry.Advice);
            Assert.Null(entry.Token);
        }

        [Fact]
        public void On_v1_0_tokens_have_no_location_so_several_of_one_organization_are_ambiguous_and_the_message_says_why()
        {
            RenewalPlanEntry entry = PlanOne(File("sToken_for_North.vpptoken", "Fabrikam"), V1("t1", Token("a", "Fabrikam"), Token("b", "Fabrikam")));

            Assert.Equal(VppTokenRenewalOutcome.Ambiguous, entry.Outcome);
            Assert.Equal(2, entry.Candidates.Count);
            Assert.Contains("Graph v1.0 has neither locationName nor displayName", entry.Problem);
            Assert.Contains("-ApiVersion beta", entry.Problem);
        }

        [Fact]
        public void A_token_without_a_location_is_never_ruled_out_by_another_tokens_matching_location()
        {
            RenewalPlanEntry entry = PlanOne(File("sToken_for_North.vpptoken", "Fabrikam"), Beta("t1", Token("a", "Fabrikam", "North")), V1("t2", Token("b", "Fabrikam")));

            Assert.Equal(VppTokenRenewalOutcome.Ambiguous, entry.Outcome);
            Assert.Equal(new[] { "a", "b" }, entry.Candidates.Select(c => c.TokenId));
        }

        [Fact]
        public void Two_tokens_at_the_same_location_are_ambiguous()
        {
            RenewalPlanEntry entry = PlanOne(File("sToken_for_North.vpptoken", "Fabrikam"), Beta("t1", Token("a", "Fabrikam", "North")), Beta("t2", Token("b", "Fabrikam", "north")));

            Assert.Equal(VppTokenRenewalOutcome.Ambiguous, entry.Outcome);
            Assert.Contains("share the location", entry.Problem);
        }

        [Fact]
        public void A_long_list_of_candidates_is_cut_in_the_message_but_kept_whole_in_the_entry()
        {
            var tokens = Enumerable.Range(1, 15).Select(i => Token("id" + i, "Fabrikam", "Loc " + i)).ToArray();

            RenewalPlanEntry entry = PlanOne(File("fabrikam.vpptoken", "Fabrikam"), Beta("t1", tokens));

            Assert.Equal(15, entry.Candidates.Count);
            Assert.Contains("token id10,", entry.Problem);
            Assert.DoesNotContain("token id11,", entry.Problem);
            Assert.Contains("and 5 more", entry.Problem);
        }

        [Theory]
        [InlineData(0, VppTokenRenewalOutcome.NotNewer)]
        [InlineData(-1, VppTokenRenewalOutcome.NotNewer)]
        [InlineData(1, VppTokenRenewalOutcome.WouldRenew)]
        public void A_file_must_expire_later_than_its_token_an_equal_expiry_is_not_newer(int secondsLater, VppTokenRenewalOutcome expected)
        {
            DateTimeOffset tokenExpiry = new(2031, 3, 1, 16, 0, 0, TimeSpan.Zero);

            // The same instant written in Apple's -0700 and in Graph's UTC.
            RenewalPlanEntry entry = PlanOne(File("x.vpptoken", "Contoso", new DateTimeOffset(2031, 3, 1, 9, 0, 0, TimeSpan.FromHours(-7)).AddSeconds(secondsLater)), Beta("t1", Token("a", "Contoso", expires: tokenExpiry)));

            Assert.Equal(expected, entry.Outcome);
            Assert.Equal("a", entry.Token!.Id);
            if (expected == VppTokenRenewalOutcome.NotNewer)
            {
                Assert.Contains("not later than VPP token a", entry.Problem);
            }
        }

        [Fact]
        public void A_token_without_an_expiry_is_renewed()
        {
            var token = Token("a", "Contoso");
            token.ExpirationDateTime = null;

            Assert.Equal(VppTokenRenewalOutcome.WouldRenew, PlanOne(File("x.vpptoken", "Contoso"), Beta("t1", token)).Outcome);
        }

        [Fact]
        public void Of_two_files_for_one_token_only_the_one_that_expires_last_is_sent_whatever_their_order()
        {
            var tenant = Beta("t1", Token("a", "Contoso"));
            var older = File("older.vpptoken", "Contoso", NextYear);
            var newer = File("newer.vpptoken", "Contoso", NextYear.AddDays(30));

            IReadOnlyList<RenewalPlanEntry> plan = RenewalPlanner.Plan(new[] { newer, older }, new[] { tenant });

            Assert.Equal(VppTokenRenewalOutcome.WouldRenew, plan[0].Outcome);
            Assert.Equal(VppTokenRenewalOutcome.NotNewer, plan[1].Outcome);
            Assert.Contains("'/files/newer.vpptoken' renews the same VPP token a", plan[1].Problem);
        }

        [Fact]
        public void The_same_organization_in_two_tenants_is_matched_by_location_across_them()
        {
            var north = Beta("t1", Token("a", "Fabrikam", "North"));
            var south = Beta("t2", Token("b", "Fabrikam", "South"));

            IReadOnlyList<RenewalPlanEntry> plan = RenewalPlanner.Plan(new[] { File("sToken_for_South.vpptoken", "Fabrikam"), File("sToken_for_North.vpptoken", "Fabrikam") }, new[] { north, south });

            Assert.Equal((south, "b"), (plan[0].Tenant!, plan[0].Token!.Id));
            Assert.Equal((north, "a"), (plan[1].Tenant!, plan[1].Token!.Id));
        }

        [Fact]
        public void A_tenant_that_could_not_be_read_is_named_when_a_file_matches_nothing()
        {
            var broken = TenantTokens.Unreadable("t9", GraphApiVersion.V1, new GraphException(GraphErrorKind.Forbidden, "Forbidden."));

            RenewalPlanEntry entry = PlanOne(File("x.vpptoken", "Contoso"), Beta("t1", Token("a", "Fabrikam")), broken);

            Assert.Equal(VppTokenRenewalOutcome.NoMatch, entry.Outcome);
            Assert.Contains("could not be read (t9)", entry.Problem);
        }

        [Fact]
        public void The_result_of_an_entry_that_sends_nothing_carries_the_problem_and_the_advice()
        {
            VppTokenRenewal result = PlanOne(File("sToken_for_HQ.vpptoken", "Nobody"), Beta("t1")).ToResult();

            Assert.Equal(VppTokenRenewalOutcome.NoMatch, result.Outcome);
            Assert.Equal("/files/sToken_for_HQ.vpptoken", result.File);
            Assert.Equal(("Nobody", "HQ"), (result.OrganizationName, result.Location));
            Assert.Null(result.TokenId);
            Assert.StartsWith("No VPP token matches", result.Error);
            Assert.Contains("-Connection", result.Error);
        }
    }
}
