using System;
using System.IO;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Client.Authentication;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Graph;
using IntuneVpp.Client.Http;
using IntuneVpp.Commands.Parameters;
using IntuneVpp.Completion;
using IntuneVpp.Connections;
using Connections = IntuneVpp.Connections;

namespace IntuneVpp.Commands.Connection
{
    /// <summary>
    /// Signs in to a tenant's Graph and makes the connection the runspace's current one. Parameter names follow
    /// Connect-MgGraph so habits carry over.
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "IntuneVpp", DefaultParameterSetName = InteractiveSet)]
    [OutputType(typeof(IntuneVppConnection))]
    public sealed class ConnectIntuneVppCommand : AsyncPSCmdlet
    {
        private const string InteractiveSet = "Interactive";
        private const string DeviceCodeSet = "DeviceCode";
        private const string ThumbprintSet = "CertificateThumbprint";
        private const string CertificateSet = "Certificate";
        private const string CertificatePathSet = "CertificatePath";
        private const string ClientSecretSet = "ClientSecret";
        private const string IdentitySet = "ManagedIdentity";
        private const string EnvironmentVariableSet = "EnvironmentVariable";
        private const string AccessTokenSet = "AccessToken";
        private const string MgGraphSet = "MgGraphSession";

        #region Parameters

        /// <summary>The tenant: its id (GUID) or a verified domain such as contoso.onmicrosoft.com.</summary>
        [Parameter(Position = 0, ParameterSetName = InteractiveSet)]
        [Parameter(ParameterSetName = DeviceCodeSet)]
        [Parameter(Mandatory = true, ParameterSetName = ThumbprintSet)]
        [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
        [Parameter(Mandatory = true, ParameterSetName = CertificatePathSet)]
        [Parameter(Mandatory = true, ParameterSetName = ClientSecretSet)]
        [Parameter(ParameterSetName = EnvironmentVariableSet)]
        [Alias("Tenant")]
        [ValidateNotNullOrEmpty]
        public string? TenantId { get; set; }

        /// <summary>The app (client) id; with -Identity, the client id of a user-assigned managed identity.</summary>
        [Parameter(Position = 1, ParameterSetName = InteractiveSet)]
        [Parameter(ParameterSetName = DeviceCodeSet)]
        [Parameter(Mandatory = true, ParameterSetName = ThumbprintSet)]
        [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
        [Parameter(Mandatory = true, ParameterSetName = CertificatePathSet)]
        [Parameter(ParameterSetName = IdentitySet)]
        [Alias("AppId", "ApplicationId")]
        [ValidateNotNullOrEmpty]
        public string? ClientId { get; set; }

        /// <summary>
        /// The delegated permissions a user sign-in asks for, on the connection's Graph host; Entra ID asks for consent
        /// to those not granted yet. Default: DeviceManagementServiceConfig.ReadWrite.All.
        /// </summary>
        [Parameter(ParameterSetName = InteractiveSet)]
        [Parameter(ParameterSetName = DeviceCodeSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(GraphScopeCompleter))]
        public string[]? Scopes { get; set; }

        /// <summary>Signs in with a code shown here and entered in a browser elsewhere: for SSH and headless hosts.</summary>
        [Parameter(Mandatory = true, ParameterSetName = DeviceCodeSet)]
        [Alias("DeviceCode", "DeviceAuth", "Device")]
        public SwitchParameter UseDeviceCode { get; set; }

        /// <summary>The thumbprint of the app's certificate in the CurrentUser or LocalMachine My store.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ThumbprintSet)]
        [Alias("Thumbprint")]
        [ValidateNotNullOrEmpty]
        public string CertificateThumbprint { get; set; } = string.Empty;

        /// <summary>The app's certificate, with its private key.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
        [ValidateNotNull]
        public X509Certificate2 Certificate { get; set; } = null!;

        /// <summary>A .pfx (PKCS #12) file holding the app's certificate and private key.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CertificatePathSet)]
        [ValidateNotNullOrEmpty]
        public string CertificatePath { get; set; } = string.Empty;

        /// <summary>The password of the -CertificatePath file.</summary>
        [Parameter(ParameterSetName = CertificatePathSet)]
        public SecureString? CertificatePassword { get; set; }

        /// <summary>The app's client id as user name and its client secret as password.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ClientSecretSet)]
        [ValidateNotNull]
        [Credential]
        public PSCredential ClientSecretCredential { get; set; } = null!;

        /// <summary>Signs in as the managed identity of the Azure Automation account, VM, App Service or Function.</summary>
        [Parameter(Mandatory = true, ParameterSetName = IdentitySet)]
        [Alias("ManagedIdentity", "MI")]
        public SwitchParameter Identity { get; set; }

        /// <summary>Signs in from the AZURE_* environment variables Azure.Identity reads (secret, certificate, or workload identity federation).</summary>
        [Parameter(Mandatory = true, ParameterSetName = EnvironmentVariableSet)]
        [Alias("EnvironmentVariables")]
        public SwitchParameter EnvironmentVariable { get; set; }

        /// <summary>An access token for Graph obtained elsewhere. It is used as is and cannot be refreshed.</summary>
        [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
        [ValidateNotNull]
        public SecureString AccessToken { get; set; } = null!;

        /// <summary>Uses the session of Connect-MgGraph (Microsoft.Graph.Authentication) explicitly.</summary>
        [Parameter(Mandatory = true, ParameterSetName = MgGraphSet)]
        public SwitchParameter MgGraphSession { get; set; }

        /// <summary>The cloud: Global (the default), USGov, USGovDoD or China.</summary>
        [Parameter]
        [ValidateSet("Global", "USGov", "USGovDoD", "China")]
        public string Environment { get; set; } = "Global";

        /// <summary>The Graph service root, when it is not the cloud's own (http is allowed only on loopback).</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? GraphEndpoint { get; set; }

        /// <summary>The Entra ID host, when it is not the cloud's own (https only): private clouds and test servers.</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? AuthorityHost { get; set; }

        /// <summary>The Graph API version: v1.0 (the default) or beta, which adds the beta-only properties and actions.</summary>
        [Parameter]
        [ValidateSet(GraphApiVersion.V1, GraphApiVersion.Beta)]
        public string ApiVersion { get; set; } = GraphApiVersion.V1;

        /// <summary>Retries of a throttled or failed request after the first try.</summary>
        [Parameter]
        [ValidateRange(0, 20)]
        public int MaxRetries { get; set; } = new RetrySettings().MaxRetries;

        /// <summary>The most time one request may spend waiting between tries, Retry-After waits included. A number is seconds.</summary>
        [Parameter]
        [DurationTransformation]
        [ValidateDuration("00:00:01", "1.00:00:00")]
        public TimeSpan MaxRetryWait { get; set; } = new RetrySettings().MaxTotalWait;

        /// <summary>How long one try may take to answer before it counts as failed. A number is seconds.</summary>
        [Parameter]
        [DurationTransformation]
        [ValidateDuration("00:00:01", "01:00:00")]
        public TimeSpan RequestTimeout { get; set; } = new RetrySettings().NetworkTimeout;

        /// <summary>Writes allowed per -WriteWindow before the module paces itself (Intune: 100 per 20 s per app). 0 turns pacing off.</summary>
        [Parameter]
        [ValidateRange(0, 100000)]
        public int WriteLimit { get; set; } = new RetrySettings().WriteLimit;

        /// <summary>The window -WriteLimit counts over. A number is seconds.</summary>
        [Parameter]
        [DurationTransformation]
        [ValidateDuration("00:00:01", "01:00:00")]
        public TimeSpan WriteWindow { get; set; } = new RetrySettings().WriteWindow;

        /// <summary>Writes the connection object, for -Connection on other cmdlets.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Leaves out the line that says where the connection goes (Connect-MgGraph's name).</summary>
        [Parameter]
        public SwitchParameter NoWelcome { get; set; }

        #endregion

        protected override async Task ProcessRecordAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            foreach ((bool refuse, string message) in ConnectParameterRules.Find(ParameterSetName, MyInvocation.BoundParameters, WriteLimit, MaxRetries))
            {
                if (refuse)
                {
                    throw Terminating("ParameterHasNoEffect", message, ErrorCategory.InvalidArgument, null);
                }

                await pipeline.WriteWarningAsync(message).ConfigureAwait(false);
            }

            if (ParameterSetName == MgGraphSet)
            {
                IntuneVppConnection? borrowed;
                try
                {
                    borrowed = await Connections.MgGraphSession.ConnectAsync(pipeline, RetrySettings(), ApiVersion).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is RuntimeException or InvalidOperationException)
                {
                    throw new TerminatingErrorException(Errors.ErrorRecords.MgGraphSessionFailed(ex));
                }

                await FinishAsync(pipeline, borrowed ?? throw Terminating(
                    "MgGraphSessionNotFound",
                    "There is no Connect-MgGraph session to use: Microsoft.Graph.Authentication is not loaded, or Connect-MgGraph has not been run in this session.",
                    ErrorCategory.AuthenticationError,
                    null)).ConfigureAwait(false);
                return;
            }

            GraphCloud cloud = GraphCloud.Find(Environment)!;
            Uri endpoint = GraphEndpoint ?? cloud.GraphEndpoint;
            if (GraphClientOptions.Validate(endpoint) is { } problem)
            {
                throw Terminating("InvalidGraphEndpoint", problem, ErrorCategory.InvalidArgument, endpoint);
            }

            if (ParameterSetName == EnvironmentVariableSet && EnvironmentSignIn.Problem(TenantId) is { } missing)
            {
                throw Terminating("EnvironmentVariableMissing", missing, ErrorCategory.ObjectNotFound, null);
            }

            var options = new GraphClientOptions(endpoint) { ApiVersion = ApiVersion, UserAgent = Connections.UserAgent.Value, Retry = RetrySettings() };
            string? certificateFile = ParameterSetName == CertificatePathSet ? await pipeline.GetUnresolvedProviderPathAsync(CertificatePath).ConfigureAwait(false) : null;
            ITokenProvider provider = ParameterSetName == AccessTokenSet ? StaticProvider() : IdentityProvider(pipeline, cloud, endpoint, certificateFile);
            SignInKind kind = KindOf(ParameterSetName);

            var client = new GraphClient(options, provider);
            JwtClaims? claims;
            try
            {
                claims = await client.SignInAsync(new PipelineGraphLog(pipeline), cancellationToken).ConfigureAwait(false);
            }
            catch (SignInException ex)
            {
                throw new TerminatingErrorException(Errors.ErrorRecords.SignInFailed(
                    ex,
                    TenantId,
                    GraphScopes.IsDelegated(kind)
                        ? "Run Connect-IntuneVpp again and finish the sign-in in the browser before the code expires. If consent is refused, an administrator can grant admin consent to the app you sign in with, or use -ClientId with an app that already has the permission."
                        : "Check the tenant, the app's id and its secret or certificate, and that the app is granted DeviceManagementServiceConfig.ReadWrite.All."));
            }

            if (kind == SignInKind.AccessToken && claims?.ExpiresOn is { } expiresOn && expiresOn <= DateTimeOffset.UtcNow)
            {
                throw Terminating("AccessTokenExpired", $"The access token expired at {ErrorText.Iso(expiresOn)}; get a new one and connect again.", ErrorCategory.AuthenticationError, null);
            }

            var connection = new IntuneVppConnection(client, kind.ToString(), GraphEndpoint is null ? cloud.Name : "Custom")
            {
                TenantId = claims?.TenantId ?? TenantId,
                ClientId = claims?.ClientId ?? (kind == SignInKind.ClientSecret ? ClientSecretCredential.UserName : ClientId),
                Permissions = claims?.Permissions ?? Array.Empty<string>(),
                Account = claims?.UserName,
                IsDelegated = claims?.IsDelegated,
            };
            await FinishAsync(pipeline, connection).ConfigureAwait(false);
        }

        private async Task FinishAsync(AsyncPipeline pipeline, IntuneVppConnection connection)
        {
            await pipeline.WriteVerboseAsync($"Connected: {connection}" + (connection.TokenExpiresOn is { } expires ? $"; token valid until {ErrorText.Iso(expires)}." : ".")).ConfigureAwait(false);
            ConnectionRegistry.Set(pipeline.Runspace, connection);
            if (PassThru)
            {
                await pipeline.WriteObjectAsync(connection).ConfigureAwait(false);
            }
            else if (!NoWelcome)
            {
                // Write-Host's way: the host shows it, and -InformationAction or 6> can take it elsewhere.
                await pipeline.WriteHostAsync(Connections.Welcome.For(connection)).ConfigureAwait(false);
            }
        }

        private RetrySettings RetrySettings() => new()
        {
            MaxRetries = MaxRetries,
            MaxTotalWait = MaxRetryWait,
            NetworkTimeout = RequestTimeout,
            WriteLimit = WriteLimit,
            WriteWindow = WriteWindow,
        };

        private ITokenProvider StaticProvider()
        {
            try
            {
                return new StaticTokenProvider(AccessToken);
            }
            catch (ArgumentException ex)
            {
                throw Terminating("InvalidAccessToken", ex.Message, ErrorCategory.InvalidArgument, null);
            }
        }

        private ITokenProvider IdentityProvider(AsyncPipeline pipeline, GraphCloud cloud, Uri endpoint, string? certificateFile)
        {
            var signIn = new SignInOptions(KindOf(ParameterSetName), cloud)
            {
                TenantId = TenantId,
                ClientId = ParameterSetName == ClientSecretSet ? ClientSecretCredential.UserName : ClientId,
                ClientSecret = ParameterSetName == ClientSecretSet ? ClientSecretCredential.Password : null,
                Certificate = ParameterSetName switch
                {
                    ThumbprintSet => CertificateStores.FindByThumbprint(CertificateThumbprint) ?? throw Terminating(
                        "CertificateNotFound",
                        $"No certificate with thumbprint {CertificateThumbprint} and a private key is in the CurrentUser or LocalMachine My store.",
                        ErrorCategory.ObjectNotFound,
                        CertificateThumbprint),
                    CertificateSet => Certificate,
                    CertificatePathSet => LoadCertificateFile(certificateFile!),
                    _ => null,
                },
                // On the host as Write-Host would put it, so it shows whatever the preferences, goes into a transcript,
                // and can still be captured (6>&1). Entra ID's message names the page and the code; the device code
                // itself, the secret the client polls with, never reaches it.
                DeviceCodeCallback = (message, cancellationToken) => pipeline.WriteHostAsync(message),
            };

            try
            {
                // A -GraphEndpoint of one's own (a test server) gets tokens for itself, not for the cloud's Graph.
                signIn.Scopes = GraphScopes.For(signIn.Kind, GraphEndpoint is null ? cloud.GraphEndpoint : endpoint, Scopes);
            }
            catch (ArgumentException ex)
            {
                throw Terminating("InvalidScopes", ex.Message, ErrorCategory.InvalidArgument, Scopes);
            }

            if (AuthorityHost is not null)
            {
                if (AuthorityHost.Scheme != Uri.UriSchemeHttps)
                {
                    throw Terminating("InvalidAuthorityHost", $"'{AuthorityHost}' is not https: Entra ID authorities are reached over https only.", ErrorCategory.InvalidArgument, AuthorityHost);
                }

                signIn.AuthorityHost = AuthorityHost;
            }

            return new AzureIdentityTokenProvider(signIn);
        }

        private X509Certificate2 LoadCertificateFile(string path)
        {
            // Said here, as the loader's own words for these are an OpenSSL error code on Linux and macOS.
            if (Directory.Exists(path))
            {
                throw Terminating("CertificateFileIsFolder", $"'{path}' is a folder; -CertificatePath takes the .pfx file itself.", ErrorCategory.InvalidArgument, CertificatePath);
            }

            if (!File.Exists(path))
            {
                throw Terminating("CertificateFileNotFound", $"The certificate file '{path}' does not exist.", ErrorCategory.ObjectNotFound, CertificatePath);
            }

            try
            {
                var certificate = CertificatePassword is null
                    ? new X509Certificate2(path)
                    : new X509Certificate2(path, CertificatePassword);
                return certificate.HasPrivateKey
                    ? certificate
                    : throw Terminating("CertificateHasNoPrivateKey", $"The certificate in '{path}' has no private key; give a .pfx that holds it.", ErrorCategory.InvalidData, path);
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw Terminating("CertificateUnreadable", $"Cannot read the certificate in '{path}': {ex.Message}", ErrorCategory.ReadError, path);
            }
        }

        private static SignInKind KindOf(string parameterSet) => parameterSet switch
        {
            DeviceCodeSet => SignInKind.DeviceCode,
            ThumbprintSet or CertificateSet or CertificatePathSet => SignInKind.Certificate,
            ClientSecretSet => SignInKind.ClientSecret,
            IdentitySet => SignInKind.ManagedIdentity,
            EnvironmentVariableSet => SignInKind.EnvironmentVariable,
            AccessTokenSet => SignInKind.AccessToken,
            MgGraphSet => SignInKind.MgGraphSession,
            _ => SignInKind.Interactive,
        };


        private static TerminatingErrorException Terminating(string errorId, string message, ErrorCategory category, object? target) =>
            new(Errors.ErrorRecords.Of(errorId, category, message, target));
    }
}
