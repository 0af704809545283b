using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace IntuneVpp.Client.Fleet
{
    /// <summary>
    /// Finds, for each Apple token file, the one Intune token it renews across the tenants read: the same
    /// organization; when the organization has several tokens (one per Apple location), the location in the file's
    /// name against the token's location; and a file that expires later than the token. Anything less certain sends
    /// nothing and lists the candidates, so that a person chooses.
    /// </summary>
    public static class RenewalPlanner
    {
        /// <summary>The most candidates a message lists; every one is in the entry's Candidates.</summary>
        public const int ListedCandidates = 10;

        public static IReadOnlyList<RenewalPlanEntry> Plan(IReadOnlyList<AppleVppTokenFile> files, IReadOnlyList<TenantTokens> tenants)
        {
            var all = tenants.SelectMany(tenant => tenant.Tokens.Select(token => (Tenant: tenant, Token: token))).ToList();
            var unreadable = tenants.Where(tenant => tenant.Error is not null).ToList();
            var entries = files.Select(file => PlanOne(file, all, tenants.Count, unreadable)).ToList();
            SettleSharedTargets(entries);
            return entries;
        }

        private static RenewalPlanEntry PlanOne(AppleVppTokenFile file, List<(TenantTokens Tenant, VppToken Token)> all, int tenantCount, List<TenantTokens> unreadable)
        {
            string? location = TokenLocation.FromFileName(file.Path);
            var sameOrganization = all.Where(c => TokenLocation.SameOrganization(file.OrganizationName, c.Token.OrganizationName)).ToList();
            string what = Describe(file, location);

            if (sameOrganization.Count == 0)
            {
                // Tokens at the file's location may be the organization's under another name: worth showing.
                var atLocation = location is null ? new List<(TenantTokens, VppToken)>() : all.Where(c => TokenLocation.Of(c.Token) is { } l && TokenLocation.Matches(location, l)).ToList();
                var entry = new RenewalPlanEntry(file, VppTokenRenewalOutcome.NoMatch, atLocation);
                entry.Problem = $"No VPP token matches {what}: no token of that organization in {Tenants(tenantCount)} read.{Unread(unreadable)}" +
                                (atLocation.Count > 0 ? " Tokens at that location:" + List(entry.Candidates) : string.Empty);
                entry.Advice = atLocation.Count > 0 ? Choose(file) : "Check that the file is for one of these tenants, or connect to the tenant that holds its token and pass that connection with -Connection.";
                return entry;
            }

            List<(TenantTokens Tenant, VppToken Token)> pool = sameOrganization;
            string? why = null;
            if (sameOrganization.Count > 1)
            {
                if (location is null)
                {
                    why = $"the organization has {sameOrganization.Count} tokens (one per Apple location) and the file's name carries no location (Apple names it sToken_for_<location>.vpptoken)";
                }
                else
                {
                    // A token without a location to compare (v1.0) cannot be ruled out.
                    pool = sameOrganization.Where(c => TokenLocation.Of(c.Token) is not { } l || TokenLocation.Matches(location, l)).ToList();
                    if (pool.Count == 0)
                    {
                        var entry = new RenewalPlanEntry(file, VppTokenRenewalOutcome.NoMatch, sameOrganization);
                        entry.Problem = $"No VPP token matches {what}: none of the organization's {sameOrganization.Count} tokens is at that location:{List(entry.Candidates)}{Unread(unreadable)}";
                        entry.Advice = Choose(file);
                        return entry;
                    }

                    int unknown = pool.Count(c => TokenLocation.Of(c.Token) is null);
                    if (pool.Count > 1)
                    {
                        why = unknown > 0
                            ? $"{unknown} of them {(unknown == 1 ? "has" : "have")} no location to compare: Graph v1.0 has neither locationName nor displayName, so there only the organization can be matched (connect with -ApiVersion beta to match locations)"
                            : "they share the location";
                    }
                }
            }

            if (pool.Count > 1)
            {
                var entry = new RenewalPlanEntry(file, VppTokenRenewalOutcome.Ambiguous, pool);
                entry.Problem = $"{Capital(what)} matches {pool.Count} VPP tokens, so nothing was sent for it: {why}.{List(entry.Candidates)}";
                entry.Advice = Choose(file);
                return entry;
            }

            (TenantTokens tenant, VppToken token) = pool[0];
            var match = new RenewalPlanEntry(file, VppTokenRenewalOutcome.WouldRenew, pool) { Tenant = tenant, Token = token };
            if (token.ExpirationDateTime is { } current && file.ExpirationDateTime <= current)
            {
                match.Outcome = VppTokenRenewalOutcome.NotNewer;
                match.Problem = $"{Capital(what)} expires {Date(file.ExpirationDateTime)}, not later than VPP token {token.Id} in {tenant}, which expires {Date(current)}: it has been renewed with this file or a newer one already.";
            }

            return match;
        }

        /// <summary>
        /// Two files for one token in one run (last year's and this year's, or the same file twice): only the one that
        /// expires last is sent, so that the order of the PATCHes can never leave the older one in place.
        /// </summary>
        private static void SettleSharedTargets(List<RenewalPlanEntry> entries)
        {
            foreach (var group in entries.Where(e => e.Outcome == VppTokenRenewalOutcome.WouldRenew).GroupBy(e => (e.Tenant, e.Token!.Id)).Where(g => g.Count() > 1))
            {
                RenewalPlanEntry newest = group.OrderByDescending(e => e.File.ExpirationDateTime).First();
                foreach (RenewalPlanEntry other in group.Where(e => !ReferenceEquals(e, newest)))
                {
                    other.Outcome = VppTokenRenewalOutcome.NotNewer;
                    other.Problem = $"{Capital(Describe(other.File, other.FileLocation))} expires {Date(other.File.ExpirationDateTime)}; '{newest.File.Path}' renews the same VPP token {newest.Token!.Id} in {newest.Tenant} in this run and expires {Date(newest.File.ExpirationDateTime)}, so only that one is sent.";
                }
            }
        }

        private static string Describe(AppleVppTokenFile file, string? location) =>
            $"the token file '{file.Path}' (organization '{file.OrganizationName}', " + (location is null ? "no location in its name)" : $"location '{location}')");

        private static string Choose(AppleVppTokenFile file) =>
            $"If it is for one of these tokens, renew that one yourself: Set-IntuneVppToken -Id <its id> -TokenFile '{file.Path}' (with -Connection for its tenant).";

        private static string List(IReadOnlyList<VppTokenRenewalCandidate> candidates)
        {
            var lines = candidates.Take(ListedCandidates).Select(c => "\n  - " + c).ToList();
            if (candidates.Count > ListedCandidates)
            {
                lines.Add($"\n  - and {candidates.Count - ListedCandidates} more (see the result's Candidates)");
            }

            return string.Concat(lines);
        }

        private static string Unread(List<TenantTokens> unreadable) =>
            unreadable.Count == 0 ? string.Empty : $" {Capital(Tenants(unreadable.Count))} could not be read ({string.Join(", ", unreadable.Select(t => t.TenantId ?? "(unknown)"))}); its token may be there.";

        private static string Tenants(int count) => count == 1 ? "the 1 tenant" : count.ToString(CultureInfo.InvariantCulture) + " tenants";

        private static string Date(DateTimeOffset date) => "on " + date.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

        private static string Capital(string text) => char.ToUpperInvariant(text[0]) + text.Substring(1);
    }
}
