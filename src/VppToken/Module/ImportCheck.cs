using System;
using System.Runtime.CompilerServices;
using IntuneVpp.Client.Diagnostics;

namespace IntuneVpp.Module
{
    /// <summary>
    /// On .NET Framework, loads the client's most fragile types at import, so that another module's copy of one of
    /// our dependencies fails Import-Module with one clear error rather than the first call with a TypeLoadException.
    /// PowerShell 7 keeps our dependencies in a load context of their own, where that cannot happen, so it skips the
    /// check and keeps its import as light as before.
    /// </summary>
    internal static class ImportCheck
    {
        public static void Run()
        {
            if (!DependencyResolver.IsFramework)
            {
                return;
            }

            try
            {
                TouchClient();
            }
            catch (Exception ex) when (LoadFailure.Find(ex) is { } failure)
            {
                throw DependencyLoadException.From(failure, out _);
            }
        }

        // Its own method, never inlined: the JIT binds a method's references before it runs, and these must bind only
        // after the resolver is registered and inside the try above.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void TouchClient() => DependencyCheck.Run();
    }
}
