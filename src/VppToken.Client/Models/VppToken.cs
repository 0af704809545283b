using System;
using System.Collections.Generic;
using System.Security;

namespace IntuneVpp
{
    /// <summary>An Apple Volume Purchase Program token as Intune holds it.</summary>
    /// <remarks>
    /// Enumerated values (state, sync status, account type) are kept as strings: Graph adds values over time and a
    /// value this module does not know yet must come through, not fail.
    /// </remarks>
    public sealed class VppToken
    {
        public string Id { get; set; } = string.Empty;

        public string? OrganizationName { get; set; }

        public string? VppTokenAccountType { get; set; }

        public string? AppleId { get; set; }

        public DateTimeOffset? ExpirationDateTime { get; set; }

        public DateTimeOffset? LastSyncDateTime { get; set; }

        public DateTimeOffset? LastModifiedDateTime { get; set; }

        public string? State { get; set; }

        public string? LastSyncStatus { get; set; }

        public bool? AutomaticallyUpdateApps { get; set; }

        public string? CountryOrRegion { get; set; }

        /// <summary>The Apple token content, when Graph returns it. A SecureString so no display shows it.</summary>
        public SecureString? Token { get; set; }

        // Beta properties; null on v1.0.
        public string? DisplayName { get; set; }

        public string? LocationName { get; set; }

        public bool? DataSharingConsentGranted { get; set; }

        public bool? ClaimTokenManagementFromExternalMdm { get; set; }

        public IReadOnlyList<string>? RoleScopeTagIds { get; set; }

        public int? LastAppCount { get; set; }

        /// <summary>Properties Graph sent that this version of the module does not know, by their JSON names.</summary>
        public IDictionary<string, object?> AdditionalProperties { get; } =
            new Dictionary<string, object?>(StringComparer.Ordinal);

        /// <summary>The Graph API version the token was read from (v1.0 or beta).</summary>
        public string ApiVersion { get; set; } = GraphApiVersion.V1;

        /// <summary>Whole days left until the token expires; negative once it has expired.</summary>
        public int? DaysUntilExpiration => ExpirationDateTime is { } expires ? DaysLeft(expires, DateTimeOffset.UtcNow) : null;

        /// <summary>Whole days from <paramref name="now"/> to <paramref name="expires"/>, rounded down: how every days-left figure of the module counts.</summary>
        internal static int DaysLeft(DateTimeOffset expires, DateTimeOffset now) => (int)Math.Floor((expires - now).TotalDays);

        public override string ToString() => Id;
    }
}
