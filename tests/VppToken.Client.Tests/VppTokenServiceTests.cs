using System;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Graph;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>Get and Update as they reach the wire, and both answers Graph gives to a PATCH.</summary>
    public sealed class VppTokenServiceTests
    {
        [Fact]
        public async Task Update_sends_one_patch_with_the_json_body_to_the_normalised_id()
        {
            using var server = new TestServer(Reply.Empty(204));
            GraphClient client = TestClient.For(server);

            VppToken? updated = await client.VppTokens.UpdateAsync(
                "{9CEB2F92-2F92-9CEB-922F-EB9C922FEB9C}", TestClient.DocumentedChanges(), NullGraphLog.Instance, CancellationToken.None);

            Assert.Null(updated);
            RecordedRequest request = Assert.Single(server.Requests);
            Assert.Equal("PATCH", request.Method);
            Assert.Equal("/v1.0/deviceAppManagement/vppTokens/9ceb2f92-2f92-9ceb-922f-eb9c922feb9c", request.Target);
            Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
            Assert.Equal(
                JsonText.Canonical("""
                    {"@odata.type":"#microsoft.graph.vppToken","organizationName":"Organization Name value","vppTokenAccountType":"education",
                     "appleId":"Apple Id value","expirationDateTime":"2016-12-31T23:57:57.2481234-08:00","lastSyncDateTime":"2017-01-01T00:02:49.3205976-08:00",
                     "token":"Token value","state":"valid","lastSyncStatus":"inProgress","automaticallyUpdateApps":true,"countryOrRegion":"Country Or Region value"}
                    """),
                JsonText.Canonical(request.Body));
        }

        [Fact]
        public async Task Update_answered_200_with_the_object_returns_it()
        {
            using var server = new TestServer(Reply.Json(200, TestClient.TokenJson()));
            GraphClient client = TestClient.For(server);

            VppToken? updated = await client.VppTokens.UpdateAsync(TestClient.TokenId, new VppTokenChanges { State = "valid" }, NullGraphLog.Instance, CancellationToken.None);

            Assert.NotNull(updated);
            Assert.Equal("Organization Name value", updated.OrganizationName);
        }

        [Fact]
        public async Task Update_answered_200_with_no_body_returns_null()
        {
            using var server = new TestServer(Reply.Empty(200));
            GraphClient client = TestClient.For(server);

            Assert.Null(await client.VppTokens.UpdateAsync(TestClient.TokenId, new VppTokenChanges { State = "valid" }, NullGraphLog.Instance, CancellationToken.None));
        }

        [Fact]
        public async Task Update_answered_200_with_a_broken_body_is_an_invalid_response_with_the_request_id()
        {
            using var server = new TestServer(Reply.Json(200, """{"id":"9ceb2f92-""", ("request-id", "55555555-0000-0000-0000-000000000005")));
            GraphClient client = TestClient.For(server);

            GraphException error = await Assert.ThrowsAsync<GraphException>(() => client.VppTokens.UpdateAsync(
                TestClient.TokenId, new VppTokenChanges { State = "valid" }, NullGraphLog.Instance, CancellationToken.None));

            Assert.Equal(GraphErrorKind.InvalidResponse, error.Kind);
            Assert.Equal("55555555-0000-0000-0000-000000000005", error.RequestId);
        }

        [Fact]
        public async Task Get_reads_the_token_from_the_wire()
        {
            using var server = new TestServer(Reply.Json(200, TestClient.TokenJson()));
            GraphClient client = TestClient.For(server);

            VppToken token = await client.VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None);

            Assert.Equal(TestClient.TokenId, token.Id);
            Assert.Equal("valid", token.State);
            RecordedRequest request = Assert.Single(server.Requests);
            Assert.Equal("GET", request.Method);
            Assert.Empty(request.Body);
        }

        [Fact]
        public async Task Get_accepts_the_object_wrapped_in_value()
        {
            using var server = new TestServer(Reply.Json(200, "{\"value\":" + TestClient.TokenJson() + "}"));
            GraphClient client = TestClient.For(server);

            VppToken token = await client.VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None);

            Assert.Equal(TestClient.TokenId, token.Id);
        }

        [Theory]
        [InlineData("../../me")]
        [InlineData("a/b")]
        [InlineData("%2e%2e")]
        [InlineData("")]
        public async Task An_id_that_is_not_a_guid_is_refused_before_anything_is_sent(string id)
        {
            using var server = new TestServer(Reply.Json(200, TestClient.TokenJson()));
            GraphClient client = TestClient.For(server);

            await Assert.ThrowsAsync<ArgumentException>(() => client.VppTokens.GetAsync(id, NullGraphLog.Instance, CancellationToken.None));
            await Assert.ThrowsAsync<ArgumentException>(() => client.VppTokens.UpdateAsync(id, new VppTokenChanges { State = "valid" }, NullGraphLog.Instance, CancellationToken.None));

            Assert.Empty(server.Requests);
        }
    }
}
