using System;

namespace IntuneVpp.Connections
{
    /// <summary>
    /// The one line Connect-IntuneVpp writes on the host, so that a person sees where the commands that follow will go:
    /// "Connected to tenant contoso.onmicrosoft.com as admin@contoso.com (browser sign-in): Global cloud, Graph v1.0 at
    /// https://graph.microsoft.com/."
    /// </summary>
    internal static class Welcome
    {
        public static string For(IntuneVppConnection connection)
        {
            string where = $"{connection.Environment} cloud, Graph {connection.ApiVersion} at {connection.GraphEndpoint}";
            string how = How(connection.SignInKind);
            if (connection.TenantId is null && connection.ClientId is null && connection.Account is null)
            {
                return $"Connected with {Article(how)} {how} that names no tenant or account: {where}.";
            }

            string who = connection.Account
                ?? (connection.ClientId is null ? "an unnamed account"
                    : connection.SignInKind == "ManagedIdentity" ? $"managed identity {connection.ClientId}"
                    : connection.IsDelegated == true ? $"a user of app {connection.ClientId}"
                    : $"app {connection.ClientId}");
            return $"Connected to tenant {connection.TenantId ?? "(unknown)"} as {who} ({how}): {where}.";
        }

        private static string How(string signInKind) => signInKind switch
        {
            "Interactive" => "browser sign-in",
            "DeviceCode" => "device code",
            "ClientSecret" => "client secret",
            "Certificate" => "certificate",
            "ManagedIdentity" => "managed identity",
            "EnvironmentVariable" => "AZURE_* environment variables",
            "AccessToken" => "access token",
            "MgGraphSession" => "Connect-MgGraph session",
            _ => signInKind,
        };

        private static string Article(string noun) =>
            noun.Length > 0 && "aeiouAEIOU".IndexOf(noun[0]) >= 0 ? "an" : "a";
    }
}
