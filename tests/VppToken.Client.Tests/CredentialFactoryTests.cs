using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Identity;
using IntuneVpp.Client.Authentication;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>
    /// The Azure.Identity credential each sign-in gets, and its options. Browser and device code sign-ins need a person
    /// and a real cloud, so they are checked here, through the options, rather than end to end.
    /// </summary>
    public sealed class CredentialFactoryTests
    {
        private const string TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
        private const string AppId = "5e0c1a2b-3d4e-4f50-8a6b-7c8d9e0f1a2b";

        public static TheoryData<string, string, string> Clouds => new()
        {
            { "Global", "https://login.microsoftonline.com/", "https://graph.microsoft.com/.default" },
            { "USGov", "https://login.microsoftonline.us/", "https://graph.microsoft.us/.default" },
            { "USGovDoD", "https://login.microsoftonline.us/", "https://dod-graph.microsoft.us/.default" },
            { "China", "https://login.chinacloudapi.cn/", "https://microsoftgraph.chinacloudapi.cn/.default" },
        };

        public static TheoryData<SignInKind> AppKinds => new()
        {
            SignInKind.Interactive,
            SignInKind.DeviceCode,
            SignInKind.ClientSecret,
            SignInKind.Certificate,
            SignInKind.EnvironmentVariable,
        };

        private static SignInOptions SignIn(SignInKind kind, string cloud = "Global", string? clientId = null) =>
            new(kind, GraphCloud.Find(cloud)!) { TenantId = TenantId, ClientId = clientId };

        [Theory]
        [MemberData(nameof(Clouds))]
        public void Each_cloud_asks_for_its_own_Graph_host_default_scope(string cloud, string authority, string scope)
        {
            SignInOptions signIn = SignIn(SignInKind.ClientSecret, cloud);

            Assert.Equal(new[] { scope }, signIn.Scopes);
            Assert.Equal(scope, GraphCloud.Find(cloud)!.DefaultScope);
            Assert.Equal(new Uri(authority), signIn.AuthorityHost);
            Assert.False(signIn.IsCustomAuthority);
        }

        [Theory]
        [MemberData(nameof(Clouds))]
        public void Interactive_sign_in_uses_the_cloud_authority_the_tenant_and_the_Graph_command_line_tools_app(string cloud, string authority, string scope)
        {
            _ = scope;
            var options = Assert.IsType<InteractiveBrowserCredentialOptions>(CredentialFactory.OptionsFor(SignIn(SignInKind.Interactive, cloud)));

            Assert.Equal(TenantId, options.TenantId);
            Assert.Equal("14d82eec-204b-4c2f-b7e8-296a70dab67e", options.ClientId);
            Assert.Equal(CredentialFactory.DefaultPublicClientId, options.ClientId);
            Assert.Equal(new Uri(authority), options.AuthorityHost);
            Assert.False(options.DisableInstanceDiscovery);
            Assert.Null(options.TokenCachePersistenceOptions);
            Assert.Null(options.AuthenticationRecord);
        }

        [Theory]
        [MemberData(nameof(Clouds))]
        public void Device_code_sign_in_uses_the_cloud_authority_and_the_given_app(string cloud, string authority, string scope)
        {
            _ = scope;
            var options = Assert.IsType<DeviceCodeCredentialOptions>(CredentialFactory.OptionsFor(SignIn(SignInKind.DeviceCode, cloud, AppId)));

            Assert.Equal(TenantId, options.TenantId);
            Assert.Equal(AppId, options.ClientId);
            Assert.Equal(new Uri(authority), options.AuthorityHost);
            Assert.False(options.DisableInstanceDiscovery);
            Assert.Null(options.TokenCachePersistenceOptions);
        }

        [Fact]
        public void Device_code_sign_in_defaults_to_the_Graph_command_line_tools_app()
        {
            var options = Assert.IsType<DeviceCodeCredentialOptions>(CredentialFactory.OptionsFor(SignIn(SignInKind.DeviceCode)));

            Assert.Equal("14d82eec-204b-4c2f-b7e8-296a70dab67e", options.ClientId);
        }

        [Fact]
        public async Task Device_code_message_reaches_the_sign_in_callback()
        {
            string? shown = null;
            using var cancellation = new CancellationTokenSource();
            CancellationToken seen = default;
            SignInOptions signIn = SignIn(SignInKind.DeviceCode);
            signIn.DeviceCodeCallback = (message, cancellationToken) =>
            {
                shown = message;
                seen = cancellationToken;
                return Task.CompletedTask;
            };
            var options = Assert.IsType<DeviceCodeCredentialOptions>(CredentialFactory.OptionsFor(signIn));
            const string Message = "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ABCD1234 to authenticate.";
            DeviceCodeInfo info = IdentityModelFactory.DeviceCodeInfo(
                "ABCD1234", "device-code", new Uri("https://microsoft.com/devicelogin"), DateTimeOffset.UtcNow.AddMinutes(15), Message,
                CredentialFactory.DefaultPublicClientId, new[] { "https://graph.microsoft.com/.default" });

            await options.DeviceCodeCallback(info, cancellation.Token);

            Assert.Equal(Message, shown);
            Assert.Equal(cancellation.Token, seen);
        }

        [Theory]
        [MemberData(nameof(AppKinds))]
        public void A_custom_authority_is_used_as_given_and_skips_instance_discovery(SignInKind kind)
        {
            SignInOptions signIn = SignIn(kind, clientId: AppId);
            signIn.AuthorityHost = new Uri("https://127.0.0.1:8443");

            TokenCredentialOptions options = CredentialFactory.OptionsFor(signIn);

            Assert.True(signIn.IsCustomAuthority);
            Assert.Equal(new Uri("https://127.0.0.1:8443"), options.AuthorityHost);
            Assert.True(DisablesInstanceDiscovery(options), $"{kind} must not ask the real cloud for instance metadata");
        }

        [Theory]
        [MemberData(nameof(AppKinds))]
        public void A_cloud_authority_keeps_instance_discovery(SignInKind kind)
        {
            TokenCredentialOptions options = CredentialFactory.OptionsFor(SignIn(kind, "USGov", AppId));

            Assert.Equal(new Uri("https://login.microsoftonline.us/"), options.AuthorityHost);
            Assert.False(DisablesInstanceDiscovery(options));
        }

        [Theory]
        [InlineData(SignInKind.Interactive)]
        [InlineData(SignInKind.DeviceCode)]
        [InlineData(SignInKind.ClientSecret)]
        [InlineData(SignInKind.Certificate)]
        [InlineData(SignInKind.EnvironmentVariable)]
        [InlineData(SignInKind.ManagedIdentity)]
        public void Azure_SDK_logging_telemetry_and_tracing_are_off(SignInKind kind)
        {
            TokenCredentialOptions options = CredentialFactory.OptionsFor(SignIn(kind, clientId: AppId));

            Assert.False(options.Diagnostics.IsLoggingEnabled);
            Assert.False(options.Diagnostics.IsAccountIdentifierLoggingEnabled);
            Assert.False(options.Diagnostics.IsTelemetryEnabled);
            Assert.False(options.Diagnostics.IsDistributedTracingEnabled);
            Assert.False(options.Diagnostics.IsLoggingContentEnabled);
        }

        [Fact]
        public void No_sign_in_asks_for_a_persistent_token_cache()
        {
            Assert.Null(Assert.IsType<InteractiveBrowserCredentialOptions>(CredentialFactory.OptionsFor(SignIn(SignInKind.Interactive))).TokenCachePersistenceOptions);
            Assert.Null(Assert.IsType<DeviceCodeCredentialOptions>(CredentialFactory.OptionsFor(SignIn(SignInKind.DeviceCode))).TokenCachePersistenceOptions);
            Assert.Null(Assert.IsType<ClientSecretCredentialOptions>(CredentialFactory.OptionsFor(SignIn(SignInKind.ClientSecret, clientId: AppId))).TokenCachePersistenceOptions);
            Assert.Null(Assert.IsType<ClientCertificateCredentialOptions>(CredentialFactory.OptionsFor(SignIn(SignInKind.Certificate, clientId: AppId))).TokenCachePersistenceOptions);
        }

        [Fact]
        public void Each_sign_in_gets_its_own_kind_of_credential()
        {
            using X509Certificate2 certificate = SelfSignedCertificate();
            SignInOptions secret = SignIn(SignInKind.ClientSecret, clientId: AppId);
            secret.ClientSecret = Secure("app-secret");
            SignInOptions withCertificate = SignIn(SignInKind.Certificate, clientId: AppId);
            withCertificate.Certificate = certificate;

            Assert.IsType<InteractiveBrowserCredential>(CredentialFactory.Create(SignIn(SignInKind.Interactive)));
            Assert.IsType<DeviceCodeCredential>(CredentialFactory.Create(SignIn(SignInKind.DeviceCode)));
            Assert.IsType<ClientSecretCredential>(CredentialFactory.Create(secret));
            Assert.IsType<ClientCertificateCredential>(CredentialFactory.Create(withCertificate));
            Assert.IsType<ManagedIdentityCredential>(CredentialFactory.Create(SignIn(SignInKind.ManagedIdentity)));
            Assert.IsType<ManagedIdentityCredential>(CredentialFactory.Create(SignIn(SignInKind.ManagedIdentity, clientId: AppId)));
        }

        [Fact]
        public void Access_token_and_Connect_MgGraph_sign_ins_do_not_use_Azure_Identity()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => CredentialFactory.OptionsFor(SignIn(SignInKind.AccessToken)));
            Assert.Throws<ArgumentOutOfRangeException>(() => CredentialFactory.Create(SignIn(SignInKind.MgGraphSession)));
        }

        [Theory]
        [InlineData(null, AppId, "tenant")]
        [InlineData(TenantId, null, "client id")]
        [InlineData(" ", AppId, "tenant")]
        public void An_app_sign_in_without_a_tenant_or_app_id_is_refused_before_any_request(string? tenantId, string? clientId, string missing)
        {
            var signIn = new SignInOptions(SignInKind.ClientSecret, GraphCloud.Global) { TenantId = tenantId, ClientId = clientId, ClientSecret = Secure("app-secret") };

            ArgumentException refused = Assert.Throws<ArgumentException>(() => CredentialFactory.Create(signIn));

            Assert.Contains(missing, refused.Message, StringComparison.Ordinal);
        }

        private static bool DisablesInstanceDiscovery(TokenCredentialOptions options) => options switch
        {
            InteractiveBrowserCredentialOptions o => o.DisableInstanceDiscovery,
            DeviceCodeCredentialOptions o => o.DisableInstanceDiscovery,
            ClientSecretCredentialOptions o => o.DisableInstanceDiscovery,
            ClientCertificateCredentialOptions o => o.DisableInstanceDiscovery,
            EnvironmentCredentialOptions o => o.DisableInstanceDiscovery,
            _ => throw new ArgumentException($"Unexpected options type {options.GetType().Name}.", nameof(options)),
        };

        private static System.Security.SecureString Secure(string value)
        {
            var secure = new System.Security.SecureString();
            foreach (char c in value)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }

        private static X509Certificate2 SelfSignedCertificate()
        {
            using RSA rsa = RSA.Create(2048);
            var request = new CertificateRequest("CN=VppToken credential factory test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        }
    }
}
