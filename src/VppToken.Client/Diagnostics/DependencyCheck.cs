using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text.Json;
using IntuneVpp.Client.Http;

namespace IntuneVpp.Client.Diagnostics
{
    /// <summary>
    /// Touches, without sending anything, the places where a mixed set of dependencies breaks first: our pipeline
    /// policies override Azure.Core methods whose signatures hold System.Memory and System.Threading.Tasks.Extensions
    /// types, and our JSON code hands System.Memory types to System.Text.Json. On Windows PowerShell 5.1 the module
    /// runs this at import, so a copy of one of those loaded by another module shows up as one clear import error
    /// instead of a TypeLoadException at the first call.
    /// </summary>
    public static class DependencyCheck
    {
        public static void Run()
        {
            RuntimeHelpers.RunClassConstructor(typeof(GraphRetryPolicy).TypeHandle);
            RuntimeHelpers.RunClassConstructor(typeof(GraphAuthorizationPolicy).TypeHandle);
            RuntimeHelpers.RunClassConstructor(typeof(WritePacer).TypeHandle);

            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("check", "ok");
                writer.WriteEndObject();
            }

            using JsonDocument document = JsonDocument.Parse(new ReadOnlyMemory<byte>(buffer.ToArray()));
            if (document.RootElement.GetProperty("check").GetString() != "ok")
            {
                throw new InvalidOperationException("System.Text.Json read back something other than it wrote.");
            }
        }
    }
}
