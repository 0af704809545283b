using System;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Graph;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>Every status maps to its kind, and every shape of error body gives the same kind of answer.</summary>
    public sealed class GraphErrorShapesTests
    {
        private static async Task<GraphException> GetFails(Reply reply, Action<Http.RetrySettings>? configure = null)
        {
            using var server = new TestServer(reply);
            GraphClient client = TestClient.For(server, configure);
            return await Assert.ThrowsAsync<GraphException>(
                () => client.VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None));
        }

        [Theory]
        [InlineData(300, GraphErrorKind.Redirected)]
        [InlineData(399, GraphErrorKind.Redirected)]
        [InlineData(400, GraphErrorKind.BadRequest)]
        [InlineData(401, GraphErrorKind.Unauthorized)]
        [InlineData(403, GraphErrorKind.Forbidden)]
        [InlineData(404, GraphErrorKind.NotFound)]
        [InlineData(409, GraphErrorKind.Conflict)]
        [InlineData(412, GraphErrorKind.PreconditionFailed)]
        [InlineData(429, GraphErrorKind.Throttled)]
        [InlineData(500, GraphErrorKind.ServerError)]
        [InlineData(501, GraphErrorKind.ServerError)]
        [InlineData(503, GraphErrorKind.ServiceUnavailable)]
        [InlineData(504, GraphErrorKind.GatewayTimeout)]
        [InlineData(599, GraphErrorKind.ServerError)]
        [InlineData(405, GraphErrorKind.OtherStatus)]
        [InlineData(418, GraphErrorKind.OtherStatus)]
        [InlineData(299, GraphErrorKind.OtherStatus)]
        public void Each_status_has_its_kind(int status, GraphErrorKind kind)
        {
            Assert.Equal(kind, GraphErrors.KindOf(status));
        }

        [Fact]
        public async Task Inner_error_spelled_in_lower_case_still_gives_the_ids()
        {
            GraphException error = await GetFails(Reply.Json(404, """
                {"error":{"code":"NotFound","message":"gone","innererror":{"date":"2025-07-01T01:02:03","request-id":"77777777-0000-0000-0000-000000000007","client-request-id":"88888888-0000-0000-0000-000000000008"}}}
                """, ("request-id", "header-request-id"), ("Date", "header-date")));

            Assert.Equal("77777777-0000-0000-0000-000000000007", error.RequestId);
            Assert.Equal("88888888-0000-0000-0000-000000000008", error.ClientRequestId);
            Assert.Equal("2025-07-01T01:02:03", error.Date);
        }

        [Fact]
        public async Task Inner_error_without_ids_keeps_the_ids_of_the_headers()
        {
            GraphException error = await GetFails(Reply.Json(404, """
                {"error":{"code":"NotFound","message":"gone","innerError":{"date":5,"request-id":null}}}
                """, ("request-id", "99999999-0000-0000-0000-000000000009"), ("Date", "Tue, 01 Jul 2025 01:02:03 GMT")));

            Assert.Equal("99999999-0000-0000-0000-000000000009", error.RequestId);
            Assert.Equal("Tue, 01 Jul 2025 01:02:03 GMT", error.Date);
            Assert.True(Guid.TryParse(error.ClientRequestId, out _), $"'{error.ClientRequestId}' is not the client-request-id sent");
        }

        [Fact]
        public async Task Inner_error_that_is_not_an_object_is_ignored()
        {
            GraphException error = await GetFails(Reply.Json(404, """
                {"error":{"code":"NotFound","message":"gone","innerError":"2025-07-01"}}
                """, ("request-id", "aaaaaaaa-0000-0000-0000-00000000000a")));

            Assert.Equal("NotFound", error.ErrorCode);
            Assert.Equal("aaaaaaaa-0000-0000-0000-00000000000a", error.RequestId);
        }

        [Theory]
        [InlineData("""{"error":"Something failed"}""")]
        [InlineData("""[{"error":{"code":"X","message":"Y"}}]""")]
        [InlineData("\"error\"")]
        public async Task Json_whose_error_is_not_an_object_is_not_taken_for_a_graph_error(string body)
        {
            GraphException error = await GetFails(Reply.Json(400, body));

            Assert.Equal("The answer was JSON but not a Graph error object.", error.GraphMessage);
            Assert.Null(error.ErrorCode);
        }

        [Fact]
        public async Task A_blank_code_and_a_blank_message_are_left_out()
        {
            GraphException error = await GetFails(Reply.Json(400, """{"error":{"code":"  ","message":" \t "}}"""));

            Assert.Null(error.ErrorCode);
            Assert.Null(error.GraphMessage);
            Assert.DoesNotContain("code:", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Code_and_message_that_are_not_strings_are_left_out()
        {
            GraphException error = await GetFails(Reply.Json(400, """{"error":{"code":42,"message":{"text":"no"}}}"""));

            Assert.Null(error.ErrorCode);
            Assert.Null(error.GraphMessage);
        }

        [Fact]
        public async Task A_json_body_labelled_html_is_still_named_an_html_page()
        {
            GraphException error = await GetFails(Reply.Text(502, "text/HTML", """{"error":{"code":"X","message":"not shown"}}"""));

            Assert.Contains("HTML page", error.GraphMessage, StringComparison.Ordinal);
            Assert.Null(error.ErrorCode);
        }

        [Theory]
        [InlineData("html")]
        [InlineData("application/xhtml+xml")]
        public async Task A_content_type_naming_html_anywhere_marks_an_html_page(string contentType)
        {
            GraphException error = await GetFails(Reply.Text(502, contentType, """{"error":{"code":"X","message":"not shown"}}"""));

            Assert.Contains("HTML page", error.GraphMessage, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_403_on_a_write_gives_the_write_hint_not_the_read_hint()
        {
            using var server = new TestServer(Reply.Json(403, """{"error":{"code":"Forbidden","message":"Forbidden"}}"""));
            GraphClient client = TestClient.For(server);

            GraphException error = await Assert.ThrowsAsync<GraphException>(() => client.VppTokens.UpdateAsync(
                TestClient.TokenId, new VppTokenChanges { State = "valid" }, NullGraphLog.Instance, CancellationToken.None));

            Assert.StartsWith("Changing VPP tokens needs DeviceManagementServiceConfig.ReadWrite.All", error.Hint, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_long_html_page_without_a_content_type_is_recognised_by_its_start()
        {
            GraphException error = await GetFails(new Reply(502, Array.Empty<(string, string)>(),
                System.Text.Encoding.UTF8.GetBytes("\r\n   <html>" + new string('x', 500) + "</html>")));

            Assert.Contains("HTML page", error.GraphMessage, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_short_body_that_is_not_html_nor_json_is_called_invalid_json()
        {
            GraphException error = await GetFails(new Reply(500, Array.Empty<(string, string)>(), "oops"u8.ToArray()));

            Assert.Equal("The answer's body was not valid JSON (it may have been cut off).", error.GraphMessage);
        }

        [Fact]
        public async Task A_single_try_that_was_throttled_has_no_hint_about_retries()
        {
            GraphException error = await GetFails(Reply.Empty(429, ("Retry-After", "0")), r => r.MaxRetries = 0);

            Assert.Equal(GraphErrorKind.Throttled, error.Kind);
            Assert.Null(error.Hint);
        }

        [Theory]
        [InlineData(503)]
        [InlineData(504)]
        public async Task Giving_up_on_a_busy_service_says_how_many_tries_were_made(int status)
        {
            GraphException error = await GetFails(Reply.Empty(status, ("Retry-After", "0")), r => r.MaxRetries = 2);

            Assert.Equal("Gave up after 3 tries; run it again later, or allow more retries with Connect-IntuneVpp -MaxRetries / -MaxRetryWait.", error.Hint);
        }

        [Fact]
        public async Task An_error_other_than_throttling_has_no_hint_however_many_tries()
        {
            GraphException error = await GetFails(Reply.Json(404, """{"error":{"code":"NotFound","message":"gone"}}"""));

            Assert.Null(error.Hint);
        }

        [Fact]
        public async Task The_summary_names_the_status_its_reason_and_the_request()
        {
            GraphException error = await GetFails(Reply.Json(409, """{"error":{"code":"Conflict","message":"Already there."}}"""));

            Assert.Equal($"Graph answered 409 Status to GET /v1.0/deviceAppManagement/vppTokens/{TestClient.TokenId}.", error.Summary);
            Assert.Equal(409, error.StatusCode);
            Assert.Equal("Already there.", error.GraphMessage);
        }
    }
}
