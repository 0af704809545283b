using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;

namespace IntuneVpp.Module
{
    /// <summary>
    /// Turns a failure to load the module's own code (TypeLoadException, FileLoadException, MissingMethodException
    /// and the like) into one message a person can act on: which assembly, which copies of it are loaded from where,
    /// and what to do. On Windows PowerShell 5.1 the usual cause is another module's copy of an assembly we also ship
    /// (Az.Accounts' System.Memory, say), which the runtime then hands to part of our code.
    /// </summary>
    internal static class LoadFailure
    {
        private const int MaxCopiesNamed = 5;

        /// <summary>The load failure inside <paramref name="exception"/>, wherever it is wrapped, or null.</summary>
        public static Exception? Find(Exception? exception)
        {
            var pending = new Stack<Exception>();
            if (exception is not null)
            {
                pending.Push(exception);
            }

            int looked = 0;
            while (pending.Count > 0 && looked++ < 50)
            {
                Exception current = pending.Pop();
                if (IsLoadFailure(current))
                {
                    return current;
                }

                if (current is AggregateException aggregate)
                {
                    foreach (Exception inner in aggregate.InnerExceptions)
                    {
                        pending.Push(inner);
                    }
                }
                else if (current is ReflectionTypeLoadException typeLoad)
                {
                    foreach (Exception? inner in typeLoad.LoaderExceptions)
                    {
                        if (inner is not null)
                        {
                            pending.Push(inner);
                        }
                    }
                }
                else if (current.InnerException is { } inner)
                {
                    pending.Push(inner);
                }
            }

            return null;
        }

        /// <summary>The assembly a load failure names, when it names one (FileLoadException and FileNotFoundException do).</summary>
        public static AssemblyName? RequestedAssembly(Exception failure)
        {
            string? fileName = failure switch
            {
                FileLoadException load => load.FileName,
                FileNotFoundException notFound => notFound.FileName,
                BadImageFormatException badImage => badImage.FileName,
                _ => null,
            };
            return LooksLikeAssemblyName(fileName) ? TryParse(fileName!) : null;
        }

