using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Security;
using System.Text.Json;
using IntuneVpp.Client.Graph;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>Reading a vppToken object as Graph sends it, including what this version does not know.</summary>
    public sealed class VppTokenJsonReadTests
    {
        private static VppToken Read(string json, string apiVersion = "v1.0")
        {
            using JsonDocument document = JsonDocument.Parse(json);
            return VppTokenJson.Read(document.RootElement, apiVersion);
        }

        private static string Plain(SecureString secure)
        {
            IntPtr pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
            try
            {
                return Marshal.PtrToStringUni(pointer)!;
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }

        [Fact]
        public void Every_documented_property_of_the_example_answer_is_read()
        {
            VppToken token = Read(TestClient.TokenJson());

            Assert.Equal("9ceb2f92-2f92-9ceb-922f-eb9c922feb9c", token.Id);
            Assert.Equal("Organization Name value", token.OrganizationName);
            Assert.Equal("education", token.VppTokenAccountType);
            Assert.Equal("Apple Id value", token.AppleId);
            Assert.Equal(new DateTimeOffset(2016, 12, 31, 23, 57, 57, TimeSpan.FromHours(-8)).AddTicks(2481234), token.ExpirationDateTime);
            Assert.Equal(TimeSpan.FromHours(-8), token.ExpirationDateTime!.Value.Offset);
            Assert.Equal(new DateTimeOffset(2017, 1, 1, 0, 2, 49, TimeSpan.FromHours(-8)).AddTicks(3205976), token.LastSyncDateTime);
            Assert.Equal(new DateTimeOffset(2017, 1, 1, 0, 0, 35, TimeSpan.FromHours(-8)).AddTicks(1329464), token.LastModifiedDateTime);
            Assert.Equal("valid", token.State);
            Assert.Equal("inProgress", token.LastSyncStatus);
            Assert.True(token.AutomaticallyUpdateApps);
            Assert.Equal("Country Or Region value", token.CountryOrRegion);
            Assert.Equal("v1.0", token.ApiVersion);
            Assert.Empty(token.AdditionalProperties);
        }

        [Fact]
        public void The_token_becomes_a_secure_string_with_the_same_text()
        {
            VppToken token = Read(TestClient.TokenJson());

            Assert.IsType<SecureString>(token.Token);
            Assert.Equal("Token value", Plain(token.Token!));
        }

        [Fact]
        public void Beta_properties_are_read()
        {
            VppToken token = Read("""
                {"id":"a","displayName":"Schools","locationName":"Berlin","dataSharingConsentGranted":true,
                 "claimTokenManagementFromExternalMdm":false,"roleScopeTagIds":["0","12"],"lastAppCount":42}
                """, "beta");

            Assert.Equal("Schools", token.DisplayName);
            Assert.Equal("Berlin", token.LocationName);
            Assert.True(token.DataSharingConsentGranted);
            Assert.False(token.ClaimTokenManagementFromExternalMdm);
            Assert.Equal(new[] { "0", "12" }, token.RoleScopeTagIds);
            Assert.Equal(42, token.LastAppCount);
            Assert.Equal("beta", token.ApiVersion);
        }

        [Fact]
        public void An_unknown_enum_value_is_kept_as_its_string()
        {
            VppToken token = Read("""{"id":"a","state":"duplicateLocationId","lastSyncStatus":"somethingNew","vppTokenAccountType":"enterprise"}""");

            Assert.Equal("duplicateLocationId", token.State);
            Assert.Equal("somethingNew", token.LastSyncStatus);
            Assert.Equal("enterprise", token.VppTokenAccountType);
        }

        [Fact]
        public void Unknown_properties_land_in_additional_properties_nested_values_included()
        {
            VppToken token = Read("""
                {"id":"a","appleDeviceAppDeliveryProtocolType":"default","lastCount":3,"ratio":0.5,"flag":false,"nothing":null,
                 "tokenActionResults":[{"actionName":"sync","actionState":"done","codes":[1,2]}],
                 "owner":{"name":"IT","site":{"city":"Oslo"}}}
                """);

            Dictionary<string, object?> extra = new(token.AdditionalProperties);
            Assert.Equal("default", extra["appleDeviceAppDeliveryProtocolType"]);
            Assert.Equal(3L, Assert.IsType<long>(extra["lastCount"]));
            Assert.Equal(0.5, extra["ratio"]);
            Assert.Equal(false, extra["flag"]);
            Assert.True(extra.ContainsKey("nothing"));
            Assert.Null(extra["nothing"]);

            object?[] results = Assert.IsType<object?[]>(extra["tokenActionResults"]);
            var result = Assert.IsType<Dictionary<string, object?>>(Assert.Single(results));
            Assert.Equal("sync", result["actionName"]);
            Assert.Equal(new object?[] { 1L, 2L }, Assert.IsType<object?[]>(result["codes"]));

            var owner = Assert.IsType<Dictionary<string, object?>>(extra["owner"]);
            Assert.Equal("Oslo", Assert.IsType<Dictionary<string, object?>>(owner["site"])["city"]);
            Assert.False(extra.ContainsKey("id"));
        }

        [Fact]
        public void A_large_whole_number_among_unknown_properties_keeps_every_digit()
        {
            VppToken token = Read("""{"id":"a","tenantSerial":9007199254740993}""");

            Assert.Equal(9007199254740993L, token.AdditionalProperties["tenantSerial"]);
        }

        [Fact]
        public void OData_annotations_are_not_kept_as_properties()
        {
            VppToken token = Read("""{"@odata.context":"x","@odata.type":"#microsoft.graph.vppToken","id":"a"}""");

            Assert.Empty(token.AdditionalProperties);
        }

        [Fact]
        public void Null_values_of_known_properties_read_as_null()
        {
            VppToken token = Read("""{"id":"a","token":null,"expirationDateTime":null,"automaticallyUpdateApps":null,"roleScopeTagIds":null}""");

            Assert.Null(token.Token);
            Assert.Null(token.ExpirationDateTime);
            Assert.Null(token.AutomaticallyUpdateApps);
            Assert.Null(token.RoleScopeTagIds);
        }

        [Theory]
        [InlineData("""{"id":"a","organizationName":5}""", "organizationName")]
        [InlineData("""{"id":"a","automaticallyUpdateApps":"yes"}""", "automaticallyUpdateApps")]
        [InlineData("""{"id":"a","expirationDateTime":"next tuesday"}""", "expirationDateTime")]
        [InlineData("""{"id":"a","expirationDateTime":20161231}""", "expirationDateTime")]
        [InlineData("""{"id":"a","roleScopeTagIds":["0",1]}""", "roleScopeTagIds")]
        [InlineData("""{"id":"a","lastAppCount":"many"}""", "lastAppCount")]
        [InlineData("""{"id":"a","lastAppCount":1.5}""", "lastAppCount")]
        [InlineData("""{"id":"a","token":{"value":"x"}}""", "token")]
        [InlineData("""{"id":42}""", "id")]
        public void A_wrong_type_throws_invalid_data_naming_the_property(string json, string property)
        {
            var error = Assert.Throws<InvalidDataException>(() => Read(json));

            Assert.Contains(property, error.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("""{"organizationName":"x"}""")]
        [InlineData("""{"id":""}""")]
        [InlineData("""{"id":null}""")]
        public void A_missing_or_empty_id_throws_invalid_data_naming_the_id(string json)
        {
            var error = Assert.Throws<InvalidDataException>(() => Read(json));

            Assert.Contains("id", error.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("[]")]
        [InlineData("\"9ceb2f92-2f92-9ceb-922f-eb9c922feb9c\"")]
        [InlineData("null")]
        public void Something_other_than_an_object_throws_invalid_data(string json)
        {
            var error = Assert.Throws<InvalidDataException>(() => Read(json));

            Assert.Contains("object", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void A_wrong_token_value_is_not_echoed_in_the_error()
        {
            var error = Assert.Throws<InvalidDataException>(() => Read("""{"id":"a","token":["SECRET-APPLE-TOKEN"]}"""));

            Assert.DoesNotContain("SECRET-APPLE-TOKEN", error.Message, StringComparison.Ordinal);
        }
    }
}
