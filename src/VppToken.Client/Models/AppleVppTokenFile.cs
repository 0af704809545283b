using System;
using System.Globalization;
using System.IO;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using IntuneVpp.Client.Authentication;

namespace IntuneVpp
{
    /// <summary>
    /// A .vpptoken file from Apple Business Manager or Apple School Manager: one base64 string that decodes to JSON
    /// with the token, its expiry and the organization. Intune takes the whole base64 content as the token.
    /// </summary>
    public sealed class AppleVppTokenFile
    {
        private static readonly Regex OffsetWithoutColon = new(@"([+-]\d{2})(\d{2})$", RegexOptions.CultureInvariant);

        private AppleVppTokenFile(string path, string organizationName, DateTimeOffset expirationDateTime, SecureString token)
        {
            Path = path;
            OrganizationName = organizationName;
            ExpirationDateTime = expirationDateTime;
            Token = token;
        }

        public string Path { get; }

        public string OrganizationName { get; }

        public DateTimeOffset ExpirationDateTime { get; }

        public int DaysUntilExpiration => VppToken.DaysLeft(ExpirationDateTime, DateTimeOffset.UtcNow);

        public bool IsExpired => ExpirationDateTime <= DateTimeOffset.UtcNow;

        /// <summary>The file's content, as Intune wants it. A SecureString so no display shows it.</summary>
        public SecureString Token { get; }

        public override string ToString() => $"{OrganizationName} (expires {ExpirationDateTime:yyyy-MM-dd})";

        /// <summary>
        /// The largest file read. Intune keeps the whole content as the token, which a SecureString holds up to 65,536
        /// characters; Apple's files are a few kilobytes. Anything larger is refused before it is read whole.
        /// </summary>
        public const int MaxFileBytes = 65536;

        public static AppleVppTokenFile Read(string path)
        {
            if (Directory.Exists(path))
            {
                throw new AppleVppTokenFileException(path, AppleVppTokenFileProblem.IsFolder, $"'{path}' is a folder, not a token file.");
            }

            string content;
            try
            {
                content = ReadBounded(path);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new AppleVppTokenFileException(path, AppleVppTokenFileProblem.NotFound, $"The token file '{path}' does not exist.", ex);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The system's text for a denied file repeats the path ("Access to the path '...' is denied."); the
                // sentence has said it already.
                bool denied = ex is UnauthorizedAccessException;
                AppleVppTokenFileProblem problem = denied ? AppleVppTokenFileProblem.AccessDenied : AppleVppTokenFileProblem.Unreadable;
                string reason = denied ? "access is denied" : ex.Message.TrimEnd().TrimEnd('.');
                throw new AppleVppTokenFileException(path, problem, $"The token file '{path}' cannot be read: {reason}.", ex);
            }

            return Parse(content, path);
        }

        public static AppleVppTokenFile Parse(string content, string path)
        {
            string base64 = Regex.Replace(content ?? string.Empty, @"\s+", string.Empty);
            if (base64.Length == 0)
            {
                throw new AppleVppTokenFileException(path, "it is empty");
            }

            if (base64.Length > SecureStrings.MaxLength)
            {
                throw new AppleVppTokenFileException(path, TooLarge(base64.Length.ToString("N0", CultureInfo.InvariantCulture) + " characters"));
            }

            byte[] decoded;
            try
            {
                decoded = Convert.FromBase64String(base64);
            }
            catch (FormatException ex)
            {
                throw new AppleVppTokenFileException(path, "it is not base64 text, as Apple's .vpptoken files are", ex);
            }

            try
            {
                using JsonDocument document = JsonDocument.Parse(decoded);
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new AppleVppTokenFileException(path, "its decoded content is not a JSON object");
                }

                // The token itself is not read: Intune takes the whole file content. It must be there all the same.
                _ = Field(root, "token", path);
                string expDate = Field(root, "expDate", path);
                string organization = Field(root, "orgName", path);
                DateTimeOffset expires = ParseAppleDate(expDate) ??
                    throw new AppleVppTokenFileException(path, $"its expDate '{expDate}' is not a date such as 2014-08-15T18:13:52-0700");
                return new AppleVppTokenFile(path, organization, expires, SecureStrings.FromPlainText(base64));
            }
            catch (JsonException ex)
            {
                throw new AppleVppTokenFileException(path, "its decoded content is not JSON", ex);
            }
            catch (Exception ex) when (ex is DecoderFallbackException or InvalidOperationException)
            {
                // System.Text.Json reports text that is not UTF-8 only when a string is read: InvalidOperationException.
                throw new AppleVppTokenFileException(path, "its decoded content is not text");
            }
        }

