using System;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Client.Authentication;
using IntuneVpp.Client.Graph;
using IntuneVpp.Client.Http;
using IntuneVpp.Connections;

namespace IntuneVpp.Commands.Connection
{
    /// <summary>Signs in to a tenant's Graph and makes the connection the session's current one.</summary>
    [Cmdlet(VerbsCommunications.Connect, "IntuneVpp", DefaultParameterSetName = AccessTokenSet)]
    [OutputType(typeof(IntuneVppConnection))]
    public sealed class ConnectIntuneVppCommand : AsyncPSCmdlet
    {
        private const string AccessTokenSet = "AccessToken";
        private static readonly Uri GlobalGraph = new("https://graph.microsoft.com");

        #region Parameters

        /// <summary>An access token for Graph obtained elsewhere. It is used as is and cannot be refreshed.</summary>
        [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
        [ValidateNotNull]
        public SecureString AccessToken { get; set; } = null!;

        /// <summary>The Graph service root, when it is not the cloud's own (http is allowed only on loopback).</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? GraphEndpoint { get; set; }

        /// <summary>The Graph API version: v1.0 (the default) or beta, which adds the beta-only properties and actions.</summary>
        [Parameter]
        [ValidateSet(GraphApiVersion.V1, GraphApiVersion.Beta)]
        public string ApiVersion { get; set; } = GraphApiVersion.V1;

        /// <summary>Retries of a throttled or failed request after the first try.</summary>
        [Parameter]
        [ValidateRange(0, 20)]
        public int MaxRetries { get; set; } = new RetrySettings().MaxRetries;

        /// <summary>The most time one request may spend waiting between tries, Retry-After waits included.</summary>
        [Parameter]
        public TimeSpan MaxRetryWait { get; set; } = new RetrySettings().MaxTotalWait;

        /// <summary>How long one try may take to answer before it counts as failed.</summary>
        [Parameter]
        public TimeSpan RequestTimeout { get; set; } = new RetrySettings().NetworkTimeout;

        /// <summary>Writes allowed per -WriteWindow before the module paces itself (Intune: 100 per 20 s per app). 0 turns pacing off.</summary>
        [Parameter]
        [ValidateRange(0, 100000)]
        public int WriteLimit { get; set; } = new RetrySettings().WriteLimit;

        /// <summary>The window -WriteLimit counts over.</summary>
        [Parameter]
        public TimeSpan WriteWindow { get; set; } = new RetrySettings().WriteWindow;

        /// <summary>Writes the connection object, for -Connection on other cmdlets.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        #endregion

        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            Uri endpoint = GraphEndpoint ?? GlobalGraph;
            if (GraphClientOptions.Validate(endpoint) is { } problem)
            {
                throw Terminating("InvalidGraphEndpoint", problem, ErrorCategory.InvalidArgument, endpoint);
            }

            if (MaxRetryWait < TimeSpan.Zero || RequestTimeout <= TimeSpan.Zero || WriteWindow <= TimeSpan.Zero)
            {
                throw Terminating("InvalidRetrySetting", "-MaxRetryWait must not be negative, and -RequestTimeout and -WriteWindow must be positive.", ErrorCategory.InvalidArgument, null);
            }

            var options = new GraphClientOptions(endpoint)
            {
                ApiVersion = ApiVersion,
                UserAgent = UserAgent,
                Retry = new RetrySettings
                {
                    MaxRetries = MaxRetries,
                    MaxTotalWait = MaxRetryWait,
                    NetworkTimeout = RequestTimeout,
                    WriteLimit = WriteLimit,
                    WriteWindow = WriteWindow,
                },
            };

            StaticTokenProvider provider;
            try
            {
                provider = new StaticTokenProvider(AccessToken);
            }
            catch (ArgumentException ex)
            {
                throw Terminating("InvalidAccessToken", ex.Message, ErrorCategory.InvalidArgument, null);
            }

            JwtClaims? claims = JwtClaims.TryRead(provider.Token.Token);
            if (claims?.ExpiresOn is { } expiresOn && expiresOn <= DateTimeOffset.UtcNow)
            {
                throw Terminating("AccessTokenExpired", $"The access token expired at {expiresOn:u}; get a new one and connect again.", ErrorCategory.AuthenticationError, null);
            }

            var client = new GraphClient(options, provider);
            await client.SignInAsync(Client.Diagnostics.NullGraphLog.Instance, cancellationToken).ConfigureAwait(false);
            var connection = new IntuneVppConnection(client, AccessTokenSet, GraphEndpoint is null ? "Global" : "Custom")
            {
                TenantId = claims?.TenantId,
                ClientId = claims?.ClientId,
                Permissions = claims?.Permissions ?? Array.Empty<string>(),
            };

            QueueVerbose($"Connected with an access token to {connection.GraphEndpoint} ({ApiVersion})" +
                         (connection.TenantId is null ? "." : $", tenant {connection.TenantId}."));
            await SetCurrentAsync(connection).ConfigureAwait(false);
            if (PassThru)
            {
                QueueObject(connection);
            }
        }

        private static string UserAgent => "VppToken/" + typeof(ConnectIntuneVppCommand).Assembly.GetName().Version;

        // The registry is keyed by the runspace, which only the pipeline thread knows.
        private Task SetCurrentAsync(IntuneVppConnection connection) =>
            OnPipelineThreadAsync(() => ConnectionRegistry.Current = connection);

        private static TerminatingErrorException Terminating(string errorId, string message, ErrorCategory category, object? target) =>
            new(new ErrorRecord(new ArgumentException(message), errorId, category, target));
    }
}
