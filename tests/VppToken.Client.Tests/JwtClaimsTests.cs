using System;
using System.Text;
using IntuneVpp.Client.Authentication;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>The claims shown after sign-in, read from the token's payload; anything unreadable is null, never an error.</summary>
    public sealed class JwtClaimsTests
    {
        private static string Segment(string json) =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        private static string Jwt(string payloadJson) => Segment("""{"alg":"RS256","typ":"JWT"}""") + "." + Segment(payloadJson) + ".c2lnbmF0dXJl";

        [Fact]
        public void Tenant_app_expiry_and_application_roles_are_read()
        {
            JwtClaims? claims = JwtClaims.TryRead(Jwt("""
                {"tid":"72f988bf-86f1-41af-91ab-2d7cd011db47","appid":"1950a258-227b-4e31-a9cf-717495945fc2","exp":1767225600,
                 "roles":["DeviceManagementServiceConfig.ReadWrite.All","DeviceManagementApps.Read.All"]}
                """));

            Assert.NotNull(claims);
            Assert.Equal("72f988bf-86f1-41af-91ab-2d7cd011db47", claims.TenantId);
            Assert.Equal("1950a258-227b-4e31-a9cf-717495945fc2", claims.ClientId);
            Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), claims.ExpiresOn);
            Assert.Equal(new[] { "DeviceManagementServiceConfig.ReadWrite.All", "DeviceManagementApps.Read.All" }, claims.Permissions);
        }

        [Fact]
        public void Delegated_scopes_are_split_on_spaces()
        {
            JwtClaims? claims = JwtClaims.TryRead(Jwt("""{"tid":"t","azp":"app-from-azp","scp":"DeviceManagementServiceConfig.Read.All  User.Read"}"""));

            Assert.NotNull(claims);
            Assert.Equal("app-from-azp", claims.ClientId);
            Assert.Equal(new[] { "DeviceManagementServiceConfig.Read.All", "User.Read" }, claims.Permissions);
            Assert.Null(claims.ExpiresOn);
        }

        [Theory]
        [InlineData("""{"tid":"t","scp":"User.Read","upn":"admin@contoso.example","preferred_username":"other"}""", "admin@contoso.example", true)]
        [InlineData("""{"tid":"t","scp":"User.Read","preferred_username":"admin@contoso.example"}""", "admin@contoso.example", true)]
        [InlineData("""{"tid":"t","scp":"User.Read","unique_name":"live.com#admin@contoso.example"}""", "live.com#admin@contoso.example", true)]
        [InlineData("""{"tid":"t","roles":["DeviceManagementServiceConfig.Read.All"]}""", null, false)]
        public void The_user_of_a_delegated_token_is_read_and_an_apps_token_has_none(string payload, string? userName, bool delegated)
        {
            JwtClaims? claims = JwtClaims.TryRead(Jwt(payload));

            Assert.NotNull(claims);
            Assert.Equal(userName, claims.UserName);
            Assert.Equal(delegated, claims.IsDelegated);
        }

        [Fact]
        public void A_payload_needing_base64url_characters_is_decoded()
        {
            // "?>" and "~~" encode to '/', '+' in base64 and '_', '-' in base64url.
            JwtClaims? claims = JwtClaims.TryRead(Jwt("""{"tid":"??>>~~~","exp":1}"""));

            Assert.NotNull(claims);
            Assert.Equal("??>>~~~", claims.TenantId);
        }

        [Theory]
        [InlineData("opaque-access-token")]
        [InlineData("a.b")]
        [InlineData("a.b.c.d")]
        [InlineData("header.!!!not-base64!!!.sig")]
        [InlineData("header.YQ.sig")]
        [InlineData("header.Zm9vYmFy.sig")]
        public void A_token_that_is_not_a_readable_jwt_gives_null(string token)
        {
            Assert.Null(JwtClaims.TryRead(token));
        }

        [Fact]
        public void A_payload_that_is_json_but_not_an_object_gives_null()
        {
            Assert.Null(JwtClaims.TryRead(Jwt("[1,2]")));
        }

        [Fact]
        public void A_payload_with_invalid_utf8_in_a_claim_gives_null_instead_of_throwing()
        {
            byte[] payload = Encoding.UTF8.GetBytes("{\"tid\":\"X\"}");
            payload[8] = 0xFF; // the X: no UTF-8 text starts with 0xFF
            string token = "aGVhZGVy." + Convert.ToBase64String(payload).TrimEnd('=').Replace('+', '-').Replace('/', '_') + ".c2ln";

            Assert.Null(JwtClaims.TryRead(token));
        }
    }
}
