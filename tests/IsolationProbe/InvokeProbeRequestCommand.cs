using System;
using System.Management.Automation;
using System.Threading;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace IsolationProbe
{
    /// <summary>
    /// Sends one GET through an Azure.Core pipeline whose token comes through Azure.Identity, and tells which
    /// Azure.Core, Azure.Identity and MSAL it ran with. The versions also go on the wire in a header, so a test can
    /// check what reached the emulator.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "ProbeRequest")]
    [OutputType(typeof(ProbeResult))]
    public sealed class InvokeProbeRequestCommand : PSCmdlet, IDisposable
    {
        private const string GraphScope = "https://graph.microsoft.com/.default";

        private readonly CancellationTokenSource _stopping = new();

        #region Parameters

        /// <summary>The emulator's base address; the probe asks for v1.0/deviceAppManagement/vppTokens under it.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public Uri Uri { get; set; } = null!;

        #endregion

        protected override void ProcessRecord()
        {
            // ClientSecretCredential is only built, never asked: building it is enough to load MSAL, and the chain
            // stops at the fixed token before it. ChainedTokenCredential is Azure.Identity code on the call path.
            TokenCredential credential = new ChainedTokenCredential(
                new FixedTokenCredential("isolation-probe-token"),
                new ClientSecretCredential("00000000-0000-0000-0000-000000000001", "isolation-probe", "not-a-secret"));

            ProbeResult versions = ProbeResult.FromLoadedAssemblies();
            HttpPipeline pipeline = HttpPipelineBuilder.Build(
                new ProbeClientOptions(),
                new ProbeAuthorizationPolicy(credential, GraphScope),
                new ProbeHeaderPolicy(versions.Header));

            using HttpMessage message = pipeline.CreateMessage();
            message.Request.Method = RequestMethod.Get;
            message.Request.Uri.Reset(new Uri(Uri, "v1.0/deviceAppManagement/vppTokens"));
            pipeline.Send(message, _stopping.Token);

            WriteObject(versions.WithResponse(message.Request.Uri.ToUri(), message.Response.Status));
        }

        protected override void StopProcessing() => _stopping.Cancel();

        public void Dispose() => _stopping.Dispose();
    }
}
