using System;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;

namespace IntuneVpp.Client.Fleet
{
    /// <summary>
    /// The Apple location a token file is for, from the name Apple gives the download (sToken_for_&lt;location&gt;.vpptoken),
    /// and how it is compared with a token's location in Intune.
    /// </summary>
    public static class TokenLocation
    {
        private const string Prefix = "sToken_for_";
        private const string Extension = ".vpptoken";

        // A browser's mark on a second download of the same name: "sToken_for_Main Campus (1).vpptoken".
        private static readonly Regex DownloadCopy = new(@"\s*\(\d+\)$", RegexOptions.CultureInvariant);
        private static readonly Regex Spaces = new(@"[\s_]+", RegexOptions.CultureInvariant);

        /// <summary>The location in the file's name, or null when the name is not Apple's (the file was renamed).</summary>
        public static string? FromFileName(string path)
        {
            string name = Path.GetFileName(path);
            if (name.EndsWith(Extension, StringComparison.OrdinalIgnoreCase))
            {
                name = name.Substring(0, name.Length - Extension.Length);
            }

            if (!name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            string location = name.Substring(Prefix.Length).Trim();
            return location.Length == 0 ? null : location;
        }

        /// <summary>A token's location as Intune shows it: beta locationName, else its display name; null on v1.0.</summary>
        public static string? Of(VppToken token) =>
            !string.IsNullOrWhiteSpace(token.LocationName) ? token.LocationName
            : !string.IsNullOrWhiteSpace(token.DisplayName) ? token.DisplayName
            : null;

        /// <summary>
        /// Whether a file's location names the token's: without regard to case, to runs of spaces or underscores, or to
        /// Unicode normalization (macOS keeps file names decomposed); a browser's " (1)" on the file name is ignored.
        /// </summary>
        public static bool Matches(string fileLocation, string tokenLocation)
        {
            string token = Normalize(tokenLocation);
            return string.Equals(Normalize(fileLocation), token, StringComparison.OrdinalIgnoreCase) ||
                   (DownloadCopy.IsMatch(fileLocation) &&
                    string.Equals(Normalize(DownloadCopy.Replace(fileLocation, string.Empty)), token, StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>Whether two organization names are the same one, as Set-IntuneVppToken -TokenFile compares them.</summary>
        public static bool SameOrganization(string fileOrganization, string? tokenOrganization) =>
            tokenOrganization is not null &&
            string.Equals(fileOrganization.Trim().Normalize(NormalizationForm.FormC), tokenOrganization.Trim().Normalize(NormalizationForm.FormC), StringComparison.OrdinalIgnoreCase);

        private static string Normalize(string text) =>
            Spaces.Replace(text.Normalize(NormalizationForm.FormC), " ").Trim().ToUpperInvariant();
    }
}
