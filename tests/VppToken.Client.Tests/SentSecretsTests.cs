using System;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Graph;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>
    /// A secret one request sent stays masked in whatever the connection writes afterwards, not only in the answer to
    /// that request: Graph quotes refused values, and can quote them in the answer to a later, unrelated request.
    /// </summary>
    public sealed class SentSecretsTests
    {
        // An Apple token file's content: base64 of {"token": inner, ...}. Holds '+' and '/', which JSON writers escape.
        private const string InnerToken = "Inner+Apple/Token=SECRET-0123456789";

        private static readonly string AppleToken = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            "{\"token\":\"" + InnerToken + "\",\"expDate\":\"2030-01-01T00:00:00-0700\",\"orgName\":\"Org\"}"));

        [Fact]
        public async Task An_apple_token_sent_once_is_masked_in_a_later_unrelated_error_and_debug_line()
        {
            string echo = $"Value '{AppleToken}' and '{InnerToken}' and the bearer {TestClient.AccessToken} are wrong.";
            using var server = new TestServer(request => request.Method == "PATCH"
                ? Reply.Empty(204)
                : Reply.Json(400, "{\"error\":{\"code\":\"BadRequest\",\"message\":" + System.Text.Json.JsonSerializer.Serialize(echo) + "}}"));
            GraphClient client = TestClient.For(server);
            var log = new RecordingLog();

            await client.VppTokens.UpdateAsync(TestClient.TokenId, new VppTokenChanges { Token = TestClient.Secure(AppleToken) }, log, CancellationToken.None);
            GraphException error = await Assert.ThrowsAsync<GraphException>(() => client.VppTokens.GetAsync(TestClient.TokenId, log, CancellationToken.None));

            Assert.Contains(AppleToken, server.Requests[0].BodyText, StringComparison.Ordinal);
            Assert.Contains("Value '***' and '***' and the bearer *** are wrong.", error.Message, StringComparison.Ordinal);
            string logged = log.All;
            Assert.Contains("Response body: ", logged, StringComparison.Ordinal);
            foreach (string secret in new[] { AppleToken, InnerToken, TestClient.AccessToken, JsonEscaped(AppleToken), JsonEscaped(InnerToken) })
            {
                Assert.DoesNotContain(secret, error.Message, StringComparison.Ordinal);
                Assert.DoesNotContain(secret, logged, StringComparison.Ordinal);
            }
        }

        [Fact]
        public async Task A_secret_quoted_in_a_success_answer_is_masked_in_the_debug_body()
        {
            using var server = new TestServer(
                Reply.Empty(204),
                Reply.Json(200, "{\"id\":\"" + TestClient.TokenId + "\",\"organizationName\":\"says " + InnerToken + "\"}"));
            GraphClient client = TestClient.For(server);
            var log = new RecordingLog();

            await client.VppTokens.UpdateAsync(TestClient.TokenId, new VppTokenChanges { Token = TestClient.Secure(AppleToken) }, log, CancellationToken.None);
            await client.VppTokens.GetAsync(TestClient.TokenId, log, CancellationToken.None);

            string body = Assert.Single(log.Lines, l => l.StartsWith("DEBUG: Response body: ", StringComparison.Ordinal));
            Assert.Contains("says ***", body, StringComparison.Ordinal);
            Assert.DoesNotContain("Inner", body, StringComparison.Ordinal);
        }

        [Fact]
        public void Secrets_are_masked_longest_first_and_short_values_are_left_alone()
        {
            var secrets = new SentSecrets();
            secrets.Add("abcdefgh-secret");
            secrets.Add("abcdefgh-secret-longer");
            secrets.Add("short");

            Assert.Equal("*** and *** and short", secrets.Mask("abcdefgh-secret-longer and abcdefgh-secret and short"));
            Assert.Equal(2, secrets.Count);
        }

        [Fact]
        public void A_secret_of_exactly_the_shortest_length_is_masked_and_one_shorter_is_not()
        {
            var secrets = new SentSecrets();
            secrets.Add("12345678");
            secrets.Add("abcdefg");

            Assert.Equal("*** abcdefg", secrets.Mask("12345678 abcdefg"));
            Assert.Equal(1, secrets.Count);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("        ")]
        [InlineData("\t\t\t\t\t\t\t\t")]
        public void No_value_and_a_blank_value_are_not_secrets(string? value)
        {
            // A blank "secret" would mask every run of spaces in every line written afterwards.
            var secrets = new SentSecrets();
            secrets.Add(value);

            Assert.Equal(0, secrets.Count);
            Assert.Equal("a        b", secrets.Mask("a        b"));
        }

        [Theory]
        [InlineData("        ")]
        [InlineData("short")]
        public void An_apple_token_whose_inner_token_is_blank_or_short_brings_only_itself(string inner)
        {
            string content = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"token\":\"" + inner + "\",\"orgName\":\"Org\"}"));
            var secrets = new SentSecrets();
            secrets.Add(content);

            Assert.Equal(1, secrets.Count);
            Assert.Equal($"*** and {inner}", secrets.Mask($"{content} and {inner}"));
        }

        [Fact]
        public void An_apple_token_added_alone_brings_its_inner_token_and_both_are_masked()
        {
            var secrets = new SentSecrets();
            secrets.Add(AppleToken);

            Assert.Equal(2, secrets.Count);
            Assert.Equal("file *** token ***", secrets.Mask($"file {AppleToken} token {InnerToken}"));
        }

        [Fact]
        public void An_apple_token_file_of_the_largest_size_is_opened_and_a_larger_one_is_not()
        {
            // Base64 of exactly 65,536 characters (a multiple of four) still brings its inner token; one block more does not.
            string largest = AppleContentOfLength(65536);
            string larger = AppleContentOfLength(65536 + 4);

            var atLimit = new SentSecrets();
            atLimit.Add(largest);
            var overLimit = new SentSecrets();
            overLimit.Add(larger);

            Assert.Equal(2, atLimit.Count);
            Assert.Equal("***", atLimit.Mask(InnerToken));
            Assert.Equal(1, overLimit.Count);
            Assert.Equal(InnerToken, overLimit.Mask(InnerToken));
        }

        // An Apple token file's content, padded in its JSON so that its base64 is exactly `length` characters long.
        private static string AppleContentOfLength(int length)
        {
            string head = "{\"token\":\"" + InnerToken + "\",\"pad\":\"";
            const string tail = "\"}";
            int bytes = length / 4 * 3;
            string content = Convert.ToBase64String(Encoding.UTF8.GetBytes(head + new string('p', bytes - head.Length - tail.Length) + tail));
            Assert.Equal(length, content.Length);
            return content;
        }

        [Fact]
        public void The_credential_fields_of_a_token_request_form_are_secrets()
        {
            var values = Redaction.FormSecretValues("grant_type=client_credentials&client_id=app&client_secret=s%7Eecret%2Bvalue&client_assertion=eyJ.a.b&scope=x");

            Assert.Contains("s~ecret+value", values);
            Assert.Contains("s%7Eecret%2Bvalue", values);
            Assert.Contains("eyJ.a.b", values);
            Assert.DoesNotContain("app", values);
            Assert.DoesNotContain("client_credentials", values);
        }

        private static string JsonEscaped(string value) =>
            System.Text.Json.JsonSerializer.Serialize(value).Trim('"');
    }
}
