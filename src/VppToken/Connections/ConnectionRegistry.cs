using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace IntuneVpp.Connections
{
    /// <summary>
    /// Each runspace's current connection. Keyed by the runspace, not held in a process-wide static, so that
    /// ForEach-Object -Parallel runspaces each keep their own default and never overwrite another's tenant.
    /// </summary>
    internal static class ConnectionRegistry
    {
        private static readonly ConditionalWeakTable<Runspace, Slot> Slots = new();

        /// <summary>The current connection of the runspace the caller runs on (the pipeline thread's).</summary>
        public static IntuneVppConnection? Current
        {
            get => For(Runspace.DefaultRunspace);
            set => Set(Runspace.DefaultRunspace, value);
        }

        /// <summary>The current connection of <paramref name="runspace"/>, from whatever thread asks.</summary>
        public static IntuneVppConnection? For(Runspace? runspace) =>
            runspace is not null && Slots.TryGetValue(runspace, out Slot? slot) ? slot.Connection : null;

        public static void Set(Runspace? runspace, IntuneVppConnection? connection)
        {
            if (runspace is not null)
            {
                Slots.GetValue(runspace, _ => new Slot()).Connection = connection;
            }
        }

        private sealed class Slot
        {
            public IntuneVppConnection? Connection { get; set; }
        }
    }
}
