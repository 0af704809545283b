using System;
using System.Text.RegularExpressions;

namespace IntuneVpp.Client.Authentication
{
    /// <summary>A sign-in that failed: which flow, which tenant, and why, in one sentence without a stack dump.</summary>
    public sealed class SignInException : Exception
    {
        private static readonly Regex AadstsCode = new(@"AADSTS\d+", RegexOptions.CultureInvariant);

        public SignInException(SignInKind kind, string? tenantId, string cause, Exception? innerException = null)
            : base(Compose(kind, tenantId, cause), innerException)
        {
            Kind = kind;
            TenantId = tenantId;
            Cause = cause;
            Match match = AadstsCode.Match(cause);
            AadstsErrorCode = match.Success ? match.Value : null;
        }

        public SignInKind Kind { get; }

        public string? TenantId { get; }

        public string Cause { get; }

        /// <summary>Entra ID's error code (AADSTS7000215 and the like), when the service gave one.</summary>
        public string? AadstsErrorCode { get; }

        private static string Compose(SignInKind kind, string? tenantId, string cause) =>
            $"{Describe(kind)} sign-in{(tenantId is null ? string.Empty : $" to tenant {tenantId}")} failed: {cause.Trim()}";

        private static string Describe(SignInKind kind) => kind switch
        {
            SignInKind.Interactive => "Interactive browser",
            SignInKind.DeviceCode => "Device code",
            SignInKind.ClientSecret => "Client secret",
            SignInKind.Certificate => "Client certificate",
            SignInKind.ManagedIdentity => "Managed identity",
            SignInKind.EnvironmentVariable => "Environment variable",
            SignInKind.MgGraphSession => "Connect-MgGraph session",
            _ => "Access token",
        };
    }
}
