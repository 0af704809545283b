using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security;

namespace IntuneVpp.Commands.Tokens
{
    /// <summary>
    /// Turns the value parameters a caller bound into the properties to send. Set- and New-IntuneVppToken share the
    /// parameter names, so one mapping serves both; a parameter not bound is not sent.
    /// </summary>
    internal static class TokenSettings
    {
        public static VppTokenChanges FromBound(IDictionary<string, object> bound, SecureString? token) => new()
        {
            OrganizationName = Value<string>(bound, "OrganizationName"),
            VppTokenAccountType = VppTokenValues.Canonical(VppTokenValues.AccountTypes, Value<string>(bound, "VppTokenAccountType")),
            AppleId = Value<string>(bound, "AppleId"),
            ExpirationDateTime = Struct<DateTimeOffset>(bound, "ExpirationDateTime"),
            LastSyncDateTime = Struct<DateTimeOffset>(bound, "LastSyncDateTime"),
            Token = token,
            State = VppTokenValues.Canonical(VppTokenValues.States, Value<string>(bound, "State")),
            LastSyncStatus = VppTokenValues.Canonical(VppTokenValues.SyncStatuses, Value<string>(bound, "LastSyncStatus")),
            AutomaticallyUpdateApps = Struct<bool>(bound, "AutomaticallyUpdateApps"),
            CountryOrRegion = Value<string>(bound, "CountryOrRegion"),
            DisplayName = Value<string>(bound, "DisplayName"),
            DataSharingConsentGranted = Struct<bool>(bound, "DataSharingConsentGranted"),
            ClaimTokenManagementFromExternalMdm = Struct<bool>(bound, "ClaimTokenManagementFromExternalMdm"),
            RoleScopeTagIds = Value<string[]>(bound, "RoleScopeTagIds"),
        };

        /// <summary>
        /// The values to be sent, as -WhatIf and -Confirm show them: "AutomaticallyUpdateApps = False, CountryOrRegion
        /// = 'us'". Enumerations in Graph's spelling, dates in ISO 8601 with their offset; the token is never shown.
        /// </summary>
        public static string DescribeValues(VppTokenChanges changes, bool includeToken = true)
        {
            var values = new List<string>();
            void Add(string name, object? value)
            {
                if (value is not null)
                {
                    values.Add($"{name} = {Show(value)}");
                }
            }

            Add("OrganizationName", changes.OrganizationName);
            Add("VppTokenAccountType", changes.VppTokenAccountType);
            Add("AppleId", changes.AppleId);
            Add("ExpirationDateTime", changes.ExpirationDateTime);
            Add("LastSyncDateTime", changes.LastSyncDateTime);
            Add("Token", includeToken ? changes.Token : null);
            Add("State", changes.State);
            Add("LastSyncStatus", changes.LastSyncStatus);
            Add("AutomaticallyUpdateApps", changes.AutomaticallyUpdateApps);
            Add("CountryOrRegion", changes.CountryOrRegion);
            Add("DisplayName", changes.DisplayName);
            Add("DataSharingConsentGranted", changes.DataSharingConsentGranted);
            Add("ClaimTokenManagementFromExternalMdm", changes.ClaimTokenManagementFromExternalMdm);
            Add("RoleScopeTagIds", changes.RoleScopeTagIds);
            return string.Join(", ", values);
        }

        private static string Show(object value) => value switch
        {
            SecureString => "***",
            string text => Quote(text),
            bool flag => flag ? "True" : "False",
            DateTimeOffset date => date.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
            IEnumerable<string> items => items.Any() ? string.Join(", ", items.Select(Quote)) : "@()",
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
        };

        private static string Quote(string text) => "'" + text.Replace("'", "''") + "'";

        /// <summary>The beta-only parameters among the changes, as the caller typed them (-DisplayName, ...).</summary>
        public static string BetaParameters(VppTokenChanges changes) =>
            string.Join(", ", changes.BetaPropertyNames.Select(name => "-" + char.ToUpperInvariant(name[0]) + name.Substring(1)));

        private static T? Value<T>(IDictionary<string, object> bound, string name)
            where T : class =>
            bound.TryGetValue(name, out object? value) ? value as T : null;

        private static T? Struct<T>(IDictionary<string, object> bound, string name)
            where T : struct =>
            bound.TryGetValue(name, out object? value) && value is T typed ? typed : null;
    }
}
