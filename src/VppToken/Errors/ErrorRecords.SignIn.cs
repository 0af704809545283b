using System;
using System.Management.Automation;
using IntuneVpp.Client.Diagnostics;

namespace IntuneVpp.Errors
{
    /// <summary>The records of signing in and of the connection a cmdlet needs.</summary>
    internal static partial class ErrorRecords
    {
        public static ErrorRecord NotConnected() =>
            new(
                ExceptionFor(
                    ErrorCategory.AuthenticationError,
                    "Not connected to Graph. Connect first, for example: Connect-IntuneVpp -TenantId <tenant> (interactive), " +
                    "Connect-IntuneVpp -Identity (managed identity), or Connect-IntuneVpp -AccessToken <SecureString>; " +
                    "or pass -Connection with an object from Connect-IntuneVpp -PassThru."),
                "NotConnected",
                ErrorCategory.AuthenticationError,
                null)
            {
                ErrorDetails = Details(
                    "Not connected to Graph: there is no Connect-IntuneVpp connection in this runspace, no -Connection was given, and no Connect-MgGraph session to use.",
                    "Connect first with Connect-IntuneVpp (Get-Help Connect-IntuneVpp -Examples shows each way to sign in), or pass -Connection with an object from Connect-IntuneVpp -PassThru."),
            };

        /// <summary>A Connect-MgGraph session that could not be used; that module's words cut to a readable length, on one line.</summary>
        public static ErrorRecord MgGraphSessionFailed(Exception ex) =>
            new(ex, "MgGraphSessionFailed", ErrorCategory.AuthenticationError, null) { ErrorDetails = Details(ErrorText.OneLine(ErrorText.Cut(ex.Message)), null) };

        /// <summary>
        /// A sign-in Entra ID or MSAL refused. Their words come cut to a readable length already, but over several
        /// lines: the record makes them one. The exception, which says which step failed, is kept.
        /// </summary>
        public static ErrorRecord SignInFailed(Exception ex, object? target, string recommendedAction) =>
            new(ex, "SignInFailed", ErrorCategory.AuthenticationError, target) { ErrorDetails = Details(ErrorText.OneLine(ex.Message), recommendedAction) };

        /// <summary>A beta-only request on a v1.0 connection, refused before anything is sent.</summary>
        public static ErrorRecord BetaRequired(string what) =>
            Of(
                "BetaRequired",
                ErrorCategory.InvalidOperation,
                $"{what} is available only on Graph's beta endpoint; connect with Connect-IntuneVpp -ApiVersion beta (or pass such a connection with -Connection).",
                null);
    }
}
