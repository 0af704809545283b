using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using Xunit;

namespace IntuneVpp.Module.Tests
{
    /// <summary>The AssemblyResolve decision, case by case, on both runtimes it serves.</summary>
    public sealed class ResolvePolicyTests
    {
        private const string Microsoft = "cc7b13ffcd2ddd51";
        private const string Azure = "92742159e12e44c8";
        private const string Msal = "0a613f4dd989e8ae";
        private const string Extensions = "adb9793829ddae60";

        private static readonly string ModuleBase = Path.Combine(Path.GetTempPath(), "policy-tests", "VppToken");
        private static readonly string Dependencies = Path.Combine(ModuleBase, "Dependencies");
        private static readonly string ModuleDll = Path.Combine(ModuleBase, "VppToken.dll");
        private static readonly string OtherModule = Path.Combine(Path.GetTempPath(), "policy-tests", "Az.Accounts", "Az.Accounts.dll");

        // A Dependencies folder shaped like the shipped one (names, versions and keys of out/VppToken today).
        private static readonly AssemblyName[] Shipped =
        {
            Name("Azure.Core", "1.65.0.0", Azure),
            Name("Azure.Identity", "1.21.0.0", Azure),
            Name("Microsoft.Identity.Client", "4.92.0.0", Msal),
            Name("Microsoft.Extensions.Options", "10.0.0.0", Extensions),
            Name("Microsoft.Bcl.AsyncInterfaces", "10.0.0.15", Microsoft),
            Name("System.Memory", "4.0.2.0", Microsoft),
            Name("System.Diagnostics.DiagnosticSource", "10.0.0.0", Microsoft),
            Name("System.Threading.Tasks.Extensions", "4.2.1.0", Microsoft),
            Name("System.Text.Json", "10.0.0.0", Microsoft),
            Name("VppToken.Client", "0.1.0.0", null),
        };

        public enum Requester
        {
            Module,
            Dependency,
            None,
            OtherModule,
            NoFile,
        }

        public static TheoryData<string, string, Requester, bool, bool> Cases => new()
        {
            // Scenario, requested name, requester, on .NET Framework, answered with our copy
            { "the module asks for its client", "VppToken.Client, Version=0.1.0.0, Culture=neutral, PublicKeyToken=null", Requester.Module, true, true },
            { "the module asks for its client (PowerShell 7)", "VppToken.Client, Version=0.1.0.0, Culture=neutral, PublicKeyToken=null", Requester.Module, false, true },
            { "a dependency asks for the exact version shipped", $"Azure.Core, Version=1.65.0.0, Culture=neutral, PublicKeyToken={Azure}", Requester.Dependency, true, true },

            // The mismatches of the issue, as the shipped dlls ask for them now.
            { "MSAL asks for System.Memory 4.0.1.2 (4.0.2.0 shipped)", $"System.Memory, Version=4.0.1.2, Culture=neutral, PublicKeyToken={Microsoft}", Requester.Dependency, true, true },
            { "MSAL asks for DiagnosticSource 6.0 (10.0 shipped)", $"System.Diagnostics.DiagnosticSource, Version=6.0.0.0, Culture=neutral, PublicKeyToken={Microsoft}", Requester.Dependency, true, true },
            { "Azure.Identity asks for Azure.Core 1.53 (1.65 shipped)", $"Azure.Core, Version=1.53.0.0, Culture=neutral, PublicKeyToken={Azure}", Requester.Dependency, true, true },
            { "System.Threading.Tasks.Extensions 4.2.0.1, which nothing shipped asks for any more", $"System.Threading.Tasks.Extensions, Version=4.2.0.1, Culture=neutral, PublicKeyToken={Microsoft}", Requester.Dependency, true, false },
            { "an unlisted older System.Memory on .NET Framework", $"System.Memory, Version=4.0.1.1, Culture=neutral, PublicKeyToken={Microsoft}", Requester.Dependency, true, false },
            { "an older System.Memory on PowerShell 7, which binds upwards", $"System.Memory, Version=4.0.1.1, Culture=neutral, PublicKeyToken={Microsoft}", Requester.Dependency, false, true },
            { "a newer version than shipped", $"Azure.Core, Version=1.70.0.0, Culture=neutral, PublicKeyToken={Azure}", Requester.Dependency, true, false },
            { "a newer version than shipped (PowerShell 7)", $"Azure.Core, Version=1.70.0.0, Culture=neutral, PublicKeyToken={Azure}", Requester.Dependency, false, false },
            { "a name without a version", "System.Text.Json", Requester.Module, true, true },

            // Another module.
            { "another module asks for Azure.Core", $"Azure.Core, Version=1.65.0.0, Culture=neutral, PublicKeyToken={Azure}", Requester.OtherModule, true, false },
            { "another module asks for Azure.Core (PowerShell 7)", $"Azure.Core, Version=1.65.0.0, Culture=neutral, PublicKeyToken={Azure}", Requester.OtherModule, false, false },
            { "another module asks for MSAL", $"Microsoft.Identity.Client, Version=4.92.0.0, Culture=neutral, PublicKeyToken={Msal}", Requester.OtherModule, true, false },
            { "another module asks for System.Memory", $"System.Memory, Version=4.0.2.0, Culture=neutral, PublicKeyToken={Microsoft}", Requester.OtherModule, true, false },
            { "an assembly loaded from bytes asks for System.Memory", $"System.Memory, Version=4.0.2.0, Culture=neutral, PublicKeyToken={Microsoft}", Requester.NoFile, true, false },

            // No requester: only the runtime family, only at a version our dlls use, and never on PowerShell 7.
            { "no requester, Azure.Core", $"Azure.Core, Version=1.65.0.0, Culture=neutral, PublicKeyToken={Azure}", Requester.None, true, false },
            { "no requester, Azure.Identity", $"Azure.Identity, Version=1.21.0.0, Culture=neutral, PublicKeyToken={Azure}", Requester.None, true, false },
            { "no requester, MSAL", $"Microsoft.Identity.Client, Version=4.92.0.0, Culture=neutral, PublicKeyToken={Msal}", Requester.None, true, false },
            { "no requester, our client", "VppToken.Client, Version=0.1.0.0, Culture=neutral, PublicKeyToken=null", Requester.None, true, false },
            { "no requester, Microsoft.Extensions.Options", $"Microsoft.Extensions.Options, Version=10.0.0.0, Culture=neutral, PublicKeyToken={Extensions}", Requester.None, true, false },
            { "no requester, System.Memory as shipped", $"System.Memory, Version=4.0.2.0, Culture=neutral, PublicKeyToken={Microsoft}", Requester.None, true, true },
            { "no requester, System.Memory as MSAL asks", $"System.Memory, Version=4.0.1.2, Culture=neutral, PublicKeyToken={Microsoft}", Requester.None, true, true },
            { "no requester, System.Memory at a version no shipped dll asks", $"System.Memory, Version=4.0.1.1, Culture=neutral, PublicKeyToken={Microsoft}", Requester.None, true, false },
            { "no requester, System.Memory (PowerShell 7)", $"System.Memory, Version=4.0.2.0, Culture=neutral, PublicKeyToken={Microsoft}", Requester.None, false, false },

            // Resources, other keys, names we do not ship.
            { "satellite resources of a shipped dll", $"Azure.Core.resources, Version=1.65.0.0, Culture=de-DE, PublicKeyToken={Azure}", Requester.Dependency, true, false },
            { "a shipped name asked in a culture", $"Azure.Core, Version=1.65.0.0, Culture=fr, PublicKeyToken={Azure}", Requester.Dependency, true, false },
            { "a shipped name under another public key", "System.Memory, Version=4.0.2.0, Culture=neutral, PublicKeyToken=0123456789abcdef", Requester.Dependency, true, false },
            { "a name not in the folder", "Not.In.Dependencies, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null", Requester.Module, true, false },
            { "a name not in the folder (PowerShell 7)", "Not.In.Dependencies, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null", Requester.Module, false, false },
            { "the broker Azure.Core looks for by name", "Azure.Identity.Broker, Version=1.0.0.0, Culture=neutral, PublicKeyToken=92742159e12e44c8", Requester.Dependency, true, false },
        };

