using System;
using System.Text;
using IntuneVpp.Client.Diagnostics;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>The credential fields of Entra ID's form-encoded token requests, found whatever their name's case.</summary>
    public sealed class FormSecretsTests
    {
        [Theory]
        [InlineData("client_secret")]
        [InlineData("client_assertion")]
        [InlineData("assertion")]
        [InlineData("refresh_token")]
        [InlineData("password")]
        [InlineData("device_code")]
        [InlineData("code")]
        [InlineData("code_verifier")]
        [InlineData("Client_Secret")]
        public void Every_credential_field_of_a_token_request_is_collected(string name)
        {
            Assert.Contains("SECRET-VALUE-1", Redaction.FormSecretValues($"grant_type=x&{name}=SECRET-VALUE-1&scope=y"));
        }

        [Theory]
        [InlineData("grant_type=client_credentials&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&client_id=app")]
        [InlineData("=SECRET-VALUE-1&client_secret")]
        [InlineData("")]
        public void Fields_that_carry_no_credential_or_have_no_name_give_nothing(string form)
        {
            Assert.Empty(Redaction.FormSecretValues(form));
        }

        [Fact]
        public void A_value_is_collected_both_decoded_and_as_sent()
        {
            Assert.Equal(new[] { "a+b/c=", "a%2Bb%2Fc%3D" }, Redaction.FormSecretValues("client_secret=a%2Bb%2Fc%3D"));
        }

        [Fact]
        public void Json_whose_text_cannot_be_decoded_is_not_shown()
        {
            // An escaped lone surrogate is valid JSON syntax but no UTF-16 text.
            byte[] body = Encoding.UTF8.GetBytes("{\"message\":\"\\uD800 SECRET\"}");

            Assert.Equal($"<{body.Length} bytes of JSON with undecodable text not shown>", Redaction.RedactJson(body));
        }

        [Fact]
        public void A_known_secret_used_as_a_property_name_is_masked_too()
        {
            var secrets = new SentSecrets();
            secrets.Add("SECRET-AS-A-NAME-42");

            string redacted = Redaction.RedactJson(Encoding.UTF8.GetBytes("{\"SECRET-AS-A-NAME-42\":1}"), secrets);

            Assert.DoesNotContain("SECRET-AS-A-NAME-42", redacted, StringComparison.Ordinal);
        }
    }
}
