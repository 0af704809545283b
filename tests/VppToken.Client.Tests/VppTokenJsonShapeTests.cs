using System;
using System.IO;
using System.Text.Json;
using IntuneVpp.Client.Graph;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>What a wrongly shaped vppToken is told as: the property, what it should be, and what it was.</summary>
    public sealed class VppTokenJsonShapeTests
    {
        private static VppToken Read(string json)
        {
            using JsonDocument document = JsonDocument.Parse(json);
            return VppTokenJson.Read(document.RootElement, "v1.0");
        }

        [Theory]
        [InlineData("""{"id":"a","organizationName":5}""", "'organizationName' should be a string, not a number")]
        [InlineData("""{"id":"a","appleId":[1]}""", "'appleId' should be a string, not an array")]
        [InlineData("""{"id":"a","state":{"v":1}}""", "'state' should be a string, not an object")]
        [InlineData("""{"id":"a","countryOrRegion":true}""", "'countryOrRegion' should be a string, not a boolean")]
        [InlineData("""{"id":"a","automaticallyUpdateApps":"yes"}""", "'automaticallyUpdateApps' should be true or false, not a string")]
        [InlineData("""{"id":"a","roleScopeTagIds":{"x":"0"}}""", "'roleScopeTagIds' should be an array of strings, not an object")]
        [InlineData("""{"id":"a","lastAppCount":"many"}""", "'lastAppCount' should be a whole number, not a string")]
        public void A_wrong_type_is_told_as_what_it_should_be_and_what_it_was(string json, string message)
        {
            Assert.Equal(message, Assert.Throws<InvalidDataException>(() => Read(json)).Message);
        }

        [Theory]
        [InlineData("null", "a vppToken should be a JSON object, not null")]
        [InlineData("[]", "a vppToken should be a JSON object, not an array")]
        [InlineData("\"x\"", "a vppToken should be a JSON object, not a string")]
        [InlineData("7", "a vppToken should be a JSON object, not a number")]
        public void Something_other_than_an_object_is_told_as_what_it_was(string json, string message)
        {
            Assert.Equal(message, Assert.Throws<InvalidDataException>(() => Read(json)).Message);
        }

        [Fact]
        public void A_null_app_count_reads_as_null_and_a_number_as_itself()
        {
            Assert.Null(Read("""{"id":"a","lastAppCount":null}""").LastAppCount);
            Assert.Equal(0, Read("""{"id":"a","lastAppCount":0}""").LastAppCount);
        }

        [Fact]
        public void Unknown_true_and_false_are_kept_as_booleans()
        {
            VppToken token = Read("""{"id":"a","on":true,"off":false}""");

            Assert.Equal(true, token.AdditionalProperties["on"]);
            Assert.Equal(false, token.AdditionalProperties["off"]);
        }
    }
}
