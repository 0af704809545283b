using System;
using System.Text;
using System.Text.Json;
using IntuneVpp.Client.Diagnostics;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>Bodies shown in logs lose their secrets, wherever they sit; what cannot be checked is not shown.</summary>
    public sealed class RedactionTests
    {
        private static string Redact(string text) => Redaction.RedactJson(Encoding.UTF8.GetBytes(text));

        [Fact]
        public void Secret_values_are_masked_at_any_depth_and_everything_else_is_kept()
        {
            string redacted = Redact("""
                {"token":"VPP-SECRET-1","organizationName":"Org",
                 "inner":{"access_token":"AT-SECRET-2","list":[{"client_secret":"CS-SECRET-3","keep":1}]},
                 "Refresh_Token":"RT-SECRET-4","password":{"nested":"PW-SECRET-5"}}
                """);

            Assert.Equal(
                """{"token":"***","organizationName":"Org","inner":{"access_token":"***","list":[{"client_secret":"***","keep":1}]},"Refresh_Token":"***","password":"***"}""",
                JsonText.Canonical(redacted));
            Assert.DoesNotContain("SECRET", redacted, StringComparison.Ordinal);
        }

        [Fact]
        public void A_secret_name_written_with_escapes_is_still_masked()
        {
            string redacted = Redact("""{"\u0074oken":"VPP-SECRET"}""");

            Assert.DoesNotContain("VPP-SECRET", redacted, StringComparison.Ordinal);
        }

        [Fact]
        public void A_null_secret_stays_null()
        {
            using JsonDocument document = JsonDocument.Parse(Redact("""{"token":null}"""));

            Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("token").ValueKind);
        }

        [Theory]
        [InlineData("token=VPP-SECRET&x=1")]
        [InlineData("<html><body>VPP-SECRET</body></html>")]
        [InlineData("""{"token":"VPP-SECRET" """)]
        [InlineData("""{"token":"VPP-SECRET"} trailing""")]
        public void Text_that_is_not_json_is_not_echoed(string text)
        {
            string redacted = Redact(text);

            Assert.DoesNotContain("VPP-SECRET", redacted, StringComparison.Ordinal);
            Assert.Contains(Encoding.UTF8.GetByteCount(text).ToString(System.Globalization.CultureInfo.InvariantCulture), redacted, StringComparison.Ordinal);
        }

        [Fact]
        public void An_empty_body_gives_empty_text()
        {
            Assert.Equal(string.Empty, Redaction.RedactJson(ReadOnlySpan<byte>.Empty));
        }

        [Theory]
        [InlineData("token")]
        [InlineData("access_token")]
        [InlineData("refresh_token")]
        [InlineData("id_token")]
        [InlineData("client_secret")]
        [InlineData("client_assertion")]
        [InlineData("assertion")]
        [InlineData("password")]
        [InlineData("Client_Assertion")]
        public void Every_secret_name_is_masked_in_a_body_and_in_the_values_collected(string name)
        {
            string json = "{\"" + name + "\":\"SECRET-VALUE-1\",\"organizationName\":\"Org\"}";

            string redacted = Redact(json);

            Assert.True(Redaction.IsSecretProperty(name), $"'{name}' is not a secret name");
            Assert.Equal("{\"" + name + "\":\"***\",\"organizationName\":\"Org\"}", redacted);
            Assert.Equal(new[] { "SECRET-VALUE-1" }, Redaction.SecretValues(Encoding.UTF8.GetBytes(json)));
        }

        [Theory]
        [InlineData("organizationName")]
        [InlineData("tokens")]
        [InlineData("vppToken")]
        [InlineData("appleId")]
        public void Names_that_only_resemble_a_secret_are_kept(string name)
        {
            string json = "{\"" + name + "\":\"shown\"}";

            Assert.False(Redaction.IsSecretProperty(name));
            Assert.Equal(json, Redact(json));
            Assert.Empty(Redaction.SecretValues(Encoding.UTF8.GetBytes(json)));
        }

        [Fact]
        public void Secret_values_are_collected_at_any_depth_and_only_string_values_count()
        {
            byte[] json = Encoding.UTF8.GetBytes("""
                {"token":"TOP-1","inner":{"client_secret":"NESTED-2","list":[{"password":"IN-ARRAY-3"},["x",{"assertion":"DEEP-4"}]]},
                 "access_token":null,"refresh_token":5,"keep":"not-a-secret"}
                """);

            Assert.Equal(new[] { "TOP-1", "NESTED-2", "IN-ARRAY-3", "DEEP-4" }, Redaction.SecretValues(json));
        }

        [Fact]
        public void A_body_that_is_not_json_has_no_secret_values()
        {
            Assert.Empty(Redaction.SecretValues(Encoding.UTF8.GetBytes("token=abc")));
        }

        [Fact]
        public void Redacted_json_keeps_numbers_booleans_nulls_and_nested_arrays_as_they_were()
        {
            const string json = """{"a":[1,2.5,[true,false,null]],"b":{"c":"text","d":-3},"e":[]}""";

            Assert.Equal(json, Redact(json));
        }
    }
}
