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

        public static IntuneVppConnection? Current
        {
            get => Runspace.DefaultRunspace is { } runspace && Slots.TryGetValue(runspace, out Slot? slot) ? slot.Connection : null;
            set
            {
                if (Runspace.DefaultRunspace is { } runspace)
                {
                    Slots.GetValue(runspace, _ => new Slot()).Connection = value;
                }
            }
        }

        private sealed class Slot
        {
            public IntuneVppConnection? Connection { get; set; }
        }
    }
}
