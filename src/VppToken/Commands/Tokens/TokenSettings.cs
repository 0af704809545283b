using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Security;
using IntuneVpp.Commands.Binding;

namespace IntuneVpp.Commands.Tokens
{
    /// <summary>
    /// The settings New- and Set-IntuneVppToken both take, declared once: each cmdlet returns an instance from
    /// GetDynamicParameters, so PowerShell binds the same declarations on both (a shared base class cannot hold them,
    /// as Set's base is the per-token one and New's is not). A parameter not given stays null, so `$false` is still
    /// sent and nothing else is.
    /// </summary>
    public class TokenSettings
    {
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? AppleId { get; set; }

        [Parameter]
        [ValidateSet("business", "education")]
        public string? VppTokenAccountType { get; set; }

        /// <summary>Whether apps are updated automatically. A [bool]: -AutomaticallyUpdateApps $false sends false.</summary>
        [Parameter]
        [BooleanText]
        public bool? AutomaticallyUpdateApps { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CountryOrRegion { get; set; }

        /// <summary>Beta: the token's name in Intune.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? DisplayName { get; set; }

        /// <summary>Beta: consent to share data with Apple.</summary>
        [Parameter]
        [BooleanText]
        public bool? DataSharingConsentGranted { get; set; }

        /// <summary>Beta: take the token over from another MDM.</summary>
        [Parameter]
        [BooleanText]
        public bool? ClaimTokenManagementFromExternalMdm { get; set; }

        /// <summary>Beta: the role scope tags of the token.</summary>
        [Parameter]
        [ValidateNotNull]
        public string[]? RoleScopeTagIds { get; set; }

        /// <summary>The properties to send: the settings given, and <paramref name="token"/> when there is one.</summary>
        public virtual VppTokenChanges ToChanges(SecureString? token) => new()
        {
            AppleId = AppleId,
            VppTokenAccountType = VppTokenValues.Canonical(VppTokenValues.AccountTypes, VppTokenAccountType),
            Token = token,
            AutomaticallyUpdateApps = AutomaticallyUpdateApps,
            CountryOrRegion = CountryOrRegion,
            DisplayName = DisplayName,
            DataSharingConsentGranted = DataSharingConsentGranted,
            ClaimTokenManagementFromExternalMdm = ClaimTokenManagementFromExternalMdm,
            RoleScopeTagIds = RoleScopeTagIds,
        };

        /// <summary>
        /// The values to be sent, as -WhatIf and -Confirm show them: "AutomaticallyUpdateApps = False, CountryOrRegion
        /// = 'us'". Enumerations in Graph's spelling, dates in ISO 8601 with their offset; a secret shows as ***.
        /// </summary>
        internal static string DescribeValues(VppTokenChanges changes, bool includeToken = true) =>
            string.Join(", ", changes.Set
                .Where(pair => includeToken || !pair.Property.IsSecret)
                .Select(pair => $"{pair.Property.Name} = {(pair.Property.IsSecret ? "***" : Show(pair.Value))}"));

        /// <summary>The beta-only parameters among the changes, as the caller typed them (-DisplayName, ...).</summary>
        internal static string BetaParameters(VppTokenChanges changes) =>
            string.Join(", ", changes.BetaProperties.Select(property => "-" + property.Name));

        private static string Show(object value) => value switch
        {
            string text => Quote(text),
            bool flag => flag ? "True" : "False",
            DateTimeOffset date => date.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
            IEnumerable<string> items => items.Any() ? string.Join(", ", items.Select(Quote)) : "@()",
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
        };

        private static string Quote(string text) => "'" + text.Replace("'", "''") + "'";
    }

    /// <summary>The settings only Set-IntuneVppToken takes, beside the shared ones.</summary>
    public sealed class SetTokenSettings : TokenSettings
    {
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? OrganizationName { get; set; }

        [Parameter]
        public DateTimeOffset? ExpirationDateTime { get; set; }

        [Parameter]
        public DateTimeOffset? LastSyncDateTime { get; set; }

        [Parameter]
        [ValidateSet("unknown", "valid", "expired", "invalid", "assignedToExternalMDM")]
        public string? State { get; set; }

        [Parameter]
        [ValidateSet("none", "inProgress", "completed", "failed")]
        public string? LastSyncStatus { get; set; }

        public override VppTokenChanges ToChanges(SecureString? token)
        {
            VppTokenChanges changes = base.ToChanges(token);
            changes.OrganizationName = OrganizationName;
            changes.ExpirationDateTime = ExpirationDateTime;
            changes.LastSyncDateTime = LastSyncDateTime;
            changes.State = VppTokenValues.Canonical(VppTokenValues.States, State);
            changes.LastSyncStatus = VppTokenValues.Canonical(VppTokenValues.SyncStatuses, LastSyncStatus);
            return changes;
        }
    }
}
