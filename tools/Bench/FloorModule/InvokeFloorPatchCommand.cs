using System.Management.Automation;

namespace FloorModule
{
    /// <summary>
    /// The cmdlet floor: a compiled cmdlet with Set-IntuneVppToken's two parameters that sends the raw PATCH on the
    /// pipeline thread. What it costs over the raw loop is the inherent cost of being a cmdlet.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "FloorPatch")]
    [OutputType(typeof(void))]
    public sealed class InvokeFloorPatchCommand : PSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        public string Id { get; set; } = string.Empty;

        [Parameter]
        public string CountryOrRegion { get; set; } = "us";

        protected override void ProcessRecord() => RawPatch.Send(Id, RawPatch.Body(CountryOrRegion));
    }
}
