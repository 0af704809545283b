using System;
using System.Collections.Generic;
using System.Linq;

namespace IntuneVpp.Client.Fleet
{
    /// <summary>What the plan does with one token file: the token it renews, or why it sends nothing.</summary>
    public sealed class RenewalPlanEntry
    {
        internal RenewalPlanEntry(AppleVppTokenFile file, VppTokenRenewalOutcome outcome, IReadOnlyList<(TenantTokens Tenant, VppToken Token)> candidates)
        {
            File = file;
            FileLocation = TokenLocation.FromFileName(file.Path);
            Outcome = outcome;
            Candidates = candidates.Select(c => Candidate(c.Tenant, c.Token)).ToList();
        }

        public AppleVppTokenFile File { get; }

        /// <summary>The location in the file's name (sToken_for_&lt;location&gt;.vpptoken), or null.</summary>
        public string? FileLocation { get; }

        /// <summary>WouldRenew, NoMatch, Ambiguous or NotNewer: the plan sends nothing itself.</summary>
        public VppTokenRenewalOutcome Outcome { get; internal set; }

        /// <summary>The tenant of the token to renew; null unless one token matched.</summary>
        public TenantTokens? Tenant { get; internal set; }

        /// <summary>The token to renew, as the listing read it; null unless one token matched.</summary>
        public VppToken? Token { get; internal set; }

        public IReadOnlyList<VppTokenRenewalCandidate> Candidates { get; }

        /// <summary>Why nothing is sent (NoMatch, Ambiguous, NotNewer); null for WouldRenew.</summary>
        public string? Problem { get; internal set; }

        /// <summary>What to do about it: how to choose the token by hand. Null when there is nothing to choose.</summary>
        public string? Advice { get; internal set; }

        /// <summary>The line the cmdlet writes for the entry; <paramref name="outcome"/> and <paramref name="error"/> once it has acted.</summary>
        public VppTokenRenewal ToResult(VppTokenRenewalOutcome? outcome = null, string? error = null, VppToken? current = null)
        {
            VppToken? token = current ?? Token;
            return new VppTokenRenewal
            {
                File = File.Path,
                TenantId = Tenant?.TenantId,
                TokenId = token?.Id,
                OrganizationName = token?.OrganizationName ?? File.OrganizationName,
                Location = (token is null ? null : TokenLocation.Of(token)) ?? FileLocation,
                OldExpiration = token?.ExpirationDateTime,
                NewExpiration = File.ExpirationDateTime,
                Outcome = outcome ?? Outcome,
                Error = error ?? (Problem is null ? null : Advice is null ? Problem : Problem + " " + Advice),
                Candidates = Candidates,
            };
        }

        internal static VppTokenRenewalCandidate Candidate(TenantTokens tenant, VppToken token) => new()
        {
            TenantId = tenant.TenantId,
            TokenId = token.Id,
            OrganizationName = token.OrganizationName,
            Location = TokenLocation.Of(token),
            ExpirationDateTime = token.ExpirationDateTime,
        };
    }
}
