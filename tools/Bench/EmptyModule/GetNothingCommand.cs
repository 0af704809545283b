using System.Management.Automation;

namespace EmptyModule
{
    /// <summary>Does nothing: the cost of importing a binary module at all.</summary>
    [Cmdlet(VerbsCommon.Get, "Nothing")]
    [OutputType(typeof(void))]
    public sealed class GetNothingCommand : PSCmdlet
    {
    }
}
