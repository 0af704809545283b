using System;
using System.Runtime.InteropServices;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Client.Diagnostics;

namespace IntuneVpp.Client.Authentication
{
    /// <summary>A token the caller already has (Connect-IntuneVpp -AccessToken). It cannot be refreshed.</summary>
    public sealed class StaticTokenProvider : ITokenProvider
    {
        private readonly AccessTokenInfo _token;

        public StaticTokenProvider(SecureString accessToken)
        {
            string token = SecureStrings.ToPlainText(accessToken).Trim();
            // "Bearer $token" with an empty $token trims to the bare word; it is a prefix, not a token.
            if (token.Equals("Bearer", StringComparison.OrdinalIgnoreCase) ||
                (token.Length > 6 && token.StartsWith("Bearer", StringComparison.OrdinalIgnoreCase) && char.IsWhiteSpace(token[6])))
            {
                token = token.Substring("Bearer".Length).Trim();
            }

            if (token.Length == 0)
            {
                throw new ArgumentException("The access token is empty.", nameof(accessToken));
            }

            _token = new AccessTokenInfo(token, JwtClaims.TryRead(token)?.ExpiresOn ?? DateTimeOffset.MaxValue);
        }

        public bool CanRefresh => false;

        public AccessTokenInfo Token => _token;

        public Task<AccessTokenInfo> GetTokenAsync(bool forceRefresh, IGraphLog log, CancellationToken cancellationToken) =>
            Task.FromResult(_token);
    }

    internal static class SecureStrings
    {
        /// <summary>The most characters a SecureString holds; one more throws.</summary>
        public const int MaxLength = 65536;

        public static string ToPlainText(SecureString value)
        {
            IntPtr pointer = Marshal.SecureStringToGlobalAllocUnicode(value);
            try
            {
                return Marshal.PtrToStringUni(pointer) ?? string.Empty;
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }

        /// <summary>
        /// A read-only copy of the text. Made from the whole text at once: a character at a time (AppendChar) costs
        /// about 35 us for an Apple token of 160 characters, a hundred times more, and every token read makes one.
        /// </summary>
        public static unsafe SecureString FromPlainText(string value)
        {
            SecureString secure;
            fixed (char* characters = value)
            {
                secure = new SecureString(characters, value.Length);
            }

            secure.MakeReadOnly();
            return secure;
        }
    }
}
