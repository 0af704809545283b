using System;
using System.Collections.Generic;
using System.Globalization;

namespace IntuneVpp
{
    /// <summary>What became of one Apple token file given to Update-IntuneVppToken.</summary>
    public enum VppTokenRenewalOutcome
    {
        /// <summary>The token was sent to Intune.</summary>
        Renewed,

        /// <summary>The file matches one token and is newer; nothing was sent (-WhatIf, or -Confirm answered no).</summary>
        WouldRenew,

        /// <summary>No token matches the file; nothing was sent.</summary>
        NoMatch,

        /// <summary>More than one token matches the file; nothing was sent.</summary>
        Ambiguous,

        /// <summary>The file does not expire later than the token it matches (or than another file for that token); nothing was sent.</summary>
        NotNewer,

        /// <summary>The file could not be used, or Graph refused the renewal.</summary>
        Failed,
    }

    /// <summary>A token a file could renew, as the plan names it so that a person can choose.</summary>
    public sealed class VppTokenRenewalCandidate
    {
        public string? TenantId { get; set; }

        public string TokenId { get; set; } = string.Empty;

        public string? OrganizationName { get; set; }

        /// <summary>The token's location (beta locationName, else its display name); null when Graph gave neither.</summary>
        public string? Location { get; set; }

        public DateTimeOffset? ExpirationDateTime { get; set; }

        public override string ToString() => string.Format(
            CultureInfo.InvariantCulture,
            "tenant {0}, token {1}, organization '{2}', {3}, expires {4}",
            TenantId ?? "(unknown)",
            TokenId,
            OrganizationName,
            Location is null ? "no location" : "location '" + Location + "'",
            ExpirationDateTime is { } expires ? expires.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "unknown");
    }

    /// <summary>One file's line of Update-IntuneVppToken: the plan under -WhatIf, the result otherwise.</summary>
    public sealed class VppTokenRenewal
    {
        /// <summary>The token file, as a full file system path.</summary>
        public string File { get; set; } = string.Empty;

        public string? TenantId { get; set; }

        public string? TokenId { get; set; }

        public string? OrganizationName { get; set; }

        /// <summary>The matched token's location, or the location in the file's name when no token was matched.</summary>
        public string? Location { get; set; }

        /// <summary>The matched token's expiration before the renewal.</summary>
        public DateTimeOffset? OldExpiration { get; set; }

        /// <summary>The file's expiration: the token's once renewed.</summary>
        public DateTimeOffset? NewExpiration { get; set; }

        public VppTokenRenewalOutcome Outcome { get; set; }

        /// <summary>Why nothing was sent, or what failed; null for Renewed and WouldRenew.</summary>
        public string? Error { get; set; }

        /// <summary>The tokens the file could be for, when it matches none or several (and the one it matched otherwise).</summary>
        public IReadOnlyList<VppTokenRenewalCandidate> Candidates { get; set; } = Array.Empty<VppTokenRenewalCandidate>();

        public override string ToString() => $"{Outcome}: {File}";
    }
}
