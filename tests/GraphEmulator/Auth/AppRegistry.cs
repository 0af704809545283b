using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;

namespace GraphEmulator.Auth;

/// <summary>An app registration of a tenant: how it proves itself and which application permissions it holds.</summary>
internal sealed record AppRegistration(
    string TenantId,
    string ClientId,
    string? ClientSecret,
    X509Certificate2? Certificate,
    IReadOnlyList<string>? Roles);

/// <summary>App registrations by (tenant, client id), both compared case-insensitively as Entra ID does.</summary>
internal sealed class AppRegistry
{
    private readonly ConcurrentDictionary<string, AppRegistration> _apps = new(StringComparer.OrdinalIgnoreCase);

    public void Register(AppRegistration app) => _apps[Key(app.TenantId, app.ClientId)] = app;

    public AppRegistration? Find(string tenantId, string clientId) =>
        _apps.TryGetValue(Key(tenantId, clientId), out AppRegistration? app) ? app : null;

    private static string Key(string tenantId, string clientId) => tenantId + "|" + clientId;
}
