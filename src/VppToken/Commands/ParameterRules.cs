using System.Collections.Generic;
using System.Management.Automation;
using IntuneVpp.Errors;

namespace IntuneVpp.Commands
{
    /// <summary>
    /// A parameter that does nothing in the combination given is never silently ignored: it is refused before
    /// anything is sent, or, where a reasonable script could give it on purpose (a switch toggled by a variable,
    /// settings splatted to several cmdlets), warned about.
    /// </summary>
    internal static class ParameterRules
    {
        public static bool IsBound(PSCmdlet cmdlet, string parameter) => cmdlet.MyInvocation.BoundParameters.ContainsKey(parameter);

        /// <summary>The error for a parameter that has no effect; <paramref name="why"/> completes "-X has no effect ...".</summary>
        public static ErrorRecord NoEffect(string parameter, string why) =>
            ErrorRecords.InvalidArgument("ParameterHasNoEffect", NoEffectMessage(parameter, why), parameter);

        public static string NoEffectMessage(string parameter, string why) => $"-{parameter} has no effect {why}";

        /// <summary>
        /// Parameters that only shape a switch: refused when the switch is not given at all, warned about when it is
        /// given as false (-Wait:$waitForIt).
        /// </summary>
        public static void RequireSwitch(PSCmdlet cmdlet, string switchName, bool switchIsOn, IEnumerable<string> parameters, string whatItDoes)
        {
            foreach (string parameter in parameters)
            {
                if (switchIsOn || !IsBound(cmdlet, parameter))
                {
                    continue;
                }

                string why = $"without -{switchName}: {whatItDoes}";
                if (IsBound(cmdlet, switchName))
                {
                    cmdlet.WriteWarning(NoEffectMessage(parameter, why));
                }
                else
                {
                    cmdlet.ThrowTerminatingError(NoEffect(parameter, why));
                }
            }
        }
    }
}
