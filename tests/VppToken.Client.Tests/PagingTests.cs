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
                VppTokenPage second = await client.VppTokens.ListNextAsync(first, NullGraphLog.Instance, CancellationToken.None);

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
    
        private static string Collection(TestServer server, string query) => server.BaseUri + "v1.0/deviceAppManagement/vppTokens" + query;

        /// <summary>Reads the list as a caller does, page after page, until the last page or the first error.</summary>
        private static async Task<(string[] Ids, GraphException? Error)> ReadAll(GraphClient client, int maxPages = VppTokenService.DefaultMaxPages)
        {
            var ids = new System.Collections.Generic.List<string>();
            try
            {
                VppTokenPage page = await client.VppTokens.ListAsync(null, maxPages, NullGraphLog.Instance, CancellationToken.None);
                ids.AddRange(page.Tokens.Select(t => t.Id));
                while (page.NextLink is not null)
                {
                    page = await client.VppTokens.ListNextAsync(page, NullGraphLog.Instance, CancellationToken.None);
                    ids.AddRange(page.Tokens.Select(t => t.Id));
                }

                return (ids.ToArray(), null);
            }
            catch (GraphException ex)
            {
                return (ids.ToArray(), ex);
            }
        }

        [Fact]
        public async Task A_next_link_back_to_the_same_url_stops_after_one_request()
        {
            TestServer? server = null;
            server = new TestServer(_ => Reply.Json(200, TestClient.ListJson(Collection(server!, string.Empty), IdA)));
            using (server)
            {
                (string[] ids, GraphException? error) = await ReadAll(TestClient.For(server));

                Assert.Equal(new[] { IdA }, ids);
                Assert.Equal(GraphErrorKind.PagingLoop, error?.Kind);
                Assert.Contains("already read", error!.Message, StringComparison.Ordinal);
                Assert.Single(server.Requests);
            }
        }

        [Fact]
        public async Task A_two_page_cycle_reads_each_page_once_with_no_duplicates()
        {
            // Page A (the first URL) links to B, and B links back to A.
            TestServer? server = null;
            server = new TestServer(request => request.Target.EndsWith("skiptoken=B", StringComparison.Ordinal)
                ? Reply.Json(200, TestClient.ListJson(Collection(server!, string.Empty), IdB))
                : Reply.Json(200, TestClient.ListJson(Collection(server!, "?$skiptoken=B"), IdA)));
            using (server)
            {
                (string[] ids, GraphException? error) = await ReadAll(TestClient.For(server));

                Assert.Equal(new[] { IdA, IdB }, ids);
                Assert.Equal(GraphErrorKind.PagingLoop, error?.Kind);
                Assert.Contains("after page 2 (2 tokens)", error!.Message, StringComparison.Ordinal);
                Assert.Equal(new[] { "/v1.0/deviceAppManagement/vppTokens", "/v1.0/deviceAppManagement/vppTokens?$skiptoken=B" },
                    server.Requests.Select(r => r.Target));
            }
        }

        [Fact]
        public async Task The_same_page_escaped_differently_is_the_same_page()
        {
            TestServer? server = null;
            server = new TestServer(request => request.Index == 0
                ? Reply.Json(200, TestClient.ListJson(Collection(server!, "?$skiptoken=x"), IdA))
                : Reply.Json(200, TestClient.ListJson(Collection(server!, "?%24skiptoken=x").Replace("vppTokens", "VPPTOKENS", StringComparison.Ordinal), IdB)));
            using (server)
            {
                (_, GraphException? error) = await ReadAll(TestClient.For(server));

                Assert.Equal(GraphErrorKind.PagingLoop, error?.Kind);
                Assert.Equal(2, server.Requests.Count);
            }
        }

        [Fact]
        public async Task New_links_without_end_stop_at_the_page_limit_with_the_tokens_read()
        {
            TestServer? server = null;
            server = new TestServer(request => Reply.Json(200, TestClient.ListJson(
                Collection(server!, "?$skiptoken=" + request.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                Guid.NewGuid().ToString())));
            using (server)
            {
                (string[] ids, GraphException? error) = await ReadAll(TestClient.For(server), maxPages: 7);

                Assert.Equal(7, ids.Length);
                Assert.Equal(7, server.Requests.Count);
                Assert.Equal(GraphErrorKind.PageLimitExceeded, error?.Kind);
                Assert.Contains("after 7 pages (7 tokens)", error!.Message, StringComparison.Ordinal);
            }
        }

        [Fact]
        public async Task The_default_page_limit_is_a_hundred()
        {
            TestServer? server = null;
            server = new TestServer(request => Reply.Json(200, TestClient.ListJson(
                Collection(server!, "?$skiptoken=" + request.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)))));
            using (server)
            {
                (_, GraphException? error) = await ReadAll(TestClient.For(server));

                Assert.Equal(GraphErrorKind.PageLimitExceeded, error?.Kind);
                Assert.Equal(100, server.Requests.Count);
            }
        }

        [Theory]
        [InlineData("v1.0/users")]
        [InlineData("v1.0/deviceAppManagement/vppTokens/../../../users")]
        [InlineData("v1.0/deviceAppManagement/vppTokens/%2E%2E/%2e%2e/users")]
        [InlineData("v1.0/deviceAppManagement/vppTokens%2F..%2F..%2Fusers")]
        [InlineData("v1.0/deviceAppManagement/vppTokensX?$skiptoken=1")]
        [InlineData("beta/deviceAppManagement/vppTokens?$skiptoken=1")]
        [InlineData("v1.0/deviceAppManagement?$skiptoken=1")]
        public async Task A_next_link_that_leaves_the_listing_path_is_refused_before_it_is_sent(string link)
        {
            TestServer? server = null;
            server = new TestServer(_ => Reply.Json(200, TestClient.ListJson(server!.BaseUri + link, IdA)));
            using (server)
            {
                (string[] ids, GraphException? error) = await ReadAll(TestClient.For(server));

                Assert.Equal(new[] { IdA }, ids);
                Assert.Equal(GraphErrorKind.UntrustedLink, error?.Kind);
                Assert.Contains("/v1.0/deviceAppManagement/vppTokens", error!.Message, StringComparison.Ordinal);
                Assert.Single(server.Requests);
            }
        }

        [Theory]
        [InlineData("v1.0/deviceAppManagement/vppTokens/?$skiptoken=1")]
        [InlineData("v1.0/DeviceAppManagement/VppTokens?$skiptoken=1")]
        [InlineData("v1.0/deviceAppManagement/vppTokens/./?$skiptoken=1")]
        public async Task A_next_link_under_the_listing_path_is_followed(string link)
        {
            TestServer? server = null;
            server = new TestServer(request => request.Index == 0
                ? Reply.Json(200, TestClient.ListJson(server!.BaseUri + link, IdA))
                : Reply.Json(200, TestClient.ListJson(null, IdB)));
            using (server)
            {
                (string[] ids, GraphException? error) = await ReadAll(TestClient.For(server));

                Assert.Null(error);
                Assert.Equal(new[] { IdA, IdB }, ids);
                Assert.Equal(2, server.Requests.Count);
            }
        }

        [Theory]
        [InlineData("5", "a number")]
        [InlineData("true", "a boolean")]
        [InlineData("[]", "an array")]
        [InlineData("{}", "an object")]
        public async Task A_next_link_that_is_not_a_string_is_an_invalid_response_not_the_last_page(string link, string described)
        {
            using var server = new TestServer(Reply.Json(200, "{\"value\":[],\"@odata.nextLink\":" + link + "}"));

            (_, GraphException? error) = await ReadAll(TestClient.For(server));

            Assert.Equal(GraphErrorKind.InvalidResponse, error?.Kind);
            Assert.Contains("nextLink should be a URL string, not " + described, error!.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_null_next_link_is_the_last_page()
        {
            using var server = new TestServer(Reply.Json(200, "{\"value\":[],\"@odata.nextLink\":null}"));

            (string[] ids, GraphException? error) = await ReadAll(TestClient.For(server));

            Assert.Null(error);
            Assert.Empty(ids);
        }
    }
}
