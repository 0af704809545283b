using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace IntuneVpp.Commands
{
    /// <summary>
    /// Which of a cmdlet's verbose and debug lines anyone will see, worked out once on the pipeline thread as
    /// PowerShell itself decides: a -Verbose or -Debug given wins; otherwise $VerbosePreference and $DebugPreference as
    /// the caller's scope sees them (a compiled cmdlet runs in its caller's session state). SilentlyContinue and
    /// Ignore drop the line unseen, even from a redirection or a transcript, so a line nobody sees need not be made.
    /// </summary>
    internal readonly struct LogPreferences
    {
        private LogPreferences(bool showsVerbose, bool showsDebug, bool verboseAsDebug)
        {
            ShowsVerbose = showsVerbose;
            ShowsDebug = showsDebug;
            VerboseAsDebug = verboseAsDebug;
        }

        public bool ShowsVerbose { get; }

        public bool ShowsDebug { get; }

        /// <summary>
        /// -Debug without -Verbose: verbose lines go to the debug stream (see AsyncPipeline.WriteVerboseAsync), so they
        /// are seen too.
        /// </summary>
        public bool VerboseAsDebug { get; }

        public static LogPreferences Of(IDictionary<string, object> boundParameters, Func<string, object?> variable)
        {
            bool? verbose = Given(boundParameters, "Verbose");
            bool? debug = Given(boundParameters, "Debug");
            bool verboseAsDebug = debug == true && verbose is null;
            bool showsDebug = debug ?? Shows(variable("DebugPreference"));
            bool showsVerbose = verboseAsDebug || (verbose ?? Shows(variable("VerbosePreference")));
            return new LogPreferences(showsVerbose, showsDebug, verboseAsDebug);
        }

        private static bool? Given(IDictionary<string, object> boundParameters, string name) =>
            boundParameters.TryGetValue(name, out object? value)
                ? value is SwitchParameter switchParameter ? switchParameter.IsPresent : LanguagePrimitives.IsTrue(value)
                : null;

        // A value PowerShell would not take as a preference ('Contnue') is taken as shown: better a line too many.
        private static bool Shows(object? preference) =>
            !LanguagePrimitives.TryConvertTo(preference, out ActionPreference action) ||
            (action != ActionPreference.SilentlyContinue && action != ActionPreference.Ignore);
    }
}
