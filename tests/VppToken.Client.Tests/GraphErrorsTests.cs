using System;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Graph;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>Whatever an unsuccessful answer holds, the caller gets a GraphException with what support asks for.</summary>
    public sealed class GraphErrorsTests
    {
        private const string VppSecret = "VPP-SECRET-eyJ0b2tlbiI6InQxWG9V";

        private static async Task<GraphException> GetFails(Reply reply)
        {
            using var server = new TestServer(reply);
            GraphClient client = TestClient.For(server);
            return await Assert.ThrowsAsync<GraphException>(
                () => client.VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None));
        }

        private static async Task<GraphException> PatchFails(Reply reply)
        {
            using var server = new TestServer(reply);
            GraphClient client = TestClient.For(server);
            var changes = new VppTokenChanges { Token = TestClient.Secure(VppSecret), OrganizationName = "Body Org Name" };
            return await Assert.ThrowsAsync<GraphException>(
                () => client.VppTokens.UpdateAsync(TestClient.TokenId, changes, NullGraphLog.Instance, CancellationToken.None));
        }

        [Fact]
        public async Task A_graph_shaped_error_gives_kind_code_message_and_the_ids_from_inner_error()
        {
            GraphException error = await GetFails(Reply.Json(404, """
                {"error":{"code":"ResourceNotFound","message":"The vppToken was not found",
                 "innerError":{"date":"2025-06-30T10:11:12","request-id":"11111111-aaaa-bbbb-cccc-000000000001","client-request-id":"22222222-aaaa-bbbb-cccc-000000000002"}}}
                """));

            Assert.Equal(GraphErrorKind.NotFound, error.Kind);
            Assert.Equal(404, error.StatusCode);
            Assert.Equal("ResourceNotFound", error.ErrorCode);
            Assert.Equal("The vppToken was not found", error.GraphMessage);
            Assert.Equal("11111111-aaaa-bbbb-cccc-000000000001", error.RequestId);
            Assert.Equal("22222222-aaaa-bbbb-cccc-000000000002", error.ClientRequestId);
            Assert.Equal("2025-06-30T10:11:12", error.Date);
            Assert.Equal($"GET /v1.0/deviceAppManagement/vppTokens/{TestClient.TokenId}", error.Request);
            Assert.Contains("The vppToken was not found.", error.Message, StringComparison.Ordinal);
            Assert.Contains("request-id: 11111111-aaaa-bbbb-cccc-000000000001", error.Message, StringComparison.Ordinal);
            Assert.Contains("code: ResourceNotFound", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Without_inner_error_the_ids_come_from_the_response_headers()
        {
            GraphException error = await GetFails(Reply.Json(400, """{"error":{"code":"","message":"An error has occurred"}}""",
                ("request-id", "33333333-aaaa-bbbb-cccc-000000000003"), ("Date", "Mon, 30 Jun 2025 10:11:12 GMT")));

            Assert.Equal(GraphErrorKind.BadRequest, error.Kind);
            Assert.Null(error.ErrorCode);
            Assert.Equal("33333333-aaaa-bbbb-cccc-000000000003", error.RequestId);
            Assert.Equal("Mon, 30 Jun 2025 10:11:12 GMT", error.Date);
        }

        [Fact]
        public async Task Without_any_id_from_graph_the_client_request_id_sent_is_reported()
        {
            using var server = new TestServer(Reply.Empty(500));
            GraphClient client = TestClient.For(server);

            GraphException error = await Assert.ThrowsAsync<GraphException>(
                () => client.VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None));

            Assert.Equal(GraphErrorKind.ServerError, error.Kind);
            Assert.Equal(Assert.Single(server.Requests).Header("client-request-id"), error.ClientRequestId);
        }

        [Fact]
        public async Task An_html_page_from_a_proxy_is_named_as_such_and_not_echoed()
        {
            GraphException error = await GetFails(Reply.Text(502, "text/html; charset=utf-8",
                "<html><body><h1>502 Bad Gateway</h1><p>proxy-internal-detail</p></body></html>"));

            Assert.Equal(GraphErrorKind.ServerError, error.Kind);
            Assert.Equal(502, error.StatusCode);
            Assert.Contains("HTML", error.GraphMessage, StringComparison.Ordinal);
            Assert.DoesNotContain("proxy-internal-detail", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task An_html_page_without_an_html_content_type_is_still_recognised()
        {
            GraphException error = await GetFails(Reply.Text(403, "application/octet-stream", "  <!DOCTYPE html><html>denied</html>"));

            Assert.Equal(GraphErrorKind.Forbidden, error.Kind);
            Assert.Contains("HTML", error.GraphMessage, StringComparison.Ordinal);
        }

        [Fact]
        public async Task An_empty_body_is_reported_as_such()
        {
            GraphException error = await GetFails(Reply.Empty(409));

            Assert.Equal(GraphErrorKind.Conflict, error.Kind);
            Assert.Contains("no body", error.GraphMessage, StringComparison.Ordinal);
            Assert.Null(error.ErrorCode);
        }

        [Fact]
        public async Task Truncated_json_is_reported_as_invalid_json()
        {
            GraphException error = await GetFails(Reply.Json(400, """{"error":{"code":"BadRequest","message":"Inva"""));

            Assert.Equal(GraphErrorKind.BadRequest, error.Kind);
            Assert.Contains("not valid JSON", error.GraphMessage, StringComparison.Ordinal);
            Assert.Null(error.ErrorCode);
        }

        [Fact]
        public async Task Json_that_is_not_a_graph_error_is_reported_as_such_and_not_echoed()
        {
            GraphException error = await GetFails(Reply.Json(400, """{"detail":"backend-internal-detail"}"""));

            Assert.Contains("not a Graph error", error.GraphMessage, StringComparison.Ordinal);
            Assert.DoesNotContain("backend-internal-detail", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_403_on_a_write_names_the_write_permission()
        {
            GraphException error = await PatchFails(Reply.Json(403, """{"error":{"code":"Forbidden","message":"Forbidden"}}"""));

            Assert.Equal(GraphErrorKind.Forbidden, error.Kind);
            Assert.Contains("DeviceManagementServiceConfig.ReadWrite.All", error.Hint, StringComparison.Ordinal);
            Assert.Contains("DeviceManagementServiceConfig.ReadWrite.All", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_403_on_a_read_names_the_read_permission()
        {
            GraphException error = await GetFails(Reply.Json(403, """{"error":{"code":"Forbidden","message":"Forbidden"}}"""));

            Assert.StartsWith("Reading VPP tokens needs DeviceManagementServiceConfig.Read.All", error.Hint, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_401_with_a_token_that_cannot_be_refreshed_is_not_replayed_and_says_to_sign_in_again()
        {
            using var server = new TestServer(Reply.Json(401, """{"error":{"code":"InvalidAuthenticationToken","message":"Access token has expired."}}"""));
            GraphClient client = TestClient.For(server);

            GraphException error = await Assert.ThrowsAsync<GraphException>(
                () => client.VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None));

            Assert.Equal(GraphErrorKind.Unauthorized, error.Kind);
            Assert.Contains("Connect-IntuneVpp", error.Hint, StringComparison.Ordinal);
            Assert.Single(server.Requests);
        }

        [Theory]
        [InlineData(400)]
        [InlineData(403)]
        [InlineData(500)]
        public async Task The_message_never_holds_the_request_body_or_the_access_token(int status)
        {
            GraphException error = await PatchFails(Reply.Json(status, """{"error":{"code":"BadRequest","message":"Property token has an invalid value."}}"""));

            foreach (string text in new[] { error.Message, error.ToString() })
            {
                Assert.DoesNotContain(VppSecret, text, StringComparison.Ordinal);
                Assert.DoesNotContain("Body Org Name", text, StringComparison.Ordinal);
                Assert.DoesNotContain(TestClient.AccessToken, text, StringComparison.Ordinal);
            }
        }
    }
}
