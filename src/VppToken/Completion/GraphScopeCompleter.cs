using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using IntuneVpp.Client.Authentication;

namespace IntuneVpp.Completion
{
    /// <summary>Completes Connect-IntuneVpp -Scopes with the Graph permissions that reach VPP tokens.</summary>
    public sealed class GraphScopeCompleter : IArgumentCompleter
    {
        private static readonly (string Name, string Tip)[] Known =
        {
            (GraphScopes.DefaultDelegated, "Read and change VPP tokens (the default)."),
            ("DeviceManagementServiceConfig.Read.All", "Read VPP tokens only."),
            ("DeviceManagementApps.ReadWrite.All", "Read and change Intune apps, VPP tokens included."),
            ("DeviceManagementApps.Read.All", "Read Intune apps, VPP tokens included."),
        };

        public IEnumerable<CompletionResult> CompleteArgument(
            string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string typed = wordToComplete.Trim('\'', '"');
            return Known
                .Where(scope => scope.Name.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Select(scope => new CompletionResult(scope.Name, scope.Name, CompletionResultType.ParameterValue, scope.Tip));
        }
    }
}