        /// <summary>
        /// The file's text, refusing one over <see cref="MaxFileBytes"/> before reading it whole. The bytes read are
        /// counted too, since a device or a growing file has no trustworthy length.
        /// </summary>
        private static string ReadBounded(string path)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.CanSeek && stream.Length > MaxFileBytes)
            {
                throw new AppleVppTokenFileException(path, TooLarge(stream.Length.ToString("N0", CultureInfo.InvariantCulture) + " bytes"));
            }

            var buffer = new byte[MaxFileBytes + 1];
            int total = 0;
            int read;
            while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
            {
                total += read;
            }

            if (total > MaxFileBytes)
            {
                throw new AppleVppTokenFileException(path, TooLarge("more than " + MaxFileBytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes"));
            }

            using var reader = new StreamReader(new MemoryStream(buffer, 0, total), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return reader.ReadToEnd();
        }

        private static string TooLarge(string size) => string.Format(
            CultureInfo.InvariantCulture,
            "it is {0}, more than the {1:N0} a token file may have (Apple's are a few kilobytes); check that it is the .vpptoken file downloaded from Apple Business Manager or Apple School Manager",
            size,
            MaxFileBytes);

        /// <summary>Apple writes the offset without a colon (-0700); .NET wants -07:00.</summary>
        public static DateTimeOffset? ParseAppleDate(string value)
        {
            string text = OffsetWithoutColon.Replace(value.Trim(), "$1:$2");
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset date) &&
                   Regex.IsMatch(text, @"^\d{4}-\d{2}-\d{2}T")
                ? date
                : null;
        }

        private static string Field(JsonElement root, string name, string path)
        {
            if (!root.TryGetProperty(name, out JsonElement value))
            {
                throw new AppleVppTokenFileException(path, $"it lacks the '{name}' field");
            }

            string? text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            return string.IsNullOrWhiteSpace(text)
                ? throw new AppleVppTokenFileException(path, $"its '{name}' field is empty or not a string")
                : text!;
        }
    }

    /// <summary>Why a .vpptoken file cannot be used.</summary>
    public enum AppleVppTokenFileProblem
    {
        /// <summary>Its content is not a token file's: not base64, not JSON, a field missing or bad.</summary>
        InvalidContent,

        NotFound,

        IsFolder,

        AccessDenied,

        Unreadable,
    }

    /// <summary>A .vpptoken file that cannot be used, and why.</summary>
    public sealed class AppleVppTokenFileException : Exception
    {
        /// <summary>A file whose content is not a token file's; <paramref name="problem"/> says how, in a clause.</summary>
        public AppleVppTokenFileException(string path, string problem, Exception? innerException = null)
            : this(path, AppleVppTokenFileProblem.InvalidContent, $"'{path}' is not a usable Apple VPP token file: {problem}.", innerException)
        {
        }

        public AppleVppTokenFileException(string path, AppleVppTokenFileProblem kind, string message, Exception? innerException = null)
            : base(message, innerException)
        {
            Path = path;
            Kind = kind;
        }

        public string Path { get; }

        public AppleVppTokenFileProblem Kind { get; }
    }
}
