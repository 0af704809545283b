using System;
using System.Management.Automation;
using IntuneVpp.Client.Diagnostics;

namespace IntuneVpp.Commands.Binding
{
    /// <summary>
    /// Lets a [bool] parameter take the text 'true' or 'false' in any case, what an Import-Csv cell holds, besides
    /// $true, $false and the numbers PowerShell itself accepts. Any other text is refused with a message that names it.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property)]
    internal sealed class BooleanTextAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            if ((inputData is PSObject wrapped ? wrapped.BaseObject : inputData) is not string text)
            {
                return inputData;
            }

            switch (text.Trim().ToLowerInvariant())
            {
                case "true":
                case "1":
                    return true;
                case "false":
                case "0":
                    return false;
                default:
                    throw new ArgumentTransformationMetadataException(
                        $"'{ErrorText.Printable(text)}' is neither true nor false. Give $true or $false, or the text 'true' or 'false' (in any case), as a CSV cell holds it.");
            }
        }
    }
}