        [Theory]
        [MemberData(nameof(Cases))]
        public void Answers(string scenario, string requested, Requester requester, bool isFramework, bool answered)
        {
            var policy = new ResolvePolicy(ModuleDll, Dependencies, Shipped, isFramework);

            string? path = policy.PathFor(new AssemblyName(requested), PathOf(requester));

            string? expected = answered ? Path.Combine(Dependencies, new AssemblyName(requested).Name + ".dll") : null;
            Assert.True(expected == path, $"{scenario}: expected {expected ?? "nothing"}, got {path ?? "nothing"}");
        }

        [Theory]
        [MemberData(nameof(ListedMismatches))]
        public void Answers_every_listed_mismatch_to_our_own_dlls_on_the_framework(string name, string requested)
        {
            AssemblyName ours = Name(name, "99.0.0.0", null);
            var policy = new ResolvePolicy(ModuleDll, Dependencies, new[] { ours }, isFramework: true);

            string? path = policy.PathFor(new AssemblyName($"{name}, Version={requested}"), Path.Combine(Dependencies, "Azure.Core.dll"));

            Assert.Equal(Path.Combine(Dependencies, name + ".dll"), path);
        }

        [Fact]
        public void Treats_a_dll_in_a_subfolder_of_Dependencies_as_a_stranger()
        {
            var policy = new ResolvePolicy(ModuleDll, Dependencies, Shipped, isFramework: true);

            string? path = policy.PathFor(new AssemblyName($"System.Memory, Version=4.0.2.0, PublicKeyToken={Microsoft}"),
                Path.Combine(Dependencies, "nested", "Other.dll"));

            Assert.Null(path);
        }

        public static TheoryData<string, string> ListedMismatches()
        {
            var data = new TheoryData<string, string>();
            foreach (VersionMismatch mismatch in FrameworkBindings.RequestedAtOtherVersions)
            {
                data.Add(mismatch.Name, mismatch.Requested.ToString());
            }

            return data;
        }

        private static string? PathOf(Requester requester) => requester switch
        {
            Requester.Module => ModuleDll,
            Requester.Dependency => Path.Combine(Dependencies, "Microsoft.Identity.Client.dll"),
            Requester.OtherModule => OtherModule,
            Requester.NoFile => string.Empty,
            _ => null,
        };

        private static AssemblyName Name(string name, string version, string? publicKeyToken)
        {
            string token = publicKeyToken ?? "null";
            return new AssemblyName($"{name}, Version={version}, Culture=neutral, PublicKeyToken={token}");
        }
    }
}
