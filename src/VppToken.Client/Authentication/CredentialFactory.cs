using System;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Http;

namespace IntuneVpp.Client.Authentication
{
    /// <summary>
    /// Builds the Azure.Identity credential for a sign-in. Split in two (options, then credential) so that the flows
    /// that need a person or a real cloud (browser, device code) can be checked for the options they get.
    /// </summary>
    internal static class CredentialFactory
    {
        /// <summary>Microsoft Graph Command Line Tools, the public client Connect-MgGraph signs in with by default.</summary>
        public const string DefaultPublicClientId = "14d82eec-204b-4c2f-b7e8-296a70dab67e";

        /// <param name="secrets">When given, every credential the sign-in sends or receives is remembered there, to be masked.</param>
        public static TokenCredentialOptions OptionsFor(SignInOptions signIn, SentSecrets? secrets = null)
        {
            TokenCredentialOptions options = signIn.Kind switch
            {
                SignInKind.Interactive => new InteractiveBrowserCredentialOptions
                {
                    TenantId = signIn.TenantId,
                    ClientId = signIn.ClientId ?? DefaultPublicClientId,
                    DisableInstanceDiscovery = signIn.IsCustomAuthority,
                },
                SignInKind.DeviceCode => new DeviceCodeCredentialOptions
                {
                    TenantId = signIn.TenantId,
                    ClientId = signIn.ClientId ?? DefaultPublicClientId,
                    DisableInstanceDiscovery = signIn.IsCustomAuthority,
                    DeviceCodeCallback = (info, cancellationToken) =>
                        signIn.DeviceCodeCallback?.Invoke(info.Message, cancellationToken) ?? System.Threading.Tasks.Task.CompletedTask,
                },
                SignInKind.ClientSecret => new ClientSecretCredentialOptions { DisableInstanceDiscovery = signIn.IsCustomAuthority },
                SignInKind.Certificate => new ClientCertificateCredentialOptions { DisableInstanceDiscovery = signIn.IsCustomAuthority },
                SignInKind.EnvironmentVariable => new EnvironmentCredentialOptions { DisableInstanceDiscovery = signIn.IsCustomAuthority },
                SignInKind.ManagedIdentity => new ManagedIdentityCredentialOptions(
                    signIn.ClientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(signIn.ClientId)),
                _ => throw new ArgumentOutOfRangeException(nameof(signIn), signIn.Kind, "This sign-in does not use Azure.Identity."),
            };
            options.AuthorityHost = signIn.AuthorityHost;
            // Azure SDK logging could write request details; the module reports through its own redacted log only.
            options.Diagnostics.IsLoggingEnabled = false;
            options.Diagnostics.IsAccountIdentifierLoggingEnabled = false;
            options.Diagnostics.IsTelemetryEnabled = false;
            options.Diagnostics.IsDistributedTracingEnabled = false;
            if (secrets is not null)
            {
                options.AddPolicy(new SecretCapturePolicy(secrets), HttpPipelinePosition.PerRetry);
            }

            return options;
        }

        public static TokenCredential Create(SignInOptions signIn, SentSecrets? secrets = null)
        {
            // Sign-in opens its own connections, possibly before any Graph call.
            FrameworkTls.EnsureEnabled();
            TokenCredentialOptions options = OptionsFor(signIn, secrets);
            switch (signIn.Kind)
            {
                case SignInKind.Interactive:
                    return new InteractiveBrowserCredential((InteractiveBrowserCredentialOptions)options);
                case SignInKind.DeviceCode:
                    return new DeviceCodeCredential((DeviceCodeCredentialOptions)options);
                case SignInKind.ClientSecret:
                    return new ClientSecretCredential(
                        Require(signIn.TenantId, "a tenant id"), Require(signIn.ClientId, "a client id"),
                        SecureStrings.ToPlainText(signIn.ClientSecret ?? throw new ArgumentException("A client secret sign-in needs a secret.")),
                        (ClientSecretCredentialOptions)options);
                case SignInKind.Certificate:
                    return new ClientCertificateCredential(
                        Require(signIn.TenantId, "a tenant id"), Require(signIn.ClientId, "a client id"),
                        signIn.Certificate ?? throw new ArgumentException("A certificate sign-in needs a certificate."),
                        (ClientCertificateCredentialOptions)options);
                case SignInKind.EnvironmentVariable:
                    // Workload identity federation (AKS, GitHub Actions, Azure DevOps) is announced by a token file.
                    return string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AZURE_FEDERATED_TOKEN_FILE"))
                        ? new EnvironmentCredential((EnvironmentCredentialOptions)options)
                        : new WorkloadIdentityCredential(WorkloadOptions(signIn, options, secrets));
                case SignInKind.ManagedIdentity:
                    return new ManagedIdentityCredential((ManagedIdentityCredentialOptions)options);
                default:
                    throw new ArgumentOutOfRangeException(nameof(signIn), signIn.Kind, "This sign-in does not use Azure.Identity.");
            }
        }

        private static WorkloadIdentityCredentialOptions WorkloadOptions(SignInOptions signIn, TokenCredentialOptions options, SentSecrets? secrets)
        {
            var workload = new WorkloadIdentityCredentialOptions
            {
                AuthorityHost = options.AuthorityHost,
                DisableInstanceDiscovery = signIn.IsCustomAuthority,
                TenantId = signIn.TenantId,
            };
            workload.Diagnostics.IsLoggingEnabled = false;
            workload.Diagnostics.IsAccountIdentifierLoggingEnabled = false;
            workload.Diagnostics.IsTelemetryEnabled = false;
            workload.Diagnostics.IsDistributedTracingEnabled = false;
            if (secrets is not null)
            {
                workload.AddPolicy(new SecretCapturePolicy(secrets), HttpPipelinePosition.PerRetry);
            }

            return workload;
        }

        private static string Require(string? value, string what) =>
            string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"This sign-in needs {what}.") : value!;
    }
}
