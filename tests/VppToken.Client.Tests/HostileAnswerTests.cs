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
    /// Answers a broken or hostile server sends: bytes that are not UTF-8, a token too long to hold, an answer about
    /// another token, megabytes of text. Each ends as one GraphException the caller can report for that item, never as
    /// another exception that would stop a pipeline; and where a change was made all the same, the error says so.
    /// </summary>
    public sealed class HostileAnswerTests
    {
        private const string OtherId = "11111111-2222-4333-8444-555555555555";

        // '{"id":"<id>","organizationName":"' + 0xFF 0xFE + '"}': well-formed JSON around bytes no UTF-8 text holds.
        private static byte[] InvalidUtf8Token(string id = TestClient.TokenId) =>
            Encoding.UTF8.GetBytes("{\"id\":\"" + id + "\",\"organizationName\":\"").Concat(new byte[] { 0xFF, 0xFE }).Concat("\"}"u8.ToArray()).ToArray();

        private static Reply Raw(int status, byte[] body) => new(status, new[] { ("Content-Type", "application/json") }, body);

        private static readonly VppTokenChanges Changes = new() { CountryOrRegion = "gb" };

        public static TheoryData<string> Operations => new() { "get", "patch", "patch-and-get", "sync", "create", "list" };

        private static Task Run(GraphClient client, string operation) => operation switch
        {
            "get" => client.VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None),
            "patch" => client.VppTokens.UpdateAsync(TestClient.TokenId, Changes, NullGraphLog.Instance, CancellationToken.None),
            "patch-and-get" => client.VppTokens.UpdateAndGetAsync(TestClient.TokenId, Changes, NullGraphLog.Instance, CancellationToken.None),
            "sync" => client.VppTokens.SyncLicensesAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None),
            "create" => client.VppTokens.CreateAsync(new VppTokenChanges { Token = TestClient.Secure("bmV3LXRva2Vu") }, NullGraphLog.Instance, CancellationToken.None),
            _ => client.VppTokens.ListAsync(null, NullGraphLog.Instance, CancellationToken.None),
        };

        [Theory]
        [MemberData(nameof(Operations))]
        public async Task Invalid_utf8_in_a_success_answer_is_one_invalid_response(string operation)
        {
            byte[] body = operation == "list"
                ? "{\"value\":["u8.ToArray().Concat(InvalidUtf8Token()).Concat("]}"u8.ToArray()).ToArray()
                : InvalidUtf8Token();
            using var server = new TestServer(Raw(operation == "create" ? 201 : 200, body));
            GraphClient client = TestClient.For(server);

            GraphException error = await Assert.ThrowsAsync<GraphException>(() => Run(client, operation));

            Assert.Equal(GraphErrorKind.InvalidResponse, error.Kind);
            Assert.Contains("not valid UTF-8", error.Message, StringComparison.Ordinal);
            Assert.Null(error.InnerException);
            Assert.Single(server.Requests);
            // A create, a PATCH or a sync that Graph answered with success took effect: the error says so.
            Assert.Equal(operation is "patch" or "patch-and-get" or "sync" or "create", error.ChangeApplied);
        }

        [Theory]
        [InlineData(400)]
        [InlineData(404)]
        [InlineData(418)]
        [InlineData(500)]
        [InlineData(502)]
        public async Task Invalid_utf8_in_an_error_answer_is_one_invalid_response_that_keeps_the_status(int status)
        {
            byte[] body = "{\"error\":{\"code\":\"BadRequest\",\"message\":\"bad "u8.ToArray().Concat(new byte[] { 0xC3, 0x28 }).Concat("\"}}"u8.ToArray()).ToArray();
            using var server = new TestServer(Raw(status, body));
            GraphClient client = TestClient.For(server);
            var log = new RecordingLog();

            GraphException error = await Assert.ThrowsAsync<GraphException>(
                () => client.VppTokens.GetAsync(TestClient.TokenId, log, CancellationToken.None));

            Assert.Equal(GraphErrorKind.InvalidResponse, error.Kind);
            Assert.Equal(status, error.StatusCode);
            Assert.Contains($"Graph answered {status}", error.Message, StringComparison.Ordinal);
            Assert.Contains("not valid UTF-8", error.Message, StringComparison.Ordinal);
            // The debug stream shows no undecodable bytes either, only that there were some.
            Assert.Contains(log.Lines, line => line.StartsWith("DEBUG: Response body: <", StringComparison.Ordinal) && line.Contains("not valid UTF-8", StringComparison.Ordinal));
        }

        [Fact]
        public async Task An_escaped_lone_surrogate_is_one_invalid_response_in_an_answer_and_in_an_error()
        {
            using var ok = new TestServer(Reply.Json(200, "{\"id\":\"" + TestClient.TokenId + "\",\"organizationName\":\"\\uD800\"}"));
            using var failed = new TestServer(Reply.Json(400, "{\"error\":{\"code\":\"x\",\"message\":\"\\uDC00 bad\"}}"));

            GraphException fromAnswer = await Assert.ThrowsAsync<GraphException>(
                () => TestClient.For(ok).VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None));
            GraphException fromError = await Assert.ThrowsAsync<GraphException>(
                () => TestClient.For(failed).VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None));

            Assert.Equal(GraphErrorKind.InvalidResponse, fromAnswer.Kind);
            Assert.Equal(GraphErrorKind.InvalidResponse, fromError.Kind);
            Assert.Equal(400, fromError.StatusCode);
        }

        [Fact]
        public async Task A_token_value_too_long_for_a_secure_string_is_dropped_with_a_warning_and_the_rest_kept()
        {
            string huge = new('A', 1024 * 1024);
            using var server = new TestServer(Reply.Json(200, "{\"id\":\"" + TestClient.TokenId + "\",\"organizationName\":\"Big Org\",\"token\":\"" + huge + "\"}"));
            GraphClient client = TestClient.For(server);
            var log = new RecordingLog();

            VppToken token = await client.VppTokens.GetAsync(TestClient.TokenId, log, CancellationToken.None);

            Assert.Equal("Big Org", token.OrganizationName);
            Assert.Null(token.Token);
            string warning = Assert.Single(log.Lines, line => line.StartsWith("WARNING: ", StringComparison.Ordinal));
            Assert.Contains("1,048,576 characters", warning, StringComparison.Ordinal);
            Assert.Contains(TestClient.TokenId, warning, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_token_of_exactly_65536_characters_is_kept()
        {
            string largest = new('B', 65536);
            using var server = new TestServer(Reply.Json(200, "{\"id\":\"" + TestClient.TokenId + "\",\"token\":\"" + largest + "\"}"));
            var log = new RecordingLog();

            VppToken token = await TestClient.For(server).VppTokens.GetAsync(TestClient.TokenId, log, CancellationToken.None);

            Assert.Equal(65536, token.Token?.Length);
            Assert.DoesNotContain(log.Lines, line => line.StartsWith("WARNING: ", StringComparison.Ordinal));
        }

        [Fact]
        public async Task A_list_with_one_oversized_token_lists_every_token()
        {
            string huge = new('A', 70000);
            string items = "{\"id\":\"" + TestClient.TokenId + "\",\"token\":\"" + huge + "\"},{\"id\":\"" + OtherId + "\",\"token\":\"small-token\"}";
            using var server = new TestServer(Reply.Json(200, "{\"value\":[" + items + "]}"));
            var log = new RecordingLog();

            VppTokenPage page = await TestClient.For(server).VppTokens.ListAsync(null, log, CancellationToken.None);

            Assert.Equal(new[] { TestClient.TokenId, OtherId }, page.Tokens.Select(t => t.Id));
            Assert.Null(page.Tokens[0].Token);
            Assert.Equal(11, page.Tokens[1].Token?.Length);
            Assert.Single(log.Lines, line => line.StartsWith("WARNING: ", StringComparison.Ordinal));
        }

        [Fact]
        public async Task A_get_answered_with_another_token_is_an_invalid_response_naming_both_ids()
        {
            using var server = new TestServer(Reply.Json(200, TestClient.TokenJson(OtherId)));

            GraphException error = await Assert.ThrowsAsync<GraphException>(
                () => TestClient.For(server).VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None));

            Assert.Equal(GraphErrorKind.InvalidResponse, error.Kind);
            Assert.Contains(OtherId, error.Message, StringComparison.Ordinal);
            Assert.Contains(TestClient.TokenId, error.Message, StringComparison.Ordinal);
            Assert.False(error.ChangeApplied);
        }

        [Fact]
        public async Task The_same_id_in_another_case_or_with_braces_is_the_same_token()
        {
            using var server = new TestServer(Reply.Json(200, TestClient.TokenJson("{" + TestClient.TokenId.ToUpperInvariant() + "}")));

            VppToken token = await TestClient.For(server).VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None);

            Assert.NotNull(token);
        }

        [Fact]
        public async Task A_patch_answered_with_another_token_says_the_change_was_made()
        {
            using var server = new TestServer(Reply.Json(200, TestClient.TokenJson(OtherId)));

            GraphException error = await Assert.ThrowsAsync<GraphException>(
                () => TestClient.For(server).VppTokens.UpdateAndGetAsync(TestClient.TokenId, Changes, NullGraphLog.Instance, CancellationToken.None));

            Assert.True(error.ChangeApplied);
            Assert.StartsWith($"The change to VPP token {TestClient.TokenId} was made; only reading Graph's answer failed:", error.Message, StringComparison.Ordinal);
            Assert.Single(server.Requests);
        }

        [Theory]
        [InlineData(503)]
        [InlineData(404)]
        public async Task A_patch_whose_read_back_fails_says_the_change_was_made_and_only_the_read_back_failed(int status)
        {
            using var server = new TestServer(request => request.Method == "PATCH"
                ? Reply.Empty(204)
                : Reply.Json(status, "{\"error\":{\"code\":\"Later\",\"message\":\"Try later.\"}}", ("request-id", "rid-read-back")));
            GraphClient client = TestClient.For(server, r => r.MaxRetries = 0);

            GraphException error = await Assert.ThrowsAsync<GraphException>(
                () => client.VppTokens.UpdateAndGetAsync(TestClient.TokenId, Changes, NullGraphLog.Instance, CancellationToken.None));

            Assert.True(error.ChangeApplied);
            Assert.Equal(GraphErrors.KindOf(status), error.Kind);
            Assert.Equal(status, error.StatusCode);
            Assert.Equal("rid-read-back", error.RequestId);
            Assert.StartsWith($"The change to VPP token {TestClient.TokenId} was made; only reading the token back failed: Graph answered {status}", error.Message, StringComparison.Ordinal);
            Assert.Contains("rather than sending the change again", error.Hint, StringComparison.Ordinal);
            Assert.Equal(new[] { "PATCH", "GET" }, server.Requests.Select(r => r.Method));
        }

        [Fact]
        public async Task A_create_answered_201_with_an_unreadable_body_says_it_was_created_and_is_not_sent_again()
        {
            using var server = new TestServer(Reply.Json(201, "{\"id\":"));

            GraphException error = await Assert.ThrowsAsync<GraphException>(
                () => Run(TestClient.For(server), "create"));

            Assert.True(error.ChangeApplied);
            Assert.StartsWith("The VPP token was created; only reading Graph's answer failed:", error.Message, StringComparison.Ordinal);
            Assert.Contains("second time", error.Hint, StringComparison.Ordinal);
            Assert.Single(server.Requests);
        }

        [Fact]
        public async Task A_504_to_a_create_is_sent_once_and_says_to_check_whether_it_took_effect()
        {
            using var server = new TestServer(Reply.Json(504, "{\"error\":{\"code\":\"GatewayTimeout\",\"message\":\"Timed out.\"}}", ("Retry-After", "0")));

            GraphException error = await Assert.ThrowsAsync<GraphException>(() => Run(TestClient.For(server), "create"));

            Assert.Equal(GraphErrorKind.GatewayTimeout, error.Kind);
            Assert.Single(server.Requests);
            Assert.Contains("check whether it took effect", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_504_to_a_get_after_the_last_retry_says_how_many_tries_not_to_check()
        {
            using var server = new TestServer(Reply.Json(504, "{\"error\":{\"code\":\"GatewayTimeout\",\"message\":\"Timed out.\"}}", ("Retry-After", "0")));

            GraphException error = await Assert.ThrowsAsync<GraphException>(
                () => TestClient.For(server, r => r.MaxRetries = 1).VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None));

            Assert.Equal(2, server.Requests.Count);
            Assert.DoesNotContain("took effect", error.Message, StringComparison.Ordinal);
            Assert.Contains("Gave up after 2 tries", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_megabyte_message_and_code_are_cut_and_say_so()
        {
            string message = "Start of the message. " + new string('m', 1024 * 1024);
            string code = new('c', 100000);
            using var server = new TestServer(Reply.Json(400, "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}"));

            GraphException error = await Assert.ThrowsAsync<GraphException>(
                () => TestClient.For(server).VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None));

            Assert.StartsWith("Start of the message.", error.GraphMessage, StringComparison.Ordinal);
            Assert.InRange(error.GraphMessage!.Length, 4096, 4200);
            Assert.EndsWith($"[cut: {message.Length:N0} characters in all]", error.GraphMessage, StringComparison.Ordinal);
            Assert.InRange(error.ErrorCode!.Length, 200, 300);
            Assert.InRange(error.Message.Length, 4096, 6000);
        }

        [Fact]
        public async Task A_megabyte_bad_date_is_quoted_cut_and_says_so()
        {
            string date = new('9', 1024 * 1024);
            using var server = new TestServer(Reply.Json(200, "{\"id\":\"" + TestClient.TokenId + "\",\"expirationDateTime\":\"" + date + "\"}"));

            GraphException error = await Assert.ThrowsAsync<GraphException>(
                () => TestClient.For(server).VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None));

            Assert.Equal(GraphErrorKind.InvalidResponse, error.Kind);
            Assert.Contains("expirationDateTime", error.Message, StringComparison.Ordinal);
            Assert.Contains("[cut: 1,048,576 characters in all]", error.Message, StringComparison.Ordinal);
            Assert.True(error.Message.Length < 1000, $"The message is {error.Message.Length} characters.");
            Assert.Null(error.InnerException);
        }
    }
}
