using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Threading.Tasks;
using Xunit;

namespace IntuneVpp.Module.Tests
{
    /// <summary>Which exceptions count as a failure to load our code, and what the one error about it says.</summary>
    public sealed class LoadFailureTests
    {
        private const string MemoryRequest = "System.Memory, Version=4.0.1.2, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51";

        private static readonly string Ours = Path.Combine(Path.GetTempPath(), "load-tests", "VppToken", "Dependencies");
        private static readonly string AzAccounts = Path.Combine(Path.GetTempPath(), "load-tests", "Az.Accounts", "4.0.0");
        private static readonly string Runtime = Path.Combine(Path.GetTempPath(), "load-tests", "runtime");

        private static readonly Dictionary<string, Version> Shipped = new(StringComparer.OrdinalIgnoreCase)
        {
            ["System.Memory"] = new Version(4, 0, 2, 0),
            ["Azure.Core"] = new Version(1, 65, 0, 0),
            ["System.Text.Json"] = new Version(10, 0, 0, 0),
        };

        private static readonly TypeLoadException PolicyTypeLoad = new(
            "Method 'ProcessAsync' in type 'IntuneVpp.Client.Http.GraphRetryPolicy' from assembly 'VppToken.Client, Version=0.1.0.0' does not have an implementation.");

        public static TheoryData<string, Exception, bool> Exceptions => new()
        {
            { "TypeLoadException", PolicyTypeLoad, true },
            { "FileLoadException", new FileLoadException("Could not load file or assembly.", MemoryRequest), true },
            { "MissingMethodException", new MissingMethodException("System.Memory", "Span`1.GetPinnableReference"), true },
            { "MissingFieldException", new MissingFieldException("Azure.Core.HttpHeader", "Names"), true },
            { "FileNotFoundException for an assembly", new FileNotFoundException("Could not load file or assembly.", "Azure.Core, Version=1.65.0.0, Culture=neutral, PublicKeyToken=92742159e12e44c8"), true },
            { "TypeInitializationException around a TypeLoadException", new TypeInitializationException("IntuneVpp.Client.Http.SharedHttpClient", PolicyTypeLoad), true },
            { "TargetInvocationException around a FileLoadException", new TargetInvocationException(new FileLoadException("x", MemoryRequest)), true },
            { "AggregateException around a TypeLoadException", new AggregateException(new InvalidOperationException("other"), PolicyTypeLoad), true },
            { "ReflectionTypeLoadException", new ReflectionTypeLoadException(new Type?[] { null }, new Exception?[] { PolicyTypeLoad }), true },
            { "a user's file that does not exist", new FileNotFoundException("Could not find file.", "/home/someone/contoso.vpptoken"), false },
            { "a native library that is missing", new DllNotFoundException("libsecret-1.so.0"), false },
            { "an ordinary failure", new InvalidOperationException("Graph said no."), false },
            { "a cancelled call", new TaskCanceledException(), false },
        };

        [Theory]
        [MemberData(nameof(Exceptions))]
        public void Recognises(string scenario, Exception exception, bool isLoadFailure)
        {
            Assert.True((LoadFailure.Find(exception) is not null) == isLoadFailure, scenario);
        }

