using System.Collections.Generic;

namespace GraphEmulator.Auth;

/// <summary>The managed identity the /msi/token endpoint hands out tokens for.</summary>
internal sealed record ManagedIdentity(
    string IdentityHeader,
    string? TenantId,
    string ClientId,
    IReadOnlyList<string>? Roles,
    int LifetimeSeconds)
{
    public static ManagedIdentity Default { get; } = new(
        "emulator-identity-header",
        null, // the default tenant
        "a8f3c2d1-6b5e-4f7a-9c8d-0e1f2a3b4c5d",
        ["DeviceManagementServiceConfig.ReadWrite.All"],
        86_400);
}

/// <summary>Holds the current <see cref="ManagedIdentity"/>; replaced whole, so readers never see half an update.</summary>
internal sealed class ManagedIdentityStore
{
    private volatile ManagedIdentity _current = ManagedIdentity.Default;

    public ManagedIdentity Current
    {
        get => _current;
        set => _current = value;
    }
}
