using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Graph;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>The list comes in pages; @odata.nextLink is followed on the connection's own host.</summary>
    public sealed class PagingTests
    {
        private const string IdA = "00000000-0000-0000-0000-00000000000a";
        private const string IdB = "00000000-0000-0000-0000-00000000000b";
        private const string IdC = "00000000-0000-0000-0000-00000000000c";

        [Fact]
        public async Task List_and_list_next_follow_the_next_link_to_the_last_page()
        {
            TestServer? server = null;
            server = new TestServer(request => request.Index switch
            {
                0 => Reply.Json(200, TestClient.ListJson(server!.BaseUri + "v1.0/deviceAppManagement/vppTokens?$skiptoken=page2", IdA, IdB)),
                _ => Reply.Json(200, TestClient.ListJson(null, IdC)),
            });
            using (server)
            {
                GraphClient client = TestClient.For(server);

                VppTokenPage first = await client.VppTokens.ListAsync(null, NullGraphLog.Instance, CancellationToken.None);
                Assert.NotNull(first.NextLink);
                VppTokenPage second = await client.VppTokens.ListNextAsync(first.NextLink, NullGraphLog.Instance, CancellationToken.None);

                Assert.Equal(new[] { IdA, IdB }, first.Tokens.Select(t => t.Id));
                Assert.Equal(new[] { IdC }, second.Tokens.Select(t => t.Id));
                Assert.Null(second.NextLink);
                Assert.Equal(
                    new[] { "GET /v1.0/deviceAppManagement/vppTokens", "GET /v1.0/deviceAppManagement/vppTokens?$skiptoken=page2" },
                    server.Requests.Select(r => r.Method + " " + r.Target));
                Assert.All(server.Requests, r => Assert.Equal("Bearer " + TestClient.AccessToken, r.Header("Authorization")));
            }
        }

        [Fact]
        public async Task A_filter_reaches_the_server_as_an_escaped_filter_query()
        {
            using var server = new TestServer(Reply.Json(200, TestClient.ListJson(null)));
            GraphClient client = TestClient.For(server);

            VppTokenPage page = await client.VppTokens.ListAsync("state eq 'valid' and appleId eq 'a&b@x.org'", NullGraphLog.Instance, CancellationToken.None);

            Assert.Empty(page.Tokens);
            string target = Assert.Single(server.Requests).Target;
            Assert.StartsWith("/v1.0/deviceAppManagement/vppTokens?$filter=", target, StringComparison.Ordinal);
            string query = target.Substring(target.IndexOf('?', StringComparison.Ordinal) + 1);
            Assert.DoesNotContain(" ", query, StringComparison.Ordinal);
            Assert.Single(query.Split('&'));
            Assert.Equal("$filter=state eq 'valid' and appleId eq 'a&b@x.org'", Uri.UnescapeDataString(query));
        }

        [Theory]
        [InlineData("""{"value":{"id":"a"}}""", "value")]
        [InlineData("""{"items":[]}""", "value")]
        [InlineData("""[]""", "value")]
        [InlineData("""{"value":[{"organizationName":"no id"}]}""", "id")]
        [InlineData("""{"value":[{"id":"a","state":7}]}""", "state")]
        public async Task A_page_of_the_wrong_shape_is_an_invalid_response_saying_what_is_wrong(string body, string named)
        {
            using var server = new TestServer(Reply.Json(200, body));
            GraphClient client = TestClient.For(server);

            GraphException error = await Assert.ThrowsAsync<GraphException>(
                () => client.VppTokens.ListAsync(null, NullGraphLog.Instance, CancellationToken.None));

            Assert.Equal(GraphErrorKind.InvalidResponse, error.Kind);
            Assert.Equal(200, error.StatusCode);
            Assert.Contains(named, error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_relative_next_link_is_an_invalid_response_and_not_read_as_a_file_url()
        {
            // On Linux and macOS, Uri.TryCreate("/v1.0/...", UriKind.Absolute) succeeds as file:///v1.0/...
            using var server = new TestServer(Reply.Json(200, """{"value":[],"@odata.nextLink":"/v1.0/deviceAppManagement/vppTokens?$skiptoken=x"}"""));
            GraphClient client = TestClient.For(server);

            GraphException error = await Assert.ThrowsAsync<GraphException>(
                () => client.VppTokens.ListAsync(null, NullGraphLog.Instance, CancellationToken.None));

            Assert.Equal(GraphErrorKind.InvalidResponse, error.Kind);
            Assert.Contains("nextLink", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_page_cut_off_mid_json_is_an_invalid_response()
        {
            using var server = new TestServer(Reply.Json(200, TestClient.ListJson(null, IdA)[..40]));
            GraphClient client = TestClient.For(server);

            GraphException error = await Assert.ThrowsAsync<GraphException>(
                () => client.VppTokens.ListAsync(null, NullGraphLog.Instance, CancellationToken.None));

            Assert.Equal(GraphErrorKind.InvalidResponse, error.Kind);
            Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
        }
    }
}
