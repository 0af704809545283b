using System;
using IntuneVpp.Client.Authentication;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>
    /// What each sign-in asks Entra ID for: an app its Graph host's .default, a user named delegated permissions on
    /// that same host (so a first sign-in gets a consent prompt instead of a token without the permission).
    /// </summary>
    public sealed class GraphScopesTests
    {
        public static TheoryData<string, string> Clouds => new()
        {
            { "Global", "https://graph.microsoft.com" },
            { "USGov", "https://graph.microsoft.us" },
            { "USGovDoD", "https://dod-graph.microsoft.us" },
            { "China", "https://microsoftgraph.chinacloudapi.cn" },
        };

        [Theory]
        [MemberData(nameof(Clouds))]
        public void A_user_sign_in_asks_for_DeviceManagementServiceConfig_ReadWrite_All_on_its_cloud_Graph_host(string cloud, string graph)
        {
            foreach (SignInKind kind in new[] { SignInKind.Interactive, SignInKind.DeviceCode })
            {
                var signIn = new SignInOptions(kind, GraphCloud.Find(cloud)!);

                Assert.Equal(new[] { graph + "/DeviceManagementServiceConfig.ReadWrite.All" }, signIn.Scopes);
            }
        }

        [Theory]
        [InlineData(SignInKind.ClientSecret)]
        [InlineData(SignInKind.Certificate)]
        [InlineData(SignInKind.ManagedIdentity)]
        [InlineData(SignInKind.EnvironmentVariable)]
        public void An_app_sign_in_asks_for_default_even_when_permissions_are_named(SignInKind kind)
        {
            Assert.Equal(
                new[] { "https://graph.microsoft.us/.default" },
                GraphScopes.For(kind, new Uri("https://graph.microsoft.us/v1.0/"), new[] { "DeviceManagementServiceConfig.ReadWrite.All" }));
        }

        [Fact]
        public void Named_permissions_go_on_the_connection_host_while_openid_and_qualified_ones_stay_as_given()
        {
            var scopes = GraphScopes.For(SignInKind.DeviceCode, new Uri("http://127.0.0.1:5000/"), new[]
            {
                " DeviceManagementServiceConfig.Read.All ", "offline_access", "https://graph.microsoft.com/User.Read",
                "api://6b7d3a1c/Access", "deviceManagementServiceConfig.read.all",
            });

            Assert.Equal(
                new[] { "http://127.0.0.1:5000/DeviceManagementServiceConfig.Read.All", "offline_access", "https://graph.microsoft.com/User.Read", "api://6b7d3a1c/Access" },
                scopes);
        }

        [Fact]
        public void Default_alone_is_allowed_for_a_user_who_wants_what_was_consented_before()
        {
            Assert.Equal(new[] { "https://graph.microsoft.com/.default" }, GraphScopes.For(SignInKind.Interactive, GraphCloud.Global.GraphEndpoint, new[] { ".default" }));
        }

        [Theory]
        [InlineData(".default", "DeviceManagementServiceConfig.ReadWrite.All")]
        [InlineData("")]
        [InlineData("DeviceManagementServiceConfig.ReadWrite.All User.Read")]
        public void Scopes_that_cannot_be_asked_for_together_are_refused_before_any_request(params string[] scopes)
        {
            Assert.Throws<ArgumentException>(() => GraphScopes.For(SignInKind.DeviceCode, GraphCloud.Global.GraphEndpoint, scopes));
        }
    }
}
