using System;
using System.Text;
using System.Text.Json;
using IntuneVpp.Client.Diagnostics;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>Bodies shown in logs lose their secrets, wherever they sit; what cannot be checked is not shown.</summary>
    public sealed class RedactionTests
    {
        private static string Redact(string text) => Redaction.RedactJson(Encoding.UTF8.GetBytes(text));

        [Fact]
        public void Secret_values_are_masked_at_any_depth_and_everything_else_is_kept()
        {
            string redacted = Redact("""
                {"token":"VPP-SECRET-1","organizationName":"Org",
                 "inner":{"access_token":"AT-SECRET-2","list":[{"client_secret":"CS-SECRET-3","keep":1}]},
                 "Refresh_Token":"RT-SECRET-4","password":{"nested":"PW-SECRET-5"}}
                """);

            Assert.Equal(
                """{"token":"***","organizationName":"Org","inner":{"access_token":"***","list":[{"client_secret":"***","keep":1}]},"Refresh_Token":"***","password":"***"}""",
                JsonText.Canonical(redacted));
            Assert.DoesNotContain("SECRET", redacted, StringComparison.Ordinal);
        }

        [Fact]
        public void A_secret_name_written_with_escapes_is_still_masked()
        {
            string redacted = Redact("""{"\u0074oken":"VPP-SECRET"}""");

            Assert.DoesNotContain("VPP-SECRET", redacted, StringComparison.Ordinal);
        }

        [Fact]
        public void A_null_secret_stays_null()
        {
            using JsonDocument document = JsonDocument.Parse(Redact("""{"token":null}"""));

            Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("token").ValueKind);
        }

        [Theory]
        [InlineData("token=VPP-SECRET&x=1")]
        [InlineData("<html><body>VPP-SECRET</body></html>")]
        [InlineData("""{"token":"VPP-SECRET" """)]
        [InlineData("""{"token":"VPP-SECRET"} trailing""")]
        public void Text_that_is_not_json_is_not_echoed(string text)
        {
            string redacted = Redact(text);

            Assert.DoesNotContain("VPP-SECRET", redacted, StringComparison.Ordinal);
            Assert.Contains(Encoding.UTF8.GetByteCount(text).ToString(System.Globalization.CultureInfo.InvariantCulture), redacted, StringComparison.Ordinal);
        }

        [Fact]
        public void An_empty_body_gives_empty_text()
        {
            Assert.Equal(string.Empty, Redaction.RedactJson(ReadOnlySpan<byte>.Empty));
        }
    }
}
