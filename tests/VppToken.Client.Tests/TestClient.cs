using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Security;
using System.Text.Json;
using IntuneVpp.Client.Authentication;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Graph;
using IntuneVpp.Client.Http;

namespace IntuneVpp.Client.Tests
{
    /// <summary>GraphClients pointed at a <see cref="TestServer"/>, with waits small enough for a unit test.</summary>
    internal static class TestClient
    {
        public const string AccessToken = "eyJ0ZXN0IjoiYWNjZXNzIn0.opaque-access-token-7f3a";

        public const string TokenId = "9ceb2f92-2f92-9ceb-922f-eb9c922feb9c";

        public static GraphClient For(TestServer server, Action<RetrySettings>? configure = null) => For(server.BaseUri, configure);

        public static GraphClient For(Uri endpoint, Action<RetrySettings>? configure = null)
        {
            var retry = new RetrySettings
            {
                MaxRetries = 3,
                BaseDelay = TimeSpan.FromMilliseconds(10),
                MaxDelay = TimeSpan.FromMilliseconds(40),
                MaxTotalWait = TimeSpan.FromSeconds(5),
                NetworkTimeout = TimeSpan.FromSeconds(5),
                WriteLimit = 0,
            };
            configure?.Invoke(retry);
            return new GraphClient(new GraphClientOptions(endpoint) { Retry = retry }, new StaticTokenProvider(Secure(AccessToken)));
        }

        /// <summary>The properties of the update-vppToken page's example request.</summary>
        public static VppTokenChanges DocumentedChanges() => new()
        {
            OrganizationName = "Organization Name value",
            VppTokenAccountType = "education",
            AppleId = "Apple Id value",
            ExpirationDateTime = DateTimeOffset.Parse("2016-12-31T23:57:57.2481234-08:00", System.Globalization.CultureInfo.InvariantCulture),
            LastSyncDateTime = DateTimeOffset.Parse("2017-01-01T00:02:49.3205976-08:00", System.Globalization.CultureInfo.InvariantCulture),
            Token = TestClient.Secure("Token value"),
            State = "valid",
            LastSyncStatus = "inProgress",
            AutomaticallyUpdateApps = true,
            CountryOrRegion = "Country Or Region value",
        };

        public static SecureString Secure(string value)
        {
            var secure = new SecureString();
            foreach (char c in value)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }

        /// <summary>The documented example answer for one token, with the given id.</summary>
        public static string TokenJson(string id = TokenId) => $$"""
            {
              "@odata.type": "#microsoft.graph.vppToken",
              "id": "{{id}}",
              "organizationName": "Organization Name value",
              "vppTokenAccountType": "education",
              "appleId": "Apple Id value",
              "expirationDateTime": "2016-12-31T23:57:57.2481234-08:00",
              "lastSyncDateTime": "2017-01-01T00:02:49.3205976-08:00",
              "token": "Token value",
              "lastModifiedDateTime": "2017-01-01T00:00:35.1329464-08:00",
              "state": "valid",
              "lastSyncStatus": "inProgress",
              "automaticallyUpdateApps": true,
              "countryOrRegion": "Country Or Region value"
            }
            """;

        public static string ListJson(string? nextLink, params string[] ids)
        {
            string items = string.Join(",", ids.Select(id => TokenJson(id)));
            string next = nextLink is null ? string.Empty : ",\"@odata.nextLink\":" + JsonSerializer.Serialize(nextLink);
            return "{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#deviceAppManagement/vppTokens\",\"value\":[" + items + "]" + next + "}";
        }
    }

    /// <summary>Keeps what the client layer logs, to check it for secrets.</summary>
    internal sealed class RecordingLog : IGraphLog
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public string All => string.Join("\n", Lines);

        public bool IsVerboseEnabled { get; init; } = true;

        public bool IsDebugEnabled { get; init; } = true;

        public void Verbose(string message) => Lines.Enqueue("VERBOSE: " + message);

        public void Debug(string message) => Lines.Enqueue("DEBUG: " + message);

        public void Warning(string message) => Lines.Enqueue("WARNING: " + message);
    }
}
