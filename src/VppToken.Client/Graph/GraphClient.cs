using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using IntuneVpp.Client.Authentication;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Http;

namespace IntuneVpp.Client.Graph
{
    /// <summary>
    /// One connection's way to Graph: an Azure.Core pipeline (our retry, pacing and authorization policies, per-try
    /// timeouts, response buffering) over the process-wide HttpClient. Safe to share between threads.
    /// </summary>
    public sealed class GraphClient
    {
        private const string UnreachableHint =
            "Graph could not be reached at all: check the network, a proxy or firewall, and the connection's Graph endpoint, then run the command again.";

        private readonly HttpPipeline _pipeline;
        private readonly AccessTokenCache _tokens;

        public GraphClient(GraphClientOptions options, ITokenProvider tokenProvider)
        {
            Options = options;
            // A provider that signs in itself (client secret, assertions) already knows secrets; they are the connection's.
            Secrets = (tokenProvider as ISecretHolder)?.Secrets ?? new SentSecrets();
            _tokens = new AccessTokenCache(tokenProvider, Secrets);

            var clientOptions = new PipelineOptions
            {
                Transport = SharedHttpClient.Transport,
                RetryPolicy = new GraphRetryPolicy(options.Retry),
            };
            clientOptions.Retry.NetworkTimeout = options.Retry.NetworkTimeout;
            clientOptions.Diagnostics.IsLoggingEnabled = false;
            clientOptions.Diagnostics.IsTelemetryEnabled = false;
            clientOptions.Diagnostics.IsDistributedTracingEnabled = false;
            clientOptions.Diagnostics.ApplicationId = null;

            var pipelineOptions = new HttpPipelineOptions(clientOptions);
            if (options.Retry.WriteLimit > 0)
            {
                pipelineOptions.PerRetryPolicies.Add(new WritePacer(options.Retry.WriteLimit, options.Retry.WriteWindow));
            }

            pipelineOptions.PerRetryPolicies.Add(new GraphAuthorizationPolicy(_tokens, options.GraphEndpoint));
            _pipeline = HttpPipelineBuilder.Build(pipelineOptions);
            VppTokens = new VppTokenService(this);
        }

        public GraphClientOptions Options { get; }

        public VppTokenService VppTokens { get; }

        /// <summary>Every secret this connection has sent or received; whatever it writes is masked against them.</summary>
        public SentSecrets Secrets { get; }

        /// <summary>When the token in hand expires, if one has been fetched.</summary>
        public DateTimeOffset? TokenExpiresOn => _tokens.ExpiresOn;

        /// <summary>Fetches a token now, so sign-in problems surface at connect time rather than at the first call.</summary>
        public async Task<JwtClaims?> SignInAsync(IGraphLog log, CancellationToken cancellationToken)
        {
            string token = await _tokens.GetTokenAsync(forceRefresh: false, log, cancellationToken).ConfigureAwait(false);
            return JwtClaims.TryRead(token);
        }

        /// <summary>Forgets the token in memory.</summary>
        public void ForgetToken() => _tokens.Forget();

        /// <summary>The URL of a path under the connection's API version.</summary>
        internal Uri UriFor(string relativePath, string? query = null, string? apiVersion = null)
        {
            var builder = new UriBuilder(new Uri(Options.GraphEndpoint, (apiVersion ?? Options.ApiVersion) + "/" + relativePath));
            if (!string.IsNullOrEmpty(query))
            {
                builder.Query = query;
            }

            return builder.Uri;
        }