        /// <summary>
        /// The message for <paramref name="failure"/>, given every assembly loaded in the process and whether the runtime
        /// is .NET Framework; pure, so that every case can be tested without breaking a process.
        /// </summary>
        public static LoadFailureReport Describe(
            Exception failure,
            IEnumerable<LoadedAssembly> loaded,
            string dependencyFolder,
            IReadOnlyDictionary<string, Version> shipped,
            string? runtimeFolder,
            bool isFramework)
        {
            string folder = Trim(dependencyFolder);
            AssemblyName? requested = RequestedAssembly(failure);
            // On .NET our dependencies live in a load context of their own, where another module's copies never reach
            // our code; there a load failure can only come from our own folder.
            List<LoadedAssembly> others = !isFramework ? new List<LoadedAssembly>() : loaded
                .Where(assembly => shipped.ContainsKey(assembly.Name) && assembly.Location.Length > 0 &&
                                   !SameFolder(assembly.Location, folder) &&
                                   (runtimeFolder is null || !SameFolder(assembly.Location, runtimeFolder)))
                .OrderBy(assembly => requested?.Name is { } name && string.Equals(assembly.Name, name, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
                .ThenBy(assembly => assembly.Name, StringComparer.OrdinalIgnoreCase)
                .ToList();

            var message = new StringBuilder();
            message.Append("VppToken could not load its own code: ").Append(failure.Message.Trim());
            if (!failure.Message.TrimEnd().EndsWith(".", StringComparison.Ordinal))
            {
                message.Append('.');
            }

            if (requested is not null && failure.Message.IndexOf(requested.Name ?? "?", StringComparison.OrdinalIgnoreCase) < 0)
            {
                message.Append(" It asked for ").Append(requested.FullName).Append('.');
            }

            string advice;
            string target;
            if (others.Count > 0)
            {
                message.Append(" Another module has already loaded its own copy of ")
                    .Append(others.Count == 1 ? "an assembly" : "assemblies")
                    .Append(" that VppToken ships: ");
                message.Append(string.Join("; ", others.Take(MaxCopiesNamed).Select(other =>
                    $"{other.Name} {other.Version} from {other.Location} (VppToken ships {Shipped(shipped, other.Name)})")));
                if (others.Count > MaxCopiesNamed)
                {
                    message.Append("; and ").Append(others.Count - MaxCopiesNamed).Append(" more");
                }

                message.Append(". VppToken's copies are in ").Append(folder).Append('.');
                advice = "Start a new PowerShell session and import VppToken before the module that loaded the other copy " +
                         "(Import-Module VppToken first). In Azure Automation, where a sandbox is reused between jobs, import " +
                         "VppToken at the start of every runbook that runs in the same account, or run the runbook on a " +
                         "PowerShell 7.2 runtime, where VppToken keeps its dependencies apart from other modules.";
                target = others[0].Location;
            }
            else
            {
                message.Append(" No other copy of VppToken's dependencies is loaded, so the files in ").Append(folder)
                    .Append(" may be damaged, incomplete or from another version of VppToken.");
                advice = "Reinstall the VppToken module (every file of its folder, Dependencies included), then start a new PowerShell session.";
                target = requested?.Name is { } name ? Path.Combine(folder, name + ".dll") : folder;
            }

            string summary = message.ToString();
            return new LoadFailureReport(summary + " " + advice, summary, advice, target);
        }

        private static bool IsLoadFailure(Exception exception) => exception switch
        {
            // DllNotFound and EntryPointNotFound are about native code, not about our assemblies.
            DllNotFoundException or EntryPointNotFoundException => false,
            TypeLoadException or MissingMethodException or MissingFieldException or FileLoadException => true,
            // A user's file that is missing or not an image is the caller's business; the loader names an assembly.
            FileNotFoundException or BadImageFormatException => RequestedAssembly(exception) is not null,
            _ => false,
        };

        private static bool LooksLikeAssemblyName(string? fileName) =>
            fileName is { Length: > 0 } && fileName.IndexOf("Version=", StringComparison.OrdinalIgnoreCase) >= 0 &&
            fileName.IndexOf(',') > 0;

        private static AssemblyName? TryParse(string fileName)
        {
            try
            {
                return new AssemblyName(fileName);
            }
            catch (Exception ex) when (ex is ArgumentException or FileLoadException)
            {
                return null;
            }
        }

        private static string Shipped(IReadOnlyDictionary<string, Version> shipped, string name) =>
            shipped.TryGetValue(name, out Version? version) ? version.ToString() : "another version";

        private static bool SameFolder(string path, string folder) =>
            string.Equals(Trim(Path.GetDirectoryName(path) ?? string.Empty), Trim(folder), StringComparison.OrdinalIgnoreCase);

        private static string Trim(string path) => path.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
    }

    /// <summary>An assembly loaded in the process, as the failure report needs it.</summary>
    internal sealed class LoadedAssembly
    {
        public LoadedAssembly(string name, string version, string location)
        {
            Name = name;
            Version = version;
            Location = location;
        }

        public string Name { get; }

        public string Version { get; }

        public string Location { get; }

        public static IEnumerable<LoadedAssembly> InThisProcess()
        {
            foreach (Assembly assembly in AppDomain.CurrentDomain.GetAssemblies())
            {
                string location;
                try
                {
                    location = assembly.IsDynamic ? string.Empty : assembly.Location ?? string.Empty;
                }
                catch (NotSupportedException)
                {
                    location = string.Empty;
                }

                AssemblyName name = assembly.GetName();
                yield return new LoadedAssembly(name.Name ?? string.Empty, name.Version?.ToString() ?? string.Empty, location);
            }
        }
    }

    /// <summary>
    /// What <see cref="LoadFailure.Describe"/> found: the whole message (what went wrong, then what to do), the first
    /// part alone, the advice alone, and the file to name as target.
    /// </summary>
    internal sealed class LoadFailureReport
    {
        public LoadFailureReport(string message, string summary, string advice, string target)
        {
            Message = message;
            Summary = summary;
            Advice = advice;
            Target = target;
        }

        /// <summary>All of it, for an exception that is shown alone (a failed Import-Module on Windows PowerShell).</summary>
        public string Message { get; }

        /// <summary>Without the advice, for an error record that carries the advice as its recommended action.</summary>
        public string Summary { get; }

        public string Advice { get; }

        public string Target { get; }
    }

    /// <summary>The one error a load failure becomes, at import or at first use.</summary>
    public sealed class DependencyLoadException : Exception
    {
        public DependencyLoadException()
        {
        }

        public DependencyLoadException(string message)
            : base(message)
        {
        }

        public DependencyLoadException(string message, Exception innerException)
            : base(message, innerException)
        {
        }

        internal static DependencyLoadException From(Exception failure, out LoadFailureReport report)
        {
            report = LoadFailure.Describe(
                failure,
                LoadedAssembly.InThisProcess(),
                DependencyResolver.Folder,
                DependencyResolver.ShippedVersions(),
                Path.GetDirectoryName(typeof(object).Assembly.Location),
                DependencyResolver.IsFramework);
            return new DependencyLoadException(report.Message, failure);
        }
    }
}
