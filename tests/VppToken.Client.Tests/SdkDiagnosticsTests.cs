using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core.Diagnostics;
using IntuneVpp.Client.Authentication;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Graph;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>Runs alone: these tests listen to every event source and activity in the process.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class ProcessListenersCollection
    {
        public const string Name = "Process-wide listeners";
    }

    /// <summary>
    /// Azure.Core's own logging and tracing stay off: a session that listens to Azure SDK events or traces (as some
    /// tools and other modules do) must not see VppToken's requests.
    /// </summary>
    [Collection(ProcessListenersCollection.Name)]
    public sealed class SdkDiagnosticsTests
    {
        [Fact]
        public async Task A_listener_to_azure_sdk_events_hears_nothing_of_a_request()
        {
            using var server = new TestServer(Reply.Json(200, TestClient.TokenJson()));
            GraphClient client = TestClient.For(server);
            var heard = new ConcurrentQueue<string>();
            using (var listener = new AzureEventSourceListener((e, message) => heard.Enqueue(e.EventSource.Name + ": " + message), EventLevel.Verbose))
            {
                await client.VppTokens.UpdateAsync(TestClient.TokenId, new VppTokenChanges { Token = TestClient.Secure("VPP-SECRET-events") }, NullGraphLog.Instance, CancellationToken.None);
            }

            Assert.Single(server.Requests);
            Assert.DoesNotContain(heard, line => line.StartsWith("Azure-Core", StringComparison.Ordinal));
        }

        [Fact]
        public async Task A_listener_to_azure_sdk_traces_sees_no_request()
        {
            using var server = new TestServer(Reply.Json(200, TestClient.TokenJson()));
            GraphClient client = TestClient.For(server);
            var seen = new ConcurrentQueue<string>();
            var subscriptions = new ConcurrentQueue<IDisposable>();
            using IDisposable all = DiagnosticListener.AllListeners.Subscribe(new Observer<DiagnosticListener>(listener =>
            {
                if (listener.Name.StartsWith("Azure", StringComparison.Ordinal))
                {
                    subscriptions.Enqueue(listener.Subscribe(new Observer<KeyValuePair<string, object?>>(e => seen.Enqueue(listener.Name + ": " + e.Key))));
                }
            }));
            try
            {
                await client.VppTokens.GetAsync(TestClient.TokenId, NullGraphLog.Instance, CancellationToken.None);
            }
            finally
            {
                while (subscriptions.TryDequeue(out IDisposable? subscription))
                {
                    subscription.Dispose();
                }
            }

            Assert.Single(server.Requests);
            Assert.Empty(seen);
        }

        private sealed class Observer<T> : IObserver<T>
        {
            private readonly Action<T> _next;

            public Observer(Action<T> next) => _next = next;

            public void OnCompleted()
            {
            }

            public void OnError(Exception error)
            {
            }

            public void OnNext(T value) => _next(value);
        }
    }
}
