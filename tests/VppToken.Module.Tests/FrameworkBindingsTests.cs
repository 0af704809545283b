using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace IntuneVpp.Module.Tests
{
    /// <summary>
    /// The list of assemblies requested at other versions than shipped, checked against the real references of the
    /// dlls in out/VppToken: a package update that adds a mismatch, or removes one, fails here and not on a Windows
    /// PowerShell 5.1 user's machine.
    /// </summary>
    public sealed class FrameworkBindingsTests
    {
        private readonly ShippedModule _module = ShippedModule.Load();

        [Fact]
        public void Lists_every_reference_to_a_shipped_assembly_at_another_version()
        {
            List<string> uncovered = RealMismatches()
                .Where(m => !FrameworkBindings.IsRequestedAtOtherVersion(m.Name, m.Requested))
                .Select(m => $"{m.Name} {m.Requested} (shipped {m.Shipped}), asked by {string.Join(", ", m.From)}")
                .ToList();

            Assert.True(uncovered.Count == 0,
                "Shipped dlls ask for these at another version than shipped, and FrameworkBindings.RequestedAtOtherVersions " +
                "does not list them, so Windows PowerShell 5.1 could not load them: " + string.Join("; ", uncovered));
        }

        [Fact]
        public void Lists_nothing_that_no_shipped_dll_asks_for()
        {
            var real = new HashSet<string>(RealMismatches().Select(m => Key(m.Name, m.Requested)), StringComparer.OrdinalIgnoreCase);

            List<string> stale = FrameworkBindings.RequestedAtOtherVersions
                .Where(listed => !real.Contains(Key(listed.Name, listed.Requested)))
                .Select(listed => listed.ToString())
                .ToList();

            Assert.True(stale.Count == 0, "FrameworkBindings.RequestedAtOtherVersions lists requests no shipped dll makes: " + string.Join("; ", stale));
        }

        [Fact]
        public void States_the_versions_that_are_shipped()
        {
            List<string> wrong = FrameworkBindings.RequestedAtOtherVersions
                .Where(listed => !_module.Identities.TryGetValue(listed.Name, out var shipped) || shipped.Version != listed.Shipped)
                .Select(listed => $"{listed} but out/VppToken has {(_module.Identities.TryGetValue(listed.Name, out var shipped) ? shipped.Version?.ToString() : "no such dll")}")
                .ToList();

            Assert.True(wrong.Count == 0, string.Join("; ", wrong));
        }

        [Fact]
        public void Answers_without_a_requester_only_names_that_are_shipped()
        {
            List<string> missing = FrameworkBindings.AnsweredWithoutRequester.Where(name => !_module.Identities.ContainsKey(name)).ToList();

            Assert.True(missing.Count == 0, "Not in Dependencies: " + string.Join(", ", missing));
        }

        [Fact]
        public void Reads_references_from_the_real_dlls()
        {
            // Without this the checks above would also pass on a folder they failed to read.
            Assert.Contains(_module.References(), r => r.From == "Azure.Identity.dll" && r.Name == "Azure.Core");
            Assert.True(_module.Identities.Count > 20, $"only {_module.Identities.Count} dlls in {_module.DependencyFolder}");
        }

        private IEnumerable<(string Name, Version Requested, Version Shipped, string[] From)> RealMismatches() =>
            _module.References()
                .Where(r => _module.Identities.TryGetValue(r.Name, out var shipped) && shipped.Version != r.Version)
                .GroupBy(r => Key(r.Name, r.Version), StringComparer.OrdinalIgnoreCase)
                .Select(g => (g.First().Name, g.First().Version, _module.Identities[g.First().Name].Version!, g.Select(r => r.From).ToArray()));

        private static string Key(string name, Version version) => $"{name}/{version}";
    }
}
