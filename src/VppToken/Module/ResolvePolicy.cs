using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace IntuneVpp.Module
{
    /// <summary>
    /// The AssemblyResolve decision, and nothing else: given the name asked for and the file of the assembly that
    /// asked (null when the runtime does not know), the path of our copy to load, or null to let other handlers and
    /// the runtime answer. No loading and no process state here, so every case can be tested as a table.
    /// </summary>
    internal sealed class ResolvePolicy
    {
        private readonly string _moduleAssemblyPath;
        private readonly string _folder;
        private readonly Dictionary<string, AssemblyName> _shipped = new(StringComparer.OrdinalIgnoreCase);
        private readonly bool _isFramework;

        /// <param name="moduleAssemblyPath">VppToken.dll (or, in the smoke harness, the program that stands in for it).</param>
        /// <param name="dependencyFolder">The Dependencies folder beside it.</param>
        /// <param name="shipped">The identity of every dll in that folder.</param>
        /// <param name="isFramework">.NET Framework (one load context, exact versions) rather than .NET (our own load context).</param>
        public ResolvePolicy(string moduleAssemblyPath, string dependencyFolder, IEnumerable<AssemblyName> shipped, bool isFramework)
        {
            _moduleAssemblyPath = Normalize(moduleAssemblyPath);
            _folder = Normalize(dependencyFolder);
            _isFramework = isFramework;
            foreach (AssemblyName name in shipped)
            {
                if (name.Name is { Length: > 0 } simpleName)
                {
                    _shipped[simpleName] = name;
                }
            }
        }

        public string? PathFor(AssemblyName requested, string? requesterPath)
        {
            if (requested.Name is not { Length: > 0 } name || !_shipped.TryGetValue(name, out AssemblyName? ours))
            {
                return null;
            }

            // We ship no satellite assemblies; a resource lookup falls back to the neutral resources inside the dll.
            if (!string.IsNullOrEmpty(requested.CultureName) || !SamePublicKey(requested, ours))
            {
                return null;
            }

            if (requesterPath is null)
            {
                // .NET always names the requester of a reference it cannot bind; only .NET Framework asks anonymously.
                if (!_isFramework || !FrameworkBindings.AnsweredWithoutRequester.Contains(name))
                {
                    return null;
                }
            }
            else if (!IsOurs(requesterPath))
            {
                return null;
            }

            return VersionAccepted(name, requested.Version, ours.Version) ? Path.Combine(_folder, name + ".dll") : null;
        }

        private bool VersionAccepted(string name, Version? requested, Version? shipped)
        {
            if (requested is null || requested == shipped)
            {
                return true;
            }

            // .NET binds a request to the same or a higher version; .NET Framework wants the exact one, so any other
            // version is answered only where the shipped dlls are known to ask for it (FrameworkBindings).
            return _isFramework
                ? FrameworkBindings.IsRequestedAtOtherVersion(name, requested)
                : shipped is not null && requested < shipped;
        }

        private bool IsOurs(string requesterPath)
        {
            if (requesterPath.Length == 0)
            {
                // Loaded from bytes or emitted at run time: not one of our files.
                return false;
            }

            string path = Normalize(requesterPath);
            return string.Equals(path, _moduleAssemblyPath, StringComparison.OrdinalIgnoreCase) ||
                   string.Equals(Normalize(Path.GetDirectoryName(path) ?? string.Empty), _folder, StringComparison.OrdinalIgnoreCase);
        }

        private static bool SamePublicKey(AssemblyName requested, AssemblyName ours)
        {
            byte[]? wanted = requested.GetPublicKeyToken();
            if (wanted is null)
            {
                return true;
            }

            byte[] shipped = ours.GetPublicKeyToken() ?? Array.Empty<byte>();
            if (wanted.Length != shipped.Length)
            {
                return false;
            }

            for (int i = 0; i < wanted.Length; i++)
            {
                if (wanted[i] != shipped[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static string Normalize(string path) =>
            path.Length == 0 ? path : Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
    }
}