        internal async Task<GraphResponse> SendAsync(
            RequestMethod method, Uri uri, byte[]? body, bool isWrite, bool replayable, IGraphLog log, CancellationToken cancellationToken)
        {
            // Taken before the log is wrapped for masking: the caller's waits and reachability go with its requests.
            var caller = log as GraphCaller;
            log = Secrets.Guard(log);
            string request = Clean($"{method} {uri.PathAndQuery}", GraphErrors.ShortLength * 5);
            if (!GraphAuthorizationPolicy.IsSameOrigin(uri, Options.GraphEndpoint))
            {
                throw new GraphException(GraphErrorKind.UntrustedHost,
                    Clean($"Refusing to send {method} to {uri.GetLeftPart(UriPartial.Authority)}: the connection's token goes only to its Graph endpoint {Options.GraphEndpoint.GetLeftPart(UriPartial.Authority)}."))
                {
                    Request = request,
                };
            }

            bool probe = false;
            using HttpMessage message = _pipeline.CreateMessage();
            Request httpRequest = message.Request;
            httpRequest.Method = method;
            httpRequest.Uri.Reset(uri);
            string clientRequestId = Guid.NewGuid().ToString();
            httpRequest.ClientRequestId = clientRequestId;
            httpRequest.Headers.SetValue("client-request-id", clientRequestId);
            httpRequest.Headers.SetValue(HttpHeader.Names.Accept, "application/json");
            httpRequest.Headers.SetValue(HttpHeader.Names.UserAgent, Options.UserAgent);
            if (body is not null)
            {
                httpRequest.Content = RequestContent.Create(body);
                httpRequest.Headers.SetValue(HttpHeader.Names.ContentType, "application/json");
            }

            Outage? outage = caller?.Reachability.Admit(Options.Retry.ProbeInterval, DateTimeOffset.UtcNow, out probe);
            if (outage is not null)
            {
                log.Verbose($"{request} not sent: Graph was out of reach for an earlier request ({outage.Cause}).");
                throw Unreachable(request, outage);
            }

            var call = new GraphCall(log, isWrite, replayable) { Waits = caller?.Waits, IsProbe = probe, Request = request };
            call.AttachTo(message);
            if (body is not null)
            {
                // Known from here on, so that an echo in this answer or any later one is masked.
                Secrets.AddRange(Redaction.SecretValues(body));
            }

            // Nobody sees these lines in a plain run: skip making them, the bodies' redaction most of all.
            if (log.IsVerboseEnabled)
            {
                log.Verbose($"{request} (client-request-id {clientRequestId})" + (probe ? "; a single try, to see whether Graph can be reached again." : string.Empty));
            }

            if (body is not null && log.IsDebugEnabled)
            {
                log.Debug("Request body: " + Redaction.RedactJson(body, Secrets));
            }

            Stopwatch elapsed = Stopwatch.StartNew();
            try
            {
                await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
                caller?.Reachability.Answered();
            }
            catch (GraphTransportException ex)
            {
                caller?.Reachability.Failed(probe, ex.IsConnectionFailure, ex.Message, ex.Attempts, DateTimeOffset.UtcNow);
                throw new GraphException(GraphErrorKind.NoAnswer, Clean($"{request} got no answer from Graph after {ex.Attempts} {(ex.Attempts == 1 ? "try" : "tries")}: {ex.Message.TrimEnd('.')}."), ex)
                {
                    ClientRequestId = clientRequestId,
                    Request = request,
                    Attempts = ex.Attempts,
                    Hint = ex.IsConnectionFailure ? UnreachableHint : replayable ? null : GraphErrors.MayHaveBeenApplied,
                };
            }
            catch (UntrustedHostException ex)
            {
                throw new GraphException(GraphErrorKind.UntrustedHost, Clean(ex.Message)) { ClientRequestId = clientRequestId, Request = request };
            }
            finally
            {
                // A probe that a stop (or anything else) cut short leaves the next request free to probe.
                if (probe)
                {
                    caller?.Reachability.ProbeAbandoned();
                }
            }

            Response response = message.Response;
            var answer = new GraphResponse(response.Status, response.ReasonPhrase ?? string.Empty, response.Content.ToArray())
            {
                ContentType = Header(response, "Content-Type"),
                RequestId = Header(response, "request-id"),
                ClientRequestId = Header(response, "client-request-id") ?? clientRequestId,
                Date = Header(response, "Date"),
                Location = Header(response, "Location"),
            };
            if (log.IsVerboseEnabled)
            {
                log.Verbose($"{answer.Status} {Clean(answer.ReasonPhrase, GraphErrors.ShortLength)} in {elapsed.ElapsedMilliseconds} ms (request-id {Clean(answer.RequestId ?? "none", GraphErrors.ShortLength)})");
            }

            if (answer.Body.Length > 0 && log.IsDebugEnabled)
            {
                log.Debug("Response body: " + Redaction.RedactJson(answer.Body, Secrets));
            }

            if (answer.Status >= 300)
            {
                bool? delegated = answer.Status == 403 && _tokens.Current is { } current ? JwtClaims.TryRead(current.Token)?.IsDelegated : null;
                throw GraphErrors.FromResponse(answer, request, isWrite, replayable, Math.Max(call.Attempts, 1), call.StopReason, Secrets, delegated);
            }

            return answer;
        }

        private GraphException Unreachable(string request, Outage outage) =>
            new(GraphErrorKind.Unreachable,
                Clean($"{request} was not sent: this command could not reach Graph a moment before ({outage.Cause.TrimEnd('.')}; " +
                      $"{outage.Attempts} {(outage.Attempts == 1 ? "try" : "tries")}, the last at {outage.LastTried.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}), so the rest of its requests fail at once."))
            {
                Request = request,
                Hint = "Nothing was changed for it. " + UnreachableHint,
            };

        /// <summary>Text for an error or a log line: the connection's secrets masked, then cut to a readable size.</summary>
        internal string Clean(string text, int maxLength = Diagnostics.ErrorText.DefaultMaxLength) =>
            Diagnostics.ErrorText.Cut(Secrets.Mask(text), maxLength);

        private static string? Header(Response response, string name) =>
            response.Headers.TryGetValue(name, out string? value) ? value : null;

        private sealed class PipelineOptions : ClientOptions
        {
        }
    }
}
