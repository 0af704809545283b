using System;
using System.Collections.Concurrent;
using System.IO;
using System.Reflection;

namespace IntuneVpp.Module
{
    /// <summary>
    /// A System.Runtime.Loader.AssemblyLoadContext reached by reflection: the module targets netstandard2.0 so that it
    /// loads in Windows PowerShell 5.1, where the type does not exist.
    /// </summary>
    internal sealed class LoadContextProxy
    {
        private readonly object _context;
        private readonly MethodInfo _loadFromPath;
        private readonly MethodInfo _getContext;
        private readonly ConcurrentDictionary<string, Assembly> _loaded = new(StringComparer.OrdinalIgnoreCase);

        private LoadContextProxy(object context, MethodInfo loadFromPath, MethodInfo getContext)
        {
            _context = context;
            _loadFromPath = loadFromPath;
            _getContext = getContext;
        }

        /// <summary>Returns null where load contexts do not exist (.NET Framework).</summary>
        public static LoadContextProxy? TryCreate(string name)
        {
            Type? type = typeof(object).Assembly.GetType("System.Runtime.Loader.AssemblyLoadContext");
            ConstructorInfo? constructor = type?.GetConstructor(new[] { typeof(string), typeof(bool) });
            MethodInfo? loadFromPath = type?.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) });
            MethodInfo? getContext = type?.GetMethod("GetLoadContext", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(Assembly) }, null);
            if (constructor is null || loadFromPath is null || getContext is null)
            {
                return null;
            }

            return new LoadContextProxy(constructor.Invoke(new object[] { name, false }), loadFromPath, getContext);
        }

        /// <summary>Loads a file once; later requests for it (another requester, a re-import) get the same assembly.</summary>
        public Assembly LoadFromPath(string path) =>
            _loaded.GetOrAdd(Path.GetFullPath(path), full => (Assembly)_loadFromPath.Invoke(_context, new object[] { full })!);

        public bool Owns(Assembly assembly) => ReferenceEquals(_getContext.Invoke(null, new object[] { assembly }), _context);
    }
}
