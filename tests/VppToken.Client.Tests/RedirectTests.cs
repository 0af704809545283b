using System;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Graph;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>A redirect is an error: following it could carry the bearer token to another host.</summary>
    public sealed class RedirectTests
    {
        [Theory]
        [InlineData(301)]
        [InlineData(302)]
        [InlineData(307)]
        [InlineData(308)]
        public async Task A_redirect_to_another_host_is_not_followed_and_is_reported(int status)
        {
            using var elsewhere = new TestServer(Reply.Json(200, TestClient.TokenJson()));
            var target = new Uri(elsewhere.BaseUri, "v1.0/deviceAppManagement/vppTokens/" + TestClient.TokenId);
            using var graph = new TestServer(Reply.Empty(status, ("Location", target.ToString())));
            GraphClient client = TestClient.For(graph);

            GraphException error = await Assert.ThrowsAsync<GraphException>(
                () => client.VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None));

            Assert.Equal(GraphErrorKind.Redirected, error.Kind);
            Assert.Equal(status, error.StatusCode);
            Assert.Contains(target.ToString(), error.GraphMessage, StringComparison.Ordinal);
            Assert.Single(graph.Requests);
            Assert.Empty(elsewhere.Requests);
        }

        [Fact]
        public async Task A_redirect_of_a_patch_is_not_followed_either()
        {
            using var elsewhere = new TestServer(Reply.Empty(204));
            using var graph = new TestServer(Reply.Empty(307, ("Location", elsewhere.BaseUri + "v1.0/deviceAppManagement/vppTokens/" + TestClient.TokenId)));
            GraphClient client = TestClient.For(graph);

            GraphException error = await Assert.ThrowsAsync<GraphException>(() => client.VppTokens.UpdateAsync(
                TestClient.TokenId, new VppTokenChanges { Token = TestClient.Secure("VPP-SECRET") }, NullGraphLog.Instance, CancellationToken.None));

            Assert.Equal(GraphErrorKind.Redirected, error.Kind);
            Assert.Single(graph.Requests);
            Assert.Empty(elsewhere.Requests);
        }

        [Fact]
        public async Task A_redirect_without_a_location_is_reported_as_one()
        {
            using var graph = new TestServer(Reply.Empty(302));
            GraphClient client = TestClient.For(graph);

            GraphException error = await Assert.ThrowsAsync<GraphException>(
                () => client.VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None));

            Assert.Equal(GraphErrorKind.Redirected, error.Kind);
            Assert.Contains("no target", error.GraphMessage, StringComparison.Ordinal);
        }
    }
}
