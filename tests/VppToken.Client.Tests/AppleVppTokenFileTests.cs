using System;
using System.IO;
using System.Text;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>A token file too large to be one is refused before it is read whole, with a reason a person can act on.</summary>
    public sealed class AppleVppTokenFileTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "vpptoken-file-" + Guid.NewGuid().ToString("n"));

        public AppleVppTokenFileTests() => Directory.CreateDirectory(_folder);

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        private static string Content(int padding) => Convert.ToBase64String(Encoding.UTF8.GetBytes(
            "{\"token\":\"" + new string('t', padding) + "\",\"expDate\":\"2030-08-15T18:13:52-0700\",\"orgName\":\"Size Org\"}"));

        private string Write(string name, string content)
        {
            string path = Path.Combine(_folder, name);
            File.WriteAllText(path, content);
            return path;
        }

        [Fact]
        public void A_folder_is_refused_as_a_folder()
        {
            var error = Assert.Throws<AppleVppTokenFileException>(() => AppleVppTokenFile.Read(_folder));

            Assert.Equal(AppleVppTokenFileProblem.IsFolder, error.Kind);
            Assert.Equal($"'{_folder}' is a folder, not a token file.", error.Message);
        }

        [Fact]
        public void A_path_the_file_system_cannot_open_is_unreadable_with_the_systems_reason()
        {
            // No file system takes a name of 300 characters: opening it fails with an IOException, not "not found".
            string path = Path.Combine(_folder, new string('n', 300) + ".vpptoken");

            var error = Assert.Throws<AppleVppTokenFileException>(() => AppleVppTokenFile.Read(path));

            Assert.Equal(AppleVppTokenFileProblem.Unreadable, error.Kind);
            Assert.IsAssignableFrom<IOException>(error.InnerException);
            Assert.Equal($"The token file '{path}' cannot be read: {error.InnerException!.Message.TrimEnd().TrimEnd('.')}.", error.Message);
            Assert.EndsWith(".", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("..", error.Message.Substring(error.Message.Length - 3), StringComparison.Ordinal);
        }

        [UnixFact]
        public void A_file_the_system_refuses_to_open_is_access_denied_not_merely_unreadable()
        {
            string path = DeniedPath();

            var error = Assert.Throws<AppleVppTokenFileException>(() => AppleVppTokenFile.Read(path));

            Assert.Equal(AppleVppTokenFileProblem.AccessDenied, error.Kind);
            Assert.IsType<UnauthorizedAccessException>(error.InnerException);
            Assert.Equal($"The token file '{path}' cannot be read: access is denied.", error.Message);
        }

        // A path this process may not open for reading. A file without read permission does that for an ordinary
        // user; root reads any such file, but not a write-only kernel setting, which the kernel refuses to open for
        // reading whoever asks (EACCES).
        private string DeniedPath()
        {
            if (!OperatingSystem.IsWindows() && Environment.UserName != "root")
            {
                string path = Write("denied.vpptoken", Content(10));
                File.SetUnixFileMode(path, UnixFileMode.None);
                return path;
            }

            const string writeOnly = "/proc/sys/vm/drop_caches";
            Assert.True(File.Exists(writeOnly), $"Running as root, the test needs {writeOnly} (Linux) to find a file it may not read.");
            return writeOnly;
        }

        [Fact]
        public void Content_of_exactly_the_most_a_secure_string_holds_is_not_refused_for_its_size()
        {
            // 65,536 characters of base64 that decode to no JSON: the size check lets it by and the JSON check refuses it.
            var error = Assert.Throws<AppleVppTokenFileException>(() => AppleVppTokenFile.Parse(new string('A', 65536), "edge.vpptoken"));

            Assert.DoesNotContain("too large", error.Message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("65,536", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Content_one_character_over_is_refused_with_its_size_written_for_people()
        {
            var error = Assert.Throws<AppleVppTokenFileException>(() => AppleVppTokenFile.Parse(new string('A', 65540), "over.vpptoken"));

            Assert.Contains("65,540 characters", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void A_file_of_80_kilobytes_is_refused_for_its_size()
        {
            string path = Write("big.vpptoken", Content(60000));

            var error = Assert.Throws<AppleVppTokenFileException>(() => AppleVppTokenFile.Read(path));

            Assert.Contains("80,", error.Message, StringComparison.Ordinal);
            Assert.Contains("bytes", error.Message, StringComparison.Ordinal);
            Assert.Contains("65,536", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void A_file_just_under_the_limit_is_read()
        {
            string content = Content(48000);
            Assert.InRange(content.Length, 60000, 65536);
            string path = Write("large.vpptoken", content);

            AppleVppTokenFile file = AppleVppTokenFile.Read(path);

            Assert.Equal("Size Org", file.OrganizationName);
            Assert.Equal(content.Length, file.Token.Length);
        }

        [Fact]
        public void A_device_with_no_length_is_refused_after_the_limit_not_read_forever()
        {
            if (!File.Exists("/dev/zero"))
            {
                return; // Windows has no such device; the length check covers its files.
            }

            var error = Assert.Throws<AppleVppTokenFileException>(() => AppleVppTokenFile.Read("/dev/zero"));

            Assert.Contains("more than 65,536 bytes", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Content_too_long_for_a_secure_string_is_refused_by_parse_too()
        {
            var error = Assert.Throws<AppleVppTokenFileException>(() => AppleVppTokenFile.Parse(Content(60000), "given"));

            Assert.Contains("characters", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Decoded_content_that_is_not_utf8_is_refused_as_not_text()
        {
            byte[] json = Encoding.UTF8.GetBytes("{\"token\":\"t\",\"expDate\":\"2030-08-15T18:13:52-0700\",\"orgName\":\"");
            byte[] bad = new byte[json.Length + 3];
            json.CopyTo(bad, 0);
            bad[json.Length] = 0xFF;
            bad[json.Length + 1] = (byte)'"';
            bad[json.Length + 2] = (byte)'}';

            var error = Assert.Throws<AppleVppTokenFileException>(() => AppleVppTokenFile.Parse(Convert.ToBase64String(bad), "given"));

            Assert.Contains("not text", error.Message, StringComparison.Ordinal);
        }
    }
}
