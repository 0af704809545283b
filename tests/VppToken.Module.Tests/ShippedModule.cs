using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace IntuneVpp.Module.Tests
{
    /// <summary>The module folder the build assembled (out/VppToken), read as files: identities and references.</summary>
    internal sealed class ShippedModule
    {
        private ShippedModule(string folder)
        {
            Folder = folder;
            DependencyFolder = Path.Combine(folder, "Dependencies");
            Dlls = Directory.GetFiles(DependencyFolder, "*.dll").Append(Path.Combine(folder, "VppToken.dll")).OrderBy(f => f, StringComparer.Ordinal).ToArray();
            Identities = Dlls.Select(AssemblyName.GetAssemblyName).ToDictionary(n => n.Name!, StringComparer.OrdinalIgnoreCase);
        }

        public string Folder { get; }

        public string DependencyFolder { get; }

        public IReadOnlyList<string> Dlls { get; }

        public IReadOnlyDictionary<string, AssemblyName> Identities { get; }

        /// <summary>out/VppToken of this repository; the build (dotnet pwsh ./build.ps1) makes it before the tests run.</summary>
        public static ShippedModule Load()
        {
            for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "VppToken.psd1")))
                {
                    string module = Path.Combine(folder.FullName, "out", "VppToken");
                    if (!File.Exists(Path.Combine(module, "VppToken.dll")))
                    {
                        throw new InvalidOperationException($"No built module at {module}: run `dotnet pwsh ./build.ps1` first.");
                    }

                    return new ShippedModule(module);
                }
            }

            throw new InvalidOperationException($"No repository (VppToken.psd1) above {AppContext.BaseDirectory}.");
        }

        /// <summary>Every assembly reference of every shipped dll: (referencing file, referenced name and version).</summary>
        public IEnumerable<(string From, string Name, Version Version)> References()
        {
            foreach (string dll in Dlls)
            {
                using FileStream stream = File.OpenRead(dll);
                using var pe = new PEReader(stream);
                MetadataReader metadata = pe.GetMetadataReader();
                foreach (AssemblyReferenceHandle handle in metadata.AssemblyReferences)
                {
                    AssemblyReference reference = metadata.GetAssemblyReference(handle);
                    yield return (Path.GetFileName(dll), metadata.GetString(reference.Name), reference.Version);
                }
            }
        }
    }
}
