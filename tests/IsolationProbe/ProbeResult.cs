using System;
using System.Reflection;
using Azure.Core;
using Azure.Identity;
using Microsoft.Identity.Client;

namespace IsolationProbe
{
    /// <summary>What Invoke-ProbeRequest ran with and what the server answered.</summary>
    public sealed class ProbeResult
    {
        private ProbeResult(Assembly core, Assembly identity, Assembly msal)
        {
            AzureCoreVersion = core.GetName().Version!.ToString();
            AzureCoreLocation = core.Location;
            AzureIdentityVersion = identity.GetName().Version!.ToString();
            MsalVersion = msal.GetName().Version!.ToString();
        }

        public string AzureCoreVersion { get; }

        public string AzureCoreLocation { get; }

        public string AzureIdentityVersion { get; }

        public string MsalVersion { get; }

        public Uri? RequestUri { get; private set; }

        public int StatusCode { get; private set; }

        internal string Header =>
            $"Azure.Core/{AzureCoreVersion} Azure.Identity/{AzureIdentityVersion} Microsoft.Identity.Client/{MsalVersion}";

        internal static ProbeResult FromLoadedAssemblies() => new(
            typeof(TokenCredential).Assembly,
            typeof(ChainedTokenCredential).Assembly,
            typeof(ConfidentialClientApplication).Assembly);

        internal ProbeResult WithResponse(Uri requestUri, int statusCode)
        {
            RequestUri = requestUri;
            StatusCode = statusCode;
            return this;
        }
    }
}
