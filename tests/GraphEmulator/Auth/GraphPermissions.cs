using System.Collections.Generic;
using System.Linq;

namespace GraphEmulator.Auth;

/// <summary>Which Graph permissions reach vppTokens (Intune's documented ones, application and delegated alike).</summary>
internal static class GraphPermissions
{
    public static readonly IReadOnlyList<string> Write =
    [
        "DeviceManagementServiceConfig.ReadWrite.All",
        "DeviceManagementApps.ReadWrite.All",
        "DeviceManagementConfiguration.ReadWrite.All",
    ];

    public static readonly IReadOnlyList<string> Read =
    [
        .. Write,
        "DeviceManagementServiceConfig.Read.All",
        "DeviceManagementApps.Read.All",
        "DeviceManagementConfiguration.Read.All",
    ];

    public static IReadOnlyList<string> Needed(bool write) => write ? Write : Read;

    public static bool Allows(Caller caller, bool write) =>
        caller.Permissions is null || Needed(write).Any(caller.Permissions.Contains);
}
