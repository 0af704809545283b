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
    /// as Set's base is the per-token one and New's is not). Each parameter writes its value straight into the changes
    /// to send, so a parameter and where its value goes are one declaration. A parameter not given stays null, so
    /// `$false` is still sent and nothing else is.
    /// </summary>
    public class TokenSettings
    {
        private protected readonly VppTokenChanges Changes = new();

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? AppleId { get => Changes.AppleId; set => Changes.AppleId = value; }

        [Parameter]
        [ValidateSet("business", "education")]
        public string? VppTokenAccountType
        {
            get => Changes.VppTokenAccountType;
            set => Changes.VppTokenAccountType = VppTokenValues.Canonical(VppTokenValues.AccountTypes, value);
        }

        /// <summary>Whether apps are updated automatically. A [bool]: -AutomaticallyUpdateApps $false sends false.</summary>
        [Parameter]
        [BooleanText]
        public bool? AutomaticallyUpdateApps { get => Changes.AutomaticallyUpdateApps; set => Changes.AutomaticallyUpdateApps = value; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CountryOrRegion { get => Changes.CountryOrRegion; set => Changes.CountryOrRegion = value; }

        /// <summary>Beta: the token's name in Intune.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? DisplayName { get => Changes.DisplayName; set => Changes.DisplayName = value; }

        /// <summary>Beta: consent to share data with Apple.</summary>
        [Parameter]
        [BooleanText]
        public bool? DataSharingConsentGranted { get => Changes.DataSharingConsentGranted; set => Changes.DataSharingConsentGranted = value; }

        /// <summary>Beta: take the token over from another MDM.</summary>
        [Parameter]
        [BooleanText]
        public bool? ClaimTokenManagementFromExternalMdm
        {
            get => Changes.ClaimTokenManagementFromExternalMdm;
            set => Changes.ClaimTokenManagementFromExternalMdm = value;
        }

        /// <summary>Beta: the role scope tags of the token.</summary>
        [Parameter]
        [ValidateNotNull]
        public string[]? RoleScopeTagIds { get => Changes.RoleScopeTagIds?.ToArray(); set => Changes.RoleScopeTagIds = value; }

        /// <summary>The properties to send: the settings given, and <paramref name="token"/> when there is one.</summary>
        public VppTokenChanges ToChanges(SecureString? token) => Changes.WithToken(token);

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
        public string? OrganizationName { get => Changes.OrganizationName; set => Changes.OrganizationName = value; }

        [Parameter]
        public DateTimeOffset? ExpirationDateTime { get => Changes.ExpirationDateTime; set => Changes.ExpirationDateTime = value; }

        [Parameter]
        public DateTimeOffset? LastSyncDateTime { get => Changes.LastSyncDateTime; set => Changes.LastSyncDateTime = value; }

        [Parameter]
        [ValidateSet("unknown", "valid", "expired", "invalid", "assignedToExternalMDM")]
        public string? State { get => Changes.State; set => Changes.State = VppTokenValues.Canonical(VppTokenValues.States, value); }

        [Parameter]
        [ValidateSet("none", "inProgress", "completed", "failed")]
        public string? LastSyncStatus
        {
            get => Changes.LastSyncStatus;
            set => Changes.LastSyncStatus = VppTokenValues.Canonical(VppTokenValues.SyncStatuses, value);
        }
    }
}
