using System;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using IntuneVpp.Commands;
using IntuneVpp.Client.Authentication;
using IntuneVpp.Client.Graph;
using IntuneVpp.Client.Http;

namespace IntuneVpp.Connections
{
    /// <summary>
    /// Borrows the session of Connect-MgGraph (Microsoft.Graph.Authentication) through its public commands only: that
    /// module keeps its types in a load context of its own on PowerShell 7, and exposes no token property. The token
    /// is read from the Authorization header of a cheap request it sends, and kept until shortly before it expires.
    /// Its commands are run through the cmdlet's <see cref="AsyncPipeline"/>, on the pipeline thread.
    /// </summary>
    internal static class MgGraphSession
    {
        private const string ModuleName = "Microsoft.Graph.Authentication";
        private const string ProbePath = "/v1.0/deviceAppManagement/vppTokens?$top=1";
        private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);
        private static readonly ConditionalWeakTable<Runspace, Slot> Borrowed = new();

        /// <summary>
        /// The runspace's borrowed connection, made or renewed as needed; null when that module is not loaded or not
        /// connected.
        /// </summary>
        public static async Task<IntuneVppConnection?> BorrowAsync(AsyncPipeline pipeline)
        {
            if (pipeline.Runspace is not { } runspace)
            {
                return null;
            }

            Slot slot = Borrowed.GetValue(runspace, _ => new Slot());
            PSObject? context = await GetContextAsync(pipeline).ConfigureAwait(false);
            if (context is null)
            {
                slot.Connection = null;
                return null;
            }

            string key = KeyOf(context);
            if (slot.Connection is { } cached && slot.Key == key && !cached.IsDisconnected)
            {
                await RefreshIfDueAsync(pipeline, cached).ConfigureAwait(false);
                return cached;
            }

            slot.Connection = await ConnectAsync(pipeline, new RetrySettings(), GraphApiVersion.V1, context).ConfigureAwait(false);
            slot.Key = key;
            return slot.Connection;
        }

        /// <summary>A new connection on the Connect-MgGraph session (Connect-IntuneVpp -MgGraphSession).</summary>
        public static async Task<IntuneVppConnection?> ConnectAsync(AsyncPipeline pipeline, RetrySettings retry, string apiVersion) =>
            await GetContextAsync(pipeline).ConfigureAwait(false) is { } context
                ? await ConnectAsync(pipeline, retry, apiVersion, context).ConfigureAwait(false)
                : null;

        /// <summary>Fetches a new token from the session when the one in hand is about to expire.</summary>
        public static async Task RefreshIfDueAsync(AsyncPipeline pipeline, IntuneVppConnection connection)
        {
            if (connection.BorrowedTokens is { } tokens && tokens.ExpiresOn - DateTimeOffset.UtcNow < RefreshMargin)
            {
                await pipeline.WriteVerboseAsync("The token borrowed from the Connect-MgGraph session is about to expire; getting a fresh one from it.").ConfigureAwait(false);
                tokens.Update(await ReadTokenAsync(pipeline).ConfigureAwait(false));
                // The connection's cache holds the old token as long as its provider cannot refresh: drop it.
                connection.Client.ForgetToken();
            }
        }

