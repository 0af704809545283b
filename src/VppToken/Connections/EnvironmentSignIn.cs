using System;
using System.Collections.Generic;
using System.Linq;

namespace IntuneVpp.Connections
{
    /// <summary>
    /// Checks the AZURE_* variables Connect-IntuneVpp -EnvironmentVariable signs in from, before Azure.Identity is
    /// asked: its own answer ("environment variables are not fully configured") names none of them.
    /// </summary>
    internal static class EnvironmentSignIn
    {
        private const string TenantId = "AZURE_TENANT_ID";
        private const string ClientId = "AZURE_CLIENT_ID";
        private const string ClientSecret = "AZURE_CLIENT_SECRET";
        private const string CertificatePath = "AZURE_CLIENT_CERTIFICATE_PATH";
        private const string FederatedTokenFile = "AZURE_FEDERATED_TOKEN_FILE";
        private const string UserName = "AZURE_USERNAME";
        private const string Password = "AZURE_PASSWORD";

        private static readonly string[] Known =
        {
            TenantId, ClientId, ClientSecret, CertificatePath, "AZURE_CLIENT_CERTIFICATE_PASSWORD", FederatedTokenFile, UserName, Password,
        };

        /// <summary>What is missing for a sign-in, in a sentence; null when the variables make one.</summary>
        /// <param name="tenantParameter">-TenantId, which stands in for AZURE_TENANT_ID with a federated token file.</param>
        public static string? Problem(string? tenantParameter)
        {
            string[] set = Known.Where(Has).ToArray();
            if (set.Length == 0)
            {
                return "-EnvironmentVariable found none of the variables it signs in with. Set AZURE_TENANT_ID and AZURE_CLIENT_ID, " +
                       "and one of AZURE_CLIENT_SECRET (a client secret), AZURE_CLIENT_CERTIFICATE_PATH (a certificate file, with " +
                       "AZURE_CLIENT_CERTIFICATE_PASSWORD when it has one) or AZURE_FEDERATED_TOKEN_FILE (workload identity federation).";
            }

            var missing = new List<string>();
            bool federated = Has(FederatedTokenFile);
            if (!Has(TenantId) && !(federated && !string.IsNullOrEmpty(tenantParameter)))
            {
                missing.Add(TenantId);
            }

            if (!Has(ClientId))
            {
                missing.Add(ClientId);
            }

            if (!federated && !Has(ClientSecret) && !Has(CertificatePath) && !(Has(UserName) && Has(Password)))
            {
                missing.Add($"one of {ClientSecret}, {CertificatePath} or {FederatedTokenFile}");
            }

            return missing.Count == 0
                ? null
                : $"-EnvironmentVariable needs {Join(missing)} as well as the {Join(set)} set in this session.";
        }

        private static bool Has(string name) => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name));

        private static string Join(IReadOnlyList<string> items) =>
            items.Count == 1 ? items[0] : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[items.Count - 1];
    }
}
