using System;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Client.Graph;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>
    /// Graph's messages quote the values they refuse, so a secret the request carried (the Apple token in the body,
    /// the access token in the header) can come back in an error message or an answer's body. Neither may reach the
    /// caller's error or the debug log.
    /// </summary>
    public sealed class SecretEchoTests
    {
        private const string VppSecret = "VPP-SECRET-ZWNob2VkIGJhY2s";

        private static string Echo(params string[] values) =>
            "{\"error\":{\"code\":\"BadRequest\",\"message\":\"Refused '" + string.Join("' and '", values) + "'.\"," +
            "\"details\":[{\"target\":\"" + values[0] + "\"}]}}";

        [Fact]
        public async Task A_graph_message_quoting_the_apple_token_sent_has_it_masked_in_the_error_and_the_log()
        {
            using var server = new TestServer(Reply.Json(400, Echo(VppSecret)));
            var log = new RecordingLog();
            var changes = new VppTokenChanges { Token = TestClient.Secure(VppSecret) };

            GraphException error = await Assert.ThrowsAsync<GraphException>(() =>
                TestClient.For(server).VppTokens.UpdateAsync(TestClient.TokenId, changes, log, CancellationToken.None));

            Assert.Contains(VppSecret, Assert.Single(server.Requests).BodyText, StringComparison.Ordinal);
            Assert.Equal("Refused '***'.", error.GraphMessage);
            Assert.DoesNotContain(VppSecret, error.Message, StringComparison.Ordinal);
            string responseLine = Assert.Single(log.Lines, l => l.StartsWith("DEBUG: Response body: ", StringComparison.Ordinal));
            Assert.Contains("Refused", responseLine, StringComparison.Ordinal);
            Assert.Contains("***", responseLine, StringComparison.Ordinal);
            Assert.DoesNotContain(VppSecret, log.All, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_secret_nested_in_the_request_body_is_masked_when_it_comes_back()
        {
            using var server = new TestServer(Reply.Json(400, Echo("NESTED-SECRET-7d1e")));
            GraphClient client = TestClient.For(server);
            byte[] body = """{"notifyManagedDevices":true,"inner":{"client_secret":"NESTED-SECRET-7d1e"}}"""u8.ToArray();

            GraphException error = await Assert.ThrowsAsync<GraphException>(() => client.SendAsync(
                Azure.Core.RequestMethod.Post, client.UriFor("deviceAppManagement/vppTokens"), body,
                isWrite: true, replayable: false, new RecordingLog(), CancellationToken.None));

            Assert.Equal("Refused '***'.", error.GraphMessage);
        }

        [Fact]
        public async Task A_graph_message_quoting_the_access_token_of_a_request_without_a_body_has_it_masked()
        {
            using var server = new TestServer(Reply.Json(401, Echo(TestClient.AccessToken)));
            var log = new RecordingLog();

            GraphException error = await Assert.ThrowsAsync<GraphException>(() =>
                TestClient.For(server).VppTokens.GetAsync(TestClient.TokenId, log, CancellationToken.None));

            Assert.Equal("Refused '***'.", error.GraphMessage);
            Assert.DoesNotContain(TestClient.AccessToken, error.ToString(), StringComparison.Ordinal);
            Assert.Contains(log.Lines, l => l.StartsWith("DEBUG: Response body: ", StringComparison.Ordinal) && l.Contains("***", StringComparison.Ordinal));
            Assert.DoesNotContain(TestClient.AccessToken, log.All, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Both_secrets_of_one_write_are_masked_together()
        {
            using var server = new TestServer(Reply.Json(403, Echo(VppSecret, TestClient.AccessToken)));
            var log = new RecordingLog();
            var changes = new VppTokenChanges { Token = TestClient.Secure(VppSecret) };

            GraphException error = await Assert.ThrowsAsync<GraphException>(() =>
                TestClient.For(server).VppTokens.UpdateAsync(TestClient.TokenId, changes, log, CancellationToken.None));

            Assert.Equal("Refused '***' and '***'.", error.GraphMessage);
            Assert.DoesNotContain(VppSecret, log.All, StringComparison.Ordinal);
            Assert.DoesNotContain(TestClient.AccessToken, log.All, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_successful_answer_echoing_the_access_token_outside_a_secret_property_is_masked_in_the_log()
        {
            string answer = TestClient.TokenJson().Replace("\"Apple Id value\"", "\"" + TestClient.AccessToken + "\"", StringComparison.Ordinal);
            using var server = new TestServer(Reply.Json(200, answer));
            var log = new RecordingLog();

            VppToken token = await TestClient.For(server).VppTokens.GetAsync(TestClient.TokenId, log, CancellationToken.None);

            Assert.Equal(TestClient.AccessToken, token.AppleId);
            Assert.Contains(log.Lines, l => l.StartsWith("DEBUG: Response body: ", StringComparison.Ordinal) && l.Contains("\"appleId\":\"***\"", StringComparison.Ordinal));
            Assert.DoesNotContain(TestClient.AccessToken, log.All, StringComparison.Ordinal);
        }

        [Fact]
        public async Task An_echoed_apple_token_with_characters_json_escapes_is_masked_in_the_log_too()
        {
            // Apple's tokens are base64, whose '+' a JSON writer escapes as \u002B: the mask must see through that.
            const string secret = "VPP+SECRET/with+plus==";
            using var server = new TestServer(Reply.Json(400, Echo(secret)));
            var log = new RecordingLog();
            var changes = new VppTokenChanges { Token = TestClient.Secure(secret) };

            GraphException error = await Assert.ThrowsAsync<GraphException>(() =>
                TestClient.For(server).VppTokens.UpdateAsync(TestClient.TokenId, changes, log, CancellationToken.None));

            Assert.DoesNotContain("SECRET", error.Message, StringComparison.Ordinal);
            string responseLine = Assert.Single(log.Lines, l => l.StartsWith("DEBUG: Response body: ", StringComparison.Ordinal));
            Assert.DoesNotContain("SECRET", responseLine, StringComparison.Ordinal);
            Assert.Contains("***", responseLine, StringComparison.Ordinal);
        }
    }
}
