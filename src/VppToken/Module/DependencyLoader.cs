using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace IntuneVpp.Module
{
    /// <summary>
    /// Loads the module's dependencies from its Dependencies folder, away from other modules' copies: into a load
    /// context of the module's own on PowerShell 7, by path on Windows PowerShell 5.1. Az.Accounts,
    /// Microsoft.Graph.Authentication and ExchangeOnlineManagement each bring their own Azure.Identity, Azure.Core and
    /// MSAL; whichever was imported first, each module keeps using the versions it was built with.
    /// </summary>
    public sealed class DependencyLoader : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        // powershell.exe has no binding redirects, so these are loaded whatever version is asked for: Azure.Core and
        // System.Text.Json ask for different versions of the same family.
        private static readonly HashSet<string> AnyVersionOnFramework = new(StringComparer.OrdinalIgnoreCase)
        {
            "System.Buffers", "System.Memory", "System.Memory.Data", "System.Numerics.Vectors",
            "System.Runtime.CompilerServices.Unsafe", "System.Text.Json", "System.Text.Encodings.Web",
            "System.Threading.Tasks.Extensions", "System.Diagnostics.DiagnosticSource", "Microsoft.Bcl.AsyncInterfaces",
            "System.ClientModel",
        };

        private static readonly object Gate = new();
        private static readonly Assembly Self = typeof(DependencyLoader).Assembly;
        private static readonly string Folder = Path.Combine(Path.GetDirectoryName(Self.Location) ?? ".", "Dependencies");
        private static readonly HashSet<string> Available = ListAvailable();
        private static readonly LoadContextProxy? Context = LoadContextProxy.TryCreate("VppToken");
        private static bool _registered;

        public void OnImport() => Register();

        public void OnRemove(PSModuleInfo psModuleInfo) => Unregister();

        internal static void Register()
        {
            lock (Gate)
            {
                if (!_registered)
                {
                    AppDomain.CurrentDomain.AssemblyResolve += Resolve;
                    _registered = true;
                }
            }
        }

        internal static void Unregister()
        {
            lock (Gate)
            {
                if (_registered)
                {
                    AppDomain.CurrentDomain.AssemblyResolve -= Resolve;
                    _registered = false;
                }
            }
        }

        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            var wanted = new AssemblyName(args.Name);
            if (wanted.Name is null || !Available.Contains(wanted.Name))
            {
                return null;
            }

            string path = Path.Combine(Folder, wanted.Name + ".dll");
            if (Context is null)
            {
                // Windows PowerShell: one load context for everyone, so load by path what is asked for by us, by our
                // dependencies, or (the requester is often unknown there) by the framework family's name.
                return args.RequestingAssembly is null || IsOurs(args.RequestingAssembly) || AnyVersionOnFramework.Contains(wanted.Name)
                    ? Assembly.LoadFrom(path)
                    : null;
            }

            // PowerShell 7: answer only for the module and for what already lives in its load context, so another
            // module asking for its own Azure.Core never gets ours.
            return args.RequestingAssembly is { } requester && IsOurs(requester)
                ? Context.LoadFromPath(path)
                : null;
        }

        private static bool IsOurs(Assembly requester) =>
            requester == Self || (Context is not null && Context.Owns(requester)) ||
            (Context is null && requester.Location is { Length: > 0 } location &&
             string.Equals(Path.GetDirectoryName(location), Folder, StringComparison.OrdinalIgnoreCase));

        private static HashSet<string> ListAvailable()
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (Directory.Exists(Folder))
            {
                foreach (string file in Directory.GetFiles(Folder, "*.dll"))
                {
                    names.Add(Path.GetFileNameWithoutExtension(file));
                }
            }

            return names;
        }
    }
}
