using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;

namespace IntuneVpp
{
    /// <summary>
    /// The properties a caller asked to write. A null property is not sent at all: Graph's PATCH changes exactly what
    /// the body names. <see cref="Writable"/> is the one list of them that the JSON body, the beta check and the
    /// -WhatIf text are made from.
    /// </summary>
    public sealed class VppTokenChanges
    {
        /// <summary>
        /// Every writable vppToken property, in the order the Graph documentation lists them: its name as the
        /// parameters spell it, its JSON name, whether only beta has it, whether it is a secret. Adding a property is
        /// a line here, its typed property below, and its parameter.
        /// </summary>
        public static readonly IReadOnlyList<WritableProperty> Writable = new[]
        {
            new WritableProperty("OrganizationName", "organizationName", c => c.OrganizationName),
            new WritableProperty("VppTokenAccountType", "vppTokenAccountType", c => c.VppTokenAccountType),
            new WritableProperty("AppleId", "appleId", c => c.AppleId),
            new WritableProperty("ExpirationDateTime", "expirationDateTime", c => c.ExpirationDateTime),
            new WritableProperty("LastSyncDateTime", "lastSyncDateTime", c => c.LastSyncDateTime),
            new WritableProperty("Token", "token", c => c.Token, isSecret: true),
            new WritableProperty("State", "state", c => c.State),
            new WritableProperty("LastSyncStatus", "lastSyncStatus", c => c.LastSyncStatus),
            new WritableProperty("AutomaticallyUpdateApps", "automaticallyUpdateApps", c => c.AutomaticallyUpdateApps),
            new WritableProperty("CountryOrRegion", "countryOrRegion", c => c.CountryOrRegion),
            new WritableProperty("DisplayName", "displayName", c => c.DisplayName, isBeta: true),
            new WritableProperty("DataSharingConsentGranted", "dataSharingConsentGranted", c => c.DataSharingConsentGranted, isBeta: true),
            new WritableProperty("ClaimTokenManagementFromExternalMdm", "claimTokenManagementFromExternalMdm", c => c.ClaimTokenManagementFromExternalMdm, isBeta: true),
            new WritableProperty("RoleScopeTagIds", "roleScopeTagIds", c => c.RoleScopeTagIds, isBeta: true),
        };

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

        public string? DisplayName { get; set; }

        public bool? DataSharingConsentGranted { get; set; }

        public bool? ClaimTokenManagementFromExternalMdm { get; set; }

        public IReadOnlyList<string>? RoleScopeTagIds { get; set; }

        /// <summary>The properties that are set, with their values, in <see cref="Writable"/>'s order.</summary>
        public IEnumerable<(WritableProperty Property, object Value)> Set =>
            Writable.Select(property => (property, property.ValueIn(this)!)).Where(pair => pair.Item2 is not null);

        public bool IsEmpty => !Set.Any();

        /// <summary>A copy of these changes with <paramref name="token"/> as the token to send (none when null).</summary>
        public VppTokenChanges WithToken(SecureString? token)
        {
            var copy = (VppTokenChanges)MemberwiseClone();
            copy.Token = token;
            return copy;
        }

        /// <summary>The beta-only properties that are set.</summary>
        public IReadOnlyList<WritableProperty> BetaProperties => Set.Select(pair => pair.Property).Where(property => property.IsBeta).ToArray();
    }

    /// <summary>One writable vppToken property: how the parameters and the JSON body name it, and how to read its value.</summary>
    public sealed class WritableProperty
    {
        private readonly Func<VppTokenChanges, object?> _read;

        internal WritableProperty(string name, string jsonName, Func<VppTokenChanges, object?> read, bool isBeta = false, bool isSecret = false)
        {
            Name = name;
            JsonName = jsonName;
            IsBeta = isBeta;
            IsSecret = isSecret;
            _read = read;
        }

        /// <summary>The name the cmdlets' parameters and -WhatIf use.</summary>
        public string Name { get; }

        public string JsonName { get; }

        /// <summary>Only Graph's beta endpoint takes it; v1.0 refuses a body that names it.</summary>
        public bool IsBeta { get; }

        /// <summary>Never shown: -WhatIf says *** for it, and the logs mask it.</summary>
        public bool IsSecret { get; }

        /// <summary>Its value in <paramref name="changes"/>, or null when it is not to be sent.</summary>
        public object? ValueIn(VppTokenChanges changes) => _read(changes);

        public override string ToString() => Name;
    }
}
