using System;
using System.Collections.Generic;
using System.Linq;

namespace IntuneVpp.Client.Authentication
{
    /// <summary>
    /// The scopes a sign-in asks Entra ID for. An app signing in as itself must ask for <c>{graph}/.default</c> (the
    /// application permissions an administrator granted it). A user signing in asks for named permissions on the
    /// connection's own Graph host: <c>.default</c> would give only what was already consented for the public client,
    /// so a first sign-in would end in 403s with no consent prompt, while named ones let Entra ID ask for consent.
    /// </summary>
    public static class GraphScopes
    {
        /// <summary>The delegated permission that reads and changes VPP tokens: what a user sign-in asks for by default.</summary>
        public const string DefaultDelegated = "DeviceManagementServiceConfig.ReadWrite.All";

        private const string Default = ".default";

        // OpenID Connect scopes belong to no resource; MSAL adds them to every user sign-in anyway.
        private static readonly string[] OpenIdScopes = { "openid", "profile", "offline_access", "email" };

        public static bool IsDelegated(SignInKind kind) => kind is SignInKind.Interactive or SignInKind.DeviceCode;

        /// <summary>
        /// What a sign-in of this kind asks for on <paramref name="graphEndpoint"/>'s host: the given permissions
        /// (short names such as DeviceManagementServiceConfig.ReadWrite.All are put on that host) or the default.
        /// </summary>
        /// <exception cref="ArgumentException">The requested scopes cannot be asked for together.</exception>
        public static IReadOnlyList<string> For(SignInKind kind, Uri graphEndpoint, IEnumerable<string>? requested = null)
        {
            string resource = graphEndpoint.GetLeftPart(UriPartial.Authority);
            if (!IsDelegated(kind))
            {
                return new[] { resource + "/" + Default };
            }

            string[] given = (requested ?? new[] { DefaultDelegated }).Select(scope => scope?.Trim() ?? string.Empty).ToArray();
            if (given.Length == 0 || given.Any(scope => scope.Length == 0 || scope.IndexOf(' ') >= 0))
            {
                throw new ArgumentException("Each scope must be one non-empty permission name without spaces, such as DeviceManagementServiceConfig.ReadWrite.All.");
            }

            List<string> scopes = given.Select(scope => Qualify(resource, scope)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            bool hasDefault = scopes.Any(scope => scope.EndsWith("/" + Default, StringComparison.OrdinalIgnoreCase));
            if (hasDefault && scopes.Any(scope => !IsOpenId(scope) && !scope.EndsWith("/" + Default, StringComparison.OrdinalIgnoreCase)))
            {
                throw new ArgumentException("'.default' (the permissions already granted) cannot be asked for together with named permissions; give one or the other.");
            }

            return scopes;
        }

        private static string Qualify(string resource, string scope)
        {
            // A scope that already names its resource (https://host/Name, api://id/Name, {app id}/Name) is left as given.
            if (IsOpenId(scope) || scope.IndexOf('/') > 0)
            {
                return scope;
            }

            return resource + "/" + scope.TrimStart('/');
        }

        private static bool IsOpenId(string scope) => OpenIdScopes.Contains(scope, StringComparer.OrdinalIgnoreCase);
    }
}
