using System;
using System.Collections.Generic;
using System.Security;

namespace IntuneVpp
{
    /// <summary>
    /// The properties a caller asked to write. A null property is not sent at all: Graph's PATCH changes exactly what
    /// the body names.
    /// </summary>
    public sealed class VppTokenChanges
    {
        public string? OrganizationName { get; set; }

        public string? VppTokenAccountType { get; set; }

        public string? AppleId { get; set; }

        public DateTimeOffset? ExpirationDateTime { get; set; }

        public DateTimeOffset? LastSyncDateTime { get; set; }

        public SecureString? Token { get; set; }

        public string? State { get; set; }

        public string? LastSyncStatus { get; set; }

        public bool? AutomaticallyUpdateApps { get; set; }

        public string? CountryOrRegion { get; set; }

        // Beta only.
        public string? DisplayName { get; set; }

        public bool? DataSharingConsentGranted { get; set; }

        public bool? ClaimTokenManagementFromExternalMdm { get; set; }

        public IReadOnlyList<string>? RoleScopeTagIds { get; set; }

        public bool IsEmpty =>
            OrganizationName is null && VppTokenAccountType is null && AppleId is null && ExpirationDateTime is null &&
            LastSyncDateTime is null && Token is null && State is null && LastSyncStatus is null &&
            AutomaticallyUpdateApps is null && CountryOrRegion is null && BetaPropertyNames.Count == 0;

        /// <summary>The JSON names of the beta-only properties that are set.</summary>
        public IReadOnlyList<string> BetaPropertyNames
        {
            get
            {
                var names = new List<string>();
                if (DisplayName is not null) names.Add("displayName");
                if (DataSharingConsentGranted is not null) names.Add("dataSharingConsentGranted");
                if (ClaimTokenManagementFromExternalMdm is not null) names.Add("claimTokenManagementFromExternalMdm");
                if (RoleScopeTagIds is not null) names.Add("roleScopeTagIds");
                return names;
            }
        }
    }
}
