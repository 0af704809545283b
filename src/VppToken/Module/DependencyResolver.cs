using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace IntuneVpp.Module
{
    /// <summary>
    /// The AssemblyResolve handler: loads what <see cref="ResolvePolicy"/> answers from the Dependencies folder beside
    /// this assembly, into a load context of the module's own on PowerShell 7, by path on Windows PowerShell 5.1.
    /// Az.Accounts, Microsoft.Graph.Authentication and ExchangeOnlineManagement each bring their own Azure.Identity,
    /// Azure.Core and MSAL; whichever was imported first, each module keeps using the versions it was built with.
    /// No PowerShell types here: the Mono smoke harness (tests/MonoSmoke) compiles this same file.
    /// </summary>
    internal static class DependencyResolver
    {
        private static readonly object Gate = new();
        private static readonly Assembly Self = typeof(DependencyResolver).Assembly;
        private static readonly string SelfFolder = Path.GetDirectoryName(Self.Location) ?? ".";
        private static readonly LoadContextProxy? Context = LoadContextProxy.TryCreate("VppToken");
        private static readonly Lazy<IReadOnlyList<AssemblyName>> Shipped = new(ReadShipped);
        private static readonly Lazy<ResolvePolicy> Policy = new(() => new ResolvePolicy(Self.Location, Folder, Shipped.Value, IsFramework));
        private static readonly object PreloadGate = new();
        private static bool _registered;
        private static bool _preloaded;

        /// <summary>Dependencies/, beside VppToken.dll.</summary>
        public static string Folder => Path.Combine(SelfFolder, "Dependencies");

        /// <summary>True where load contexts do not exist: .NET Framework (Windows PowerShell 5.1) and Mono.</summary>
        public static bool IsFramework => Context is null;

        /// <summary>Each decision, for the smoke harness to report which requests a runtime makes.</summary>
        public static event Action<string, string?, string?>? Decided;

        public static void Register()
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

        public static void Unregister()
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

        /// <summary>The identity of every dll in Dependencies/, by simple name.</summary>
        public static IReadOnlyDictionary<string, Version> ShippedVersions()
        {
            var versions = new Dictionary<string, Version>(StringComparer.OrdinalIgnoreCase);
            foreach (AssemblyName name in Shipped.Value)
            {
                if (name.Name is { } simpleName && name.Version is { } version)
                {
                    versions[simpleName] = version;
                }
            }

            return versions;
        }

        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            AssemblyName wanted;
            try
            {
                wanted = new AssemblyName(args.Name);
            }
            catch (Exception ex) when (ex is ArgumentException or FileLoadException)
            {
                return null;
            }

            string? requester = RequesterPath(args.RequestingAssembly);
            string? path = Policy.Value.PathFor(wanted, requester);
            Decided?.Invoke(args.Name, requester, path);
            if (path is null)
            {
                return null;
            }

            if (Context is null)
            {
                return Assembly.LoadFrom(path);
            }

            PreloadPrivateDependencies(Context);
            return Context.LoadFromPath(path);
        }

        // Null only when the runtime does not say; an assembly loaded from bytes or emitted has a requester but no file.
        private static string? RequesterPath(Assembly? requester)
        {
            if (requester is null)
            {
                return null;
            }

            try
            {
                return requester.IsDynamic ? string.Empty : requester.Location ?? string.Empty;
            }
            catch (NotSupportedException)
            {
                return string.Empty;
            }
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

                foreach (AssemblyName name in Shipped.Value)
                {
                    if (name.Name is { } simpleName && !platform.Contains(simpleName))
                    {
                        context.LoadFromPath(Path.Combine(Folder, simpleName + ".dll"));
                    }
                }
            }
        }

        private static IReadOnlyList<AssemblyName> ReadShipped()
        {
            var names = new List<AssemblyName>();
            if (!Directory.Exists(Folder))
            {
                return names;
            }

            foreach (string file in Directory.GetFiles(Folder, "*.dll"))
            {
                try
                {
                    names.Add(AssemblyName.GetAssemblyName(file));
                }
                catch (Exception ex) when (ex is BadImageFormatException or IOException)
                {
                    // Not an assembly we can offer; a request for it then fails with the runtime's own error.
                }
            }

            return names;
        }
    }
}
