using System;
using System.Collections.Generic;
using Microsoft.AspNetCore.Http;

namespace GraphEmulator.Auth;

/// <summary>
/// Who is calling: the tenant the token belongs to, the app, and its permissions. <see cref="Permissions"/> is
/// null when the token states none (opaque tokens, or JWTs without roles/scp): such callers may do anything.
/// </summary>
internal sealed record Caller(string TenantId, string AppId, IReadOnlySet<string>? Permissions)
{
    public static Caller Of(HttpContext context) =>
        context.Features.Get<Caller>() ?? throw new InvalidOperationException("GraphAuthFilter did not run.");
}