        [Fact]
        public void Names_the_other_copy_its_version_its_location_and_what_to_do()
        {
            var loaded = new[]
            {
                new LoadedAssembly("System.Memory", "4.0.1.1", Path.Combine(AzAccounts, "System.Memory.dll")),
                new LoadedAssembly("System.Memory", "4.0.2.0", Path.Combine(Ours, "System.Memory.dll")),
                new LoadedAssembly("VppToken", "0.1.0.0", Path.Combine(Ours, "..", "VppToken.dll")),
                new LoadedAssembly("System.Text.Json", "10.0.0.0", Path.Combine(Runtime, "System.Text.Json.dll")),
            };

            LoadFailureReport report = LoadFailure.Describe(PolicyTypeLoad, loaded, Ours, Shipped, Runtime, isFramework: true);

            Assert.Contains("GraphRetryPolicy", report.Message, StringComparison.Ordinal);
            Assert.Contains($"System.Memory 4.0.1.1 from {Path.Combine(AzAccounts, "System.Memory.dll")} (VppToken ships 4.0.2.0)", report.Message, StringComparison.Ordinal);
            Assert.Contains(Ours, report.Message, StringComparison.Ordinal);
            Assert.Contains("Start a new PowerShell session", report.Advice, StringComparison.Ordinal);
            Assert.Contains("Import-Module VppToken first", report.Advice, StringComparison.Ordinal);
            Assert.Equal(report.Summary + " " + report.Advice, report.Message);
            Assert.DoesNotContain("Start a new PowerShell session", report.Summary, StringComparison.Ordinal);
            Assert.Equal(Path.Combine(AzAccounts, "System.Memory.dll"), report.Target);
            // Our own copy and the runtime's are not "another copy".
            Assert.DoesNotContain("System.Memory 4.0.2.0 from", report.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("System.Text.Json 10.0.0.0 from", report.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Puts_the_assembly_the_failure_names_first()
        {
            var loaded = new[]
            {
                new LoadedAssembly("Azure.Core", "1.38.0.0", Path.Combine(AzAccounts, "Azure.Core.dll")),
                new LoadedAssembly("System.Memory", "4.0.1.1", Path.Combine(AzAccounts, "System.Memory.dll")),
            };

            LoadFailureReport report = LoadFailure.Describe(new FileLoadException("Could not load.", MemoryRequest), loaded, Ours, Shipped, Runtime, isFramework: true);

            Assert.Equal(Path.Combine(AzAccounts, "System.Memory.dll"), report.Target);
            Assert.True(report.Message.IndexOf("System.Memory 4.0.1.1", StringComparison.Ordinal) < report.Message.IndexOf("Azure.Core 1.38.0.0", StringComparison.Ordinal));
        }

        [Fact]
        public void Without_another_copy_says_the_install_is_damaged()
        {
            var loaded = new[] { new LoadedAssembly("System.Memory", "4.0.2.0", Path.Combine(Ours, "System.Memory.dll")) };
            var failure = new FileNotFoundException("Could not load file or assembly.", "Azure.Core, Version=1.65.0.0, Culture=neutral, PublicKeyToken=92742159e12e44c8");

            LoadFailureReport report = LoadFailure.Describe(failure, loaded, Ours, Shipped, Runtime, isFramework: true);

            Assert.Contains("Azure.Core, Version=1.65.0.0", report.Message, StringComparison.Ordinal);
            Assert.Contains($"the files in {Ours} may be damaged", report.Message, StringComparison.Ordinal);
            Assert.Contains("Reinstall the VppToken module", report.Advice, StringComparison.Ordinal);
            Assert.Equal(Path.Combine(Ours, "Azure.Core.dll"), report.Target);
        }

        [Fact]
        public void On_PowerShell_7_blames_the_install_not_another_module()
        {
            // Our load context keeps other modules' copies away from our code there.
            var loaded = new[] { new LoadedAssembly("Azure.Core", "1.38.0.0", Path.Combine(AzAccounts, "Azure.Core.dll")) };

            LoadFailureReport report = LoadFailure.Describe(PolicyTypeLoad, loaded, Ours, Shipped, Runtime, isFramework: false);

            Assert.DoesNotContain(AzAccounts, report.Message, StringComparison.Ordinal);
            Assert.Contains("Reinstall the VppToken module", report.Advice, StringComparison.Ordinal);
        }

        [Fact]
        public void Names_at_most_five_copies()
        {
            var shipped = new Dictionary<string, Version>(StringComparer.OrdinalIgnoreCase);
            var loaded = new List<LoadedAssembly>();
            for (int i = 0; i < 7; i++)
            {
                shipped[$"Dep{i}"] = new Version(2, 0);
                loaded.Add(new LoadedAssembly($"Dep{i}", "1.0", Path.Combine(AzAccounts, $"Dep{i}.dll")));
            }

            LoadFailureReport report = LoadFailure.Describe(PolicyTypeLoad, loaded, Ours, shipped, Runtime, isFramework: true);

            Assert.Contains("Dep4 1.0", report.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("Dep5 1.0", report.Message, StringComparison.Ordinal);
            Assert.Contains("and 2 more", report.Message, StringComparison.Ordinal);
        }
    }
}
