using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Linq;

namespace GraphEmulator.Store;

internal enum PropertyKind
{
    String,
    Enum,
    DateTimeOffset,
    Boolean,
    Int32,
    StringCollection,
    ObjectCollection,
}

/// <summary>One vppToken property as Graph's CSDL describes it.</summary>
internal sealed record PropertySpec(
    string Name,
    PropertyKind Kind,
    bool Nullable = true,
    bool ReadOnly = false,
    bool BetaOnly = false,
    string? EnumType = null,
    IReadOnlyList<string>? EnumMembers = null,
    IReadOnlyList<string>? BetaEnumMembers = null)
{
    public string EdmType => Kind switch
    {
        PropertyKind.String => "Edm.String",
        PropertyKind.Enum => "microsoft.graph." + EnumType,
        PropertyKind.DateTimeOffset => "Edm.DateTimeOffset",
        PropertyKind.Boolean => "Edm.Boolean",
        PropertyKind.Int32 => "Edm.Int32",
        PropertyKind.StringCollection => "Collection(Edm.String)",
        _ => "Collection(microsoft.graph.vppTokenActionResult)",
    };

    public IEnumerable<string> MembersFor(ApiVersion version) =>
        (EnumMembers ?? []).Concat(version == ApiVersion.Beta ? BetaEnumMembers ?? [] : []);

    public bool AppliesTo(ApiVersion version) => version == ApiVersion.Beta || !BetaOnly;
}

/// <summary>The vppToken entity type of v1.0 and beta, in the order Graph serializes it.</summary>
internal static class VppTokenSchema
{
    public const string ODataType = "#microsoft.graph.vppToken";
    public const string TypeName = "microsoft.graph.vppToken";

    public static readonly IReadOnlyList<PropertySpec> Properties =
    [
        new("id", PropertyKind.String, Nullable: false, ReadOnly: true),
        new("organizationName", PropertyKind.String),
        new("vppTokenAccountType", PropertyKind.Enum, Nullable: false, EnumType: "vppTokenAccountType", EnumMembers: ["business", "education"]),
        new("appleId", PropertyKind.String),
        new("expirationDateTime", PropertyKind.DateTimeOffset),
        new("lastSyncDateTime", PropertyKind.DateTimeOffset),
        new("token", PropertyKind.String),
        new("lastModifiedDateTime", PropertyKind.DateTimeOffset, Nullable: false, ReadOnly: true),
        new("state", PropertyKind.Enum, Nullable: false, EnumType: "vppTokenState",
            EnumMembers: ["unknown", "valid", "expired", "invalid", "assignedToExternalMDM"], BetaEnumMembers: ["duplicateLocationId"]),
        new("tokenActionResults", PropertyKind.ObjectCollection, BetaOnly: true),
        new("lastSyncStatus", PropertyKind.Enum, Nullable: false, EnumType: "vppTokenSyncStatus", EnumMembers: ["none", "inProgress", "completed", "failed"]),
        new("automaticallyUpdateApps", PropertyKind.Boolean, Nullable: false),
        new("countryOrRegion", PropertyKind.String),
        new("dataSharingConsentGranted", PropertyKind.Boolean, Nullable: false, BetaOnly: true),
        new("displayName", PropertyKind.String, BetaOnly: true),
        new("locationName", PropertyKind.String, BetaOnly: true),
        new("claimTokenManagementFromExternalMdm", PropertyKind.Boolean, Nullable: false, BetaOnly: true),
        new("roleScopeTagIds", PropertyKind.StringCollection, BetaOnly: true),
        new("lastAppCount", PropertyKind.Int32, Nullable: false, BetaOnly: true),
        new("appleDeviceAppDeliveryProtocolType", PropertyKind.Enum, Nullable: false, BetaOnly: true, EnumType: "appleDeviceDeliveryProtocol",
            EnumMembers: ["default", "mobileDeviceManagement", "declarativeDeviceManagement", "unknownFutureValue"]),
    ];

    private static readonly FrozenDictionary<string, PropertySpec> ByName =
        Properties.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);

    public static PropertySpec? Find(string name, ApiVersion version) =>
        ByName.TryGetValue(name, out PropertySpec? spec) && spec.AppliesTo(version) ? spec : null;
}
