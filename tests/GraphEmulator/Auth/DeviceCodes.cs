using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;

namespace GraphEmulator.Auth;

/// <summary>Where a device authorization stands; the control API moves it, the client's polls read it.</summary>
internal enum DeviceCodeState
{
    Pending,
    Approved,
    Declined,
    Expired,
    Redeemed,
}

/// <summary>
/// One device authorization (RFC 8628): the secret device code the client polls with, the user code a person would
/// type, what was asked for, and what the "user" did about it.
/// </summary>
internal sealed class DeviceAuthorization(string tenantId, string clientId, string resource, IReadOnlyList<string> permissions, bool asksDefault, DateTimeOffset expiresAt)
{
    public string DeviceCode { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public string UserCode { get; } = RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 9);

    public string TenantId { get; } = tenantId;

    public string ClientId { get; } = clientId;

    /// <summary>The resource (Graph host) the named permissions are on.</summary>
    public string Resource { get; } = resource;

    /// <summary>The named permissions asked for, without their resource; empty when only .default was.</summary>
    public IReadOnlyList<string> Permissions { get; } = permissions;

    public bool AsksDefault { get; } = asksDefault;

    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    public DeviceCodeState State { get; set; } = DeviceCodeState.Pending;

    /// <summary>Set by the control API: the next poll answers slow_down once, then the code is pending again.</summary>
    public bool SlowDownNext { get; set; }

    public string User { get; set; } = "user@emulator.test";

    public int Polls { get; set; }
}

/// <summary>
/// Pending device authorizations, and what each (tenant, client) has been consented for: approving named permissions
/// consents to them, and a later <c>.default</c> request gets exactly what was consented (User.Read when nothing was,
/// which reaches no vppToken: the first-day 403 of a client that asks for .default).
/// </summary>
internal sealed class DeviceCodeStore
{
    private readonly ConcurrentDictionary<string, DeviceAuthorization> _byDeviceCode = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HashSet<string>> _consents = new(StringComparer.OrdinalIgnoreCase);

    public void Add(DeviceAuthorization authorization) => _byDeviceCode[authorization.DeviceCode] = authorization;

    public DeviceAuthorization? FindByDeviceCode(string deviceCode) =>
        _byDeviceCode.TryGetValue(deviceCode, out DeviceAuthorization? found) ? found : null;

    public DeviceAuthorization? FindByUserCode(string userCode) =>
        _byDeviceCode.Values.FirstOrDefault(a => string.Equals(a.UserCode, userCode.Replace("-", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));

    public IReadOnlyList<DeviceAuthorization> All() => [.. _byDeviceCode.Values];

    public void Consent(string tenantId, string clientId, IEnumerable<string> permissions)
    {
        HashSet<string> granted = _consents.GetOrAdd(tenantId + "|" + clientId, _ => new HashSet<string>(StringComparer.OrdinalIgnoreCase));
        lock (granted)
        {
            granted.UnionWith(permissions);
        }
    }

    public IReadOnlyList<string> Consented(string tenantId, string clientId)
    {
        if (_consents.TryGetValue(tenantId + "|" + clientId, out HashSet<string>? granted))
        {
            lock (granted)
            {
                if (granted.Count > 0)
                {
                    return [.. granted];
                }
            }
        }

        return ["User.Read"];
    }

    public void Clear()
    {
        _byDeviceCode.Clear();
        _consents.Clear();
    }
}
