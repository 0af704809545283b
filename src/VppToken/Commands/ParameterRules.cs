using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;
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
        /// <summary>The error for a parameter that has no effect; <paramref name="why"/> completes "-X has no effect ...".</summary>
        public static ErrorRecord NoEffect(string parameter, string why) =>
            ErrorRecords.InvalidArgument("ParameterHasNoEffect", NoEffectMessage(parameter, why), parameter);

        public static string NoEffectMessage(string parameter, string why) => $"-{parameter} has no effect {why}";

        /// <summary>
        /// Parameters that only shape a switch: refused when the switch is not given at all, warned about when it is
        /// given as false (-Wait:$waitForIt).
        /// </summary>
        public static async Task RequireSwitchAsync(
            AsyncPipeline pipeline, IDictionary<string, object> bound, string switchName, bool switchIsOn, IEnumerable<string> parameters, string whatItDoes)
        {
            foreach (string parameter in parameters)
            {
                if (switchIsOn || !bound.ContainsKey(parameter))
                {
                    continue;
                }

                string why = $"without -{switchName}: {whatItDoes}";
                if (bound.ContainsKey(switchName))
                {
                    await pipeline.WriteWarningAsync(NoEffectMessage(parameter, why)).ConfigureAwait(false);
                }
                else
                {
                    throw new TerminatingErrorException(NoEffect(parameter, why));
                }
            }
        }
    }
}
