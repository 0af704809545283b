using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using IntuneVpp.Commands;
using Xunit;

namespace IntuneVpp.Module.Tests
{
    /// <summary>
    /// An async cmdlet's work may run on any thread, so the pipeline-only members it inherits must not be callable
    /// from its code: each is hidden by a member that is a compile error to call, and the work goes through AsyncPipeline.
    /// </summary>
    public sealed class AsyncPSCmdletTests
    {
        // Every member of Cmdlet and PSCmdlet that only the pipeline thread may use.
        private static readonly string[] PipelineOnly =
        {
            nameof(Cmdlet.WriteObject), nameof(Cmdlet.WriteError), nameof(Cmdlet.WriteWarning), nameof(Cmdlet.WriteVerbose),
            nameof(Cmdlet.WriteDebug), nameof(Cmdlet.WriteProgress), nameof(Cmdlet.WriteInformation), nameof(Cmdlet.ShouldProcess),
            nameof(Cmdlet.ShouldContinue), nameof(Cmdlet.ThrowTerminatingError), nameof(PSCmdlet.SessionState), nameof(PSCmdlet.InvokeCommand),
        };

        [Fact]
        public void Hides_every_pipeline_only_member_behind_a_compile_error()
        {
            var unhidden = new List<string>();
            foreach (string name in PipelineOnly)
            {
                IEnumerable<MemberInfo> inherited = typeof(PSCmdlet).GetMember(name, BindingFlags.Public | BindingFlags.Instance);
                foreach (MemberInfo member in inherited)
                {
                    MemberInfo? hiding = Hiding(member);
                    if (hiding?.GetCustomAttribute<ObsoleteAttribute>() is not { IsError: true })
                    {
                        unhidden.Add(Signature(member));
                    }
                }
            }

            Assert.True(unhidden.Count == 0, "AsyncPSCmdlet leaves these callable from async work: " + string.Join("; ", unhidden));
        }

        [Fact]
        public void Leaves_no_processing_block_for_a_cmdlet_to_override_outside_the_pipeline()
        {
            foreach (string block in new[] { "BeginProcessing", "ProcessRecord", "EndProcessing", "StopProcessing" })
            {
                MethodInfo method = typeof(AsyncPSCmdlet).GetMethod(block, BindingFlags.NonPublic | BindingFlags.Instance)!;
                Assert.True(method.IsFinal, $"{block} can be overridden, so a cmdlet could run code that skips the pipeline object.");
            }
        }

        [Fact]
        public void Every_cmdlet_of_the_module_that_talks_to_Graph_is_an_async_cmdlet()
        {
            string[] notAsync = typeof(AsyncPSCmdlet).Assembly.GetTypes()
                .Where(t => t.GetCustomAttribute<CmdletAttribute>() is not null && !typeof(AsyncPSCmdlet).IsAssignableFrom(t))
                .Select(t => t.Name)
                .OrderBy(n => n, StringComparer.Ordinal)
                .ToArray();

            // It never reaches Graph, another module's session or a file: it drops a connection.
            Assert.Equal(new[] { "DisconnectIntuneVppCommand" }, notAsync);
        }

        private static MemberInfo? Hiding(MemberInfo inherited) => inherited switch
        {
            MethodInfo method => typeof(AsyncPSCmdlet).GetMethod(
                method.Name,
                BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly,
                null,
                method.GetParameters().Select(p => p.ParameterType).ToArray(),
                null),
            PropertyInfo property => typeof(AsyncPSCmdlet).GetProperty(property.Name, BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly),
            _ => null,
        };

        private static string Signature(MemberInfo member) => member is MethodInfo method
            ? $"{method.Name}({string.Join(", ", method.GetParameters().Select(p => p.ParameterType.Name))})"
            : member.Name;
    }
}
