using System;
using IntuneVpp.Client.Diagnostics;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>Redaction.Scrub, the mask for free text such as Graph's messages: its own edges.</summary>
    public sealed class ScrubTests
    {
        [Fact]
        public void Every_occurrence_of_every_secret_is_masked()
        {
            string scrubbed = Redaction.Scrub(
                "Token 'VPP-SECRET' is invalid; VPP-SECRET was sent with eyJhbGciOi.access", new[] { "VPP-SECRET", "eyJhbGciOi.access" });

            Assert.Equal("Token '***' is invalid; *** was sent with ***", scrubbed);
        }

        [Theory]
        [InlineData("abc", "the abc value", "the abc value")]
        [InlineData("abcd", "the abcd value", "the *** value")]
        public void Values_shorter_than_four_characters_are_left_alone(string secret, string text, string expected)
        {
            Assert.Equal(expected, Redaction.Scrub(text, new[] { secret }));
        }

        [Fact]
        public void Without_secrets_the_text_is_unchanged()
        {
            Assert.Equal("nothing to hide", Redaction.Scrub("nothing to hide", null));
            Assert.Equal("nothing to hide", Redaction.Scrub("nothing to hide", Array.Empty<string>()));
        }
    }
}
