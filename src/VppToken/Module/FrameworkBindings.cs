using System;
using System.Collections.Generic;

namespace IntuneVpp.Module
{
    /// <summary>
    /// What Windows PowerShell 5.1 needs answered by hand. powershell.exe has no binding redirects for a module, so a
    /// shipped dll that was compiled against another version of a dependency than the one in Dependencies/ finds no
    /// match, and only the AssemblyResolve handler can hand it ours. PowerShell 7 binds a request to any version at
    /// or above it and needs none of this.
    /// </summary>
    internal static class FrameworkBindings
    {
        /// <summary>
        /// Every reference of a shipped dll to a shipped assembly at another version than the one shipped, read from
        /// the dlls themselves. The module tests compare this list with the real references of out/VppToken and fail
        /// on a mismatch it does not cover and on an entry that no longer occurs; update it with the package versions.
        /// </summary>
        public static readonly IReadOnlyList<VersionMismatch> RequestedAtOtherVersions = new[]
        {
            // Azure.Identity 1.21 was built against Azure.Core 1.53.
            new VersionMismatch("Azure.Core", "1.53.0.0", "1.65.0.0"),
            // Azure.Core and System.ClientModel were built against the 10.0.10 patch; we ship 10.0.15.
            new VersionMismatch("Microsoft.Bcl.AsyncInterfaces", "10.0.0.10", "10.0.0.15"),
            new VersionMismatch("System.Memory.Data", "10.0.0.10", "10.0.0.15"),
            // Microsoft.Extensions.Options.
            new VersionMismatch("System.ComponentModel.Annotations", "4.2.0.0", "4.2.1.0"),
            // MSAL 4.92 was built against the 6.0 and 8.0 packages and the older System.Memory.
            new VersionMismatch("System.Diagnostics.DiagnosticSource", "6.0.0.0", "10.0.0.0"),
            new VersionMismatch("System.Formats.Asn1", "8.0.0.0", "10.0.0.0"),
            new VersionMismatch("System.Memory", "4.0.1.2", "4.0.2.0"),
            new VersionMismatch("System.Text.Encodings.Web", "6.0.0.0", "10.0.0.0"),
            new VersionMismatch("System.Text.Json", "6.0.0.0", "10.0.0.0"),
            // MSAL's token cache extension.
            new VersionMismatch("System.Security.Cryptography.ProtectedData", "4.0.3.0", "10.0.0.0"),
        };

        /// <summary>
        /// The names answered when .NET Framework cannot tell which assembly asked, which happens while a
        /// netstandard2.0 dependency graph binds. Only the runtime's own packages that the graph's plumbing uses (the
        /// set PSResourceGet found it must answer this way on 5.1, and the newer members of the same family), and
        /// only at the version shipped or at a version listed above, so another module that asks for some other
        /// version never gets ours. Never Azure.*, MSAL, Microsoft.Extensions.* or VppToken.Client: another module's
        /// Assembly.Load of those must get its own copy.
        /// </summary>
        public static readonly ISet<string> AnsweredWithoutRequester = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Microsoft.Bcl.AsyncInterfaces",
            "System.Buffers",
            "System.ClientModel",
            "System.Diagnostics.DiagnosticSource",
            "System.Formats.Asn1",
            "System.IO.Pipelines",
            "System.Memory",
            "System.Memory.Data",
            "System.Numerics.Vectors",
            "System.Runtime.CompilerServices.Unsafe",
            "System.Security.Cryptography.ProtectedData",
            "System.Text.Encodings.Web",
            "System.Text.Json",
            "System.Threading.Tasks.Extensions",
        };

        public static bool IsRequestedAtOtherVersion(string name, Version requested)
        {
            foreach (VersionMismatch mismatch in RequestedAtOtherVersions)
            {
                if (string.Equals(mismatch.Name, name, StringComparison.OrdinalIgnoreCase) && mismatch.Requested == requested)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>A shipped assembly that a shipped dll asks for at another version.</summary>
    internal sealed class VersionMismatch
    {
        public VersionMismatch(string name, string requested, string shipped)
        {
            Name = name;
            Requested = Version.Parse(requested);
            Shipped = Version.Parse(shipped);
        }

        public string Name { get; }

        public Version Requested { get; }

        public Version Shipped { get; }

        public override string ToString() => $"{Name} {Requested} (shipped {Shipped})";
    }
}
