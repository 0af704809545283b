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
        private static readonly object PreloadGate = new();
        private static bool _registered;
        private static bool _preloaded;

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
            if (args.RequestingAssembly is not { } requester || !IsOurs(requester))
            {
                return null;
            }

            PreloadPrivateDependencies(Context);
            return Context.LoadFromPath(path);
        }

        // The context is a plain AssemblyLoadContext (netstandard2.0 cannot derive from it to override Load), so a name
        // it has not loaded yet is looked up in the default context before this handler is asked. If another module put
        // the same or a newer Azure.Core there (a newer Az.Accounts, Microsoft.Graph.Authentication), our client binds
        // to that copy, and then fails to find System.Memory.Data, which only our context has. A name the context has
        // already loaded is never looked up elsewhere, so every dependency the runtime does not provide is loaded
        // before our client's code first binds. The runtime's own assemblies (System.Memory, System.Text.Json and
        // the rest of the trusted platform list) stay shared: a second copy of those would split their types.
        private static void PreloadPrivateDependencies(LoadContextProxy context)
        {
            lock (PreloadGate)
            {
                if (_preloaded)
                {
                    return;
                }

                _preloaded = true;
                if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is not string platformList)
                {
                    return;
                }

                var platform = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (string file in platformList.Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries))
                {
                    platform.Add(Path.GetFileNameWithoutExtension(file));
                }

                foreach (string name in Available)
                {
                    if (!platform.Contains(name))
                    {
                        context.LoadFromPath(Path.Combine(Folder, name + ".dll"));
                    }
                }
            }
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