        private static async Task<IntuneVppConnection> ConnectAsync(AsyncPipeline pipeline, RetrySettings retry, string apiVersion, PSObject context)
        {
            string environment = Property(context, "Environment") ?? "Global";
            Uri graphEndpoint = await GraphEndpointOfAsync(pipeline, environment).ConfigureAwait(false);
            var tokens = new BorrowedTokenProvider(await ReadTokenAsync(pipeline).ConfigureAwait(false));
            var options = new GraphClientOptions(graphEndpoint) { ApiVersion = apiVersion, Retry = retry, UserAgent = UserAgent.Value };
            var client = new GraphClient(options, tokens);
            JwtClaims? claims = JwtClaims.TryRead(tokens.Current.Token);
            var connection = new IntuneVppConnection(client, SignInKind.MgGraphSession.ToString(), GraphCloud.ForGraphHost(graphEndpoint)?.Name ?? environment)
            {
                TenantId = claims?.TenantId ?? Property(context, "TenantId"),
                ClientId = claims?.ClientId ?? Property(context, "ClientId"),
                Permissions = claims?.Permissions.Count > 0 ? claims.Permissions : ScopesOf(context),
                Account = claims?.UserName ?? Property(context, "Account"),
                IsDelegated = claims?.IsDelegated,
                BorrowedTokens = tokens,
            };
            await pipeline.WriteVerboseAsync($"Using the Connect-MgGraph session: tenant {connection.TenantId ?? "(unknown)"}, environment {environment}, {graphEndpoint}; its token is kept until {Client.Diagnostics.ErrorText.Iso(tokens.ExpiresOn)}.").ConfigureAwait(false);
            return connection;
        }

        private static async Task<PSObject?> GetContextAsync(AsyncPipeline pipeline)
        {
            if (!(await pipeline.InvokeScriptAsync($"Get-Module -Name '{ModuleName}'").ConfigureAwait(false)).Any())
            {
                return null;
            }

            return (await pipeline.InvokeScriptAsync($"{ModuleName}\\Get-MgContext").ConfigureAwait(false)).FirstOrDefault(o => o is not null);
        }

        private static async Task<Uri> GraphEndpointOfAsync(AsyncPipeline pipeline, string environment)
        {
            PSObject? found = (await pipeline.InvokeScriptAsync($"{ModuleName}\\Get-MgEnvironment -Name $args[0]", environment).ConfigureAwait(false))
                .FirstOrDefault(o => o is not null);
            string? endpoint = found is null ? null : Property(found, "GraphEndpoint");
            return endpoint is not null && Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? uri)
                ? uri
                : GraphCloud.Find(environment)?.GraphEndpoint ?? GraphCloud.Global.GraphEndpoint;
        }

        private static async Task<string> ReadTokenAsync(AsyncPipeline pipeline)
        {
            // A path relative to the session's own endpoint: given an absolute URL to a custom environment's host,
            // that module has been seen to send no token at all.
            PSObject? response = (await pipeline.InvokeScriptAsync(
                $"{ModuleName}\\Invoke-MgGraphRequest -Method GET -Uri $args[0] -OutputType HttpResponseMessage",
                ProbePath).ConfigureAwait(false)).FirstOrDefault(o => o is not null);
            try
            {
                object? request = response?.Properties["RequestMessage"]?.Value;
                object? headers = request is null ? null : PSObject.AsPSObject(request).Properties["Headers"]?.Value;
                object? authorization = headers is null ? null : PSObject.AsPSObject(headers).Properties["Authorization"]?.Value;
                string? token = authorization is null ? null : PSObject.AsPSObject(authorization).Properties["Parameter"]?.Value as string;
                return string.IsNullOrEmpty(token)
                    ? throw new InvalidOperationException("The Connect-MgGraph session sent its request without a bearer token; run Connect-MgGraph again, or connect with Connect-IntuneVpp.")
                    : token!;
            }
            finally
            {
                (response?.BaseObject as IDisposable)?.Dispose();
            }
        }

        private static string KeyOf(PSObject context) =>
            string.Join("|", Property(context, "TenantId"), Property(context, "ClientId"), Property(context, "Environment"), Property(context, "Account"));

        private static string? Property(PSObject value, string name) => value.Properties[name]?.Value?.ToString();

        private static string[] ScopesOf(PSObject context) =>
            context.Properties["Scopes"]?.Value is object scopes
                ? LanguagePrimitives.GetEnumerable(scopes)?.Cast<object>().Select(s => s.ToString()!).ToArray() ?? Array.Empty<string>()
                : Array.Empty<string>();

        private sealed class Slot
        {
            public IntuneVppConnection? Connection { get; set; }

            public string? Key { get; set; }
        }
    }
}
