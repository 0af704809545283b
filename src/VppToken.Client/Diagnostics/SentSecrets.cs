using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace IntuneVpp.Client.Diagnostics
{
    /// <summary>
    /// Every secret one connection has sent or received: Apple tokens in request bodies, access tokens, a client
    /// secret, client assertions, identity headers. Graph and Entra ID have been seen to quote a value they refused, and
    /// not only in the answer to the request that carried it, so whatever the connection writes later (errors, verbose,
    /// debug) is masked against all of them. Safe to share between threads; reads take no lock.
    /// </summary>
    public sealed class SentSecrets
    {
        // Shorter values would mask ordinary words; no real token, secret or assertion is that short.
        private const int MinimumLength = 8;

        // An Apple token file is base64 JSON; anything longer is not one, and is not worth decoding.
        private const int MaximumDecodedLength = 65536;

        private readonly object _gate = new();
        private readonly HashSet<string> _known = new(StringComparer.Ordinal);

        // Longest first, so that a secret containing another one is masked whole.
        private volatile string[] _ordered = Array.Empty<string>();

        /// <summary>How many distinct secrets are known.</summary>
        public int Count => _ordered.Length;

        /// <summary>Remembers a secret; an Apple token file's content also brings the inner token it wraps.</summary>
        public void Add(string? secret)
        {
            if (!IsMaskable(secret))
            {
                return;
            }

            List<string> found = new() { secret! };
            if (InnerAppleToken(secret!) is { } inner && IsMaskable(inner))
            {
                found.Add(inner);
            }

            lock (_gate)
            {
                bool changed = false;
                foreach (string value in found)
                {
                    changed |= _known.Add(value);
                }

                if (changed)
                {
                    _ordered = _known.OrderByDescending(s => s.Length).ToArray();
                }
            }
        }

        public void AddRange(IEnumerable<string> secrets)
        {
            foreach (string secret in secrets)
            {
                Add(secret);
            }
        }

        /// <summary>The text with every known secret replaced by <see cref="Redaction.Mask"/>.</summary>
        public string Mask(string text)
        {
            string[] secrets = _ordered;
            foreach (string secret in secrets)
            {
                if (text.IndexOf(secret, StringComparison.Ordinal) >= 0)
                {
                    text = text.Replace(secret, Redaction.Mask);
                }
            }

            return text;
        }

        /// <summary>A log that masks every line before passing it on.</summary>
        public IGraphLog Guard(IGraphLog log) =>
            log is MaskingLog masking && ReferenceEquals(masking.Secrets, this) ? log : new MaskingLog(log, this);

        // What is worth masking, the value given and the token inside it alike: not a short value, which would mask
        // ordinary words, and not a blank one, which would hide every run of spaces written afterwards.
        private static bool IsMaskable(string? value) =>
            value is not null && value.Length >= MinimumLength && !string.IsNullOrWhiteSpace(value);

        /// <summary>The token inside an Apple .vpptoken file's content (base64 JSON with a "token" field), if it is one.</summary>
        private static string? InnerAppleToken(string value)
        {
            if (value.Length > MaximumDecodedLength || value.Length % 4 != 0)
            {
                return null;
            }

            try
            {
                byte[] decoded = Convert.FromBase64String(value);
                if (decoded.Length == 0 || decoded[0] != (byte)'{')
                {
                    return null;
                }

                using JsonDocument document = JsonDocument.Parse(decoded);
                return document.RootElement.ValueKind == JsonValueKind.Object &&
                       document.RootElement.TryGetProperty("token", out JsonElement token) &&
                       token.ValueKind == JsonValueKind.String
                    ? token.GetString()
                    : null;
            }
            catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException or DecoderFallbackException)
            {
                return null;
            }
        }

        private sealed class MaskingLog : IGraphLog
        {
            private readonly IGraphLog _inner;

            public MaskingLog(IGraphLog inner, SentSecrets secrets)
            {
                _inner = inner;
                Secrets = secrets;
            }

            public SentSecrets Secrets { get; }

            public bool IsVerboseEnabled => _inner.IsVerboseEnabled;

            public bool IsDebugEnabled => _inner.IsDebugEnabled;

            public void Verbose(string message) => _inner.Verbose(Secrets.Mask(message));

            public void Debug(string message) => _inner.Debug(Secrets.Mask(message));

            public void Warning(string message) => _inner.Warning(Secrets.Mask(message));
        }
    }
}
