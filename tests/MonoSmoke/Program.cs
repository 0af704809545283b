using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security;
using System.Threading;
using IntuneVpp.Client.Authentication;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Graph;
using IntuneVpp.Module;

namespace IntuneVpp.MonoSmoke
{
    /// <summary>
    /// Usage: VppToken.MonoSmoke.exe GRAPH-ENDPOINT RESULT-PATH [--legacy-tls]. Writes what happened as JSON to
    /// RESULT-PATH: the runtime, the import check, the tokens listed, the TLS settings before and after, every
    /// resolver decision and every assembly loaded with its location. Exit code 0 when the Graph call worked, 3 when
    /// the import check failed, 4 when the call failed.
    /// </summary>
    internal static class Program
    {
        public const string AccessToken = "mono-smoke-token";

        private static int Main(string[] args)
        {
            if (args.Length < 2)
            {
                Console.Error.WriteLine("Usage: VppToken.MonoSmoke.exe GRAPH-ENDPOINT RESULT-PATH [--legacy-tls]");
                return 2;
            }

            var endpoint = new Uri(args[0]);
            string resultPath = args[1];
            var result = new JsonWriter();
            var decisions = new List<string>();
            DependencyResolver.Decided += (requested, requester, answer) =>
            {
                lock (decisions)
                {
                    decisions.Add(JsonWriter.Object(("requested", requested), ("requester", requester), ("answer", answer)));
                }
            };

            // Windows PowerShell's default on hosts that were never hardened; the module must add to it, not replace it.
            if (args.Contains("--legacy-tls"))
            {
                ServicePointManager.SecurityProtocol = SecurityProtocolType.Tls;
            }

            result.Add("runtime", RuntimeInformation.FrameworkDescription);
            result.Add("tlsBefore", ServicePointManager.SecurityProtocol.ToString());

            // What DependencyLoader.OnImport does in the module.
            DependencyResolver.Register();
            int exitCode = 0;
            try
            {
                ImportCheck.Run();
                result.Add("importCheck", "passed");
                try
                {
                    result.AddNumber("firstCallTokens", ListTokens(endpoint));
                    result.Add("tlsAfterFirstCall", ServicePointManager.SecurityProtocol.ToString());

                    // Once per process: a setting the host makes afterwards is its own business.
                    ServicePointManager.SecurityProtocol = SecurityProtocolType.Tls;
                    result.AddNumber("secondCallTokens", ListTokens(endpoint));
                    result.Add("tlsAfterReset", ServicePointManager.SecurityProtocol.ToString());
                }
                catch (Exception ex)
                {
                    result.Add("callError", ex.ToString());
                    exitCode = 4;
                }
            }
            catch (DependencyLoadException ex)
            {
                result.Add("importCheck", "failed");
                result.Add("loadError", ex.Message);
                exitCode = 3;
            }

            lock (decisions)
            {
                result.AddRaw("decisions", "[" + string.Join(",", decisions) + "]");
            }

            result.AddRaw("loaded", "[" + string.Join(",", LoadedAssembly.InThisProcess().Select(a =>
                JsonWriter.Object(("name", a.Name), ("version", a.Version), ("location", a.Location)))) + "]");
            File.WriteAllText(resultPath, result.ToString());
            return exitCode;
        }

        // Its own method, never inlined, so that VppToken.Client binds only after the resolver is registered.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int ListTokens(Uri endpoint)
        {
            var token = new SecureString();
            foreach (char c in AccessToken)
            {
                token.AppendChar(c);
            }

            token.MakeReadOnly();
            var options = new GraphClientOptions(endpoint) { UserAgent = "VppToken.MonoSmoke" };
            var client = new GraphClient(options, new StaticTokenProvider(token));
            VppTokenPage page = client.VppTokens.ListAsync(null, NullGraphLog.Instance, CancellationToken.None).GetAwaiter().GetResult();
            return page.Tokens.Count;
        }
    }
}
