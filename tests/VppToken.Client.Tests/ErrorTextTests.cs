using System;
using System.Linq;
using IntuneVpp.Client.Diagnostics;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>Text from elsewhere, made to fit an error message: one line, readable length, dates in one form.</summary>
    public sealed class ErrorTextTests
    {
        [Fact]
        public void Short_text_comes_through_on_one_line()
        {
            Assert.Equal("The token is invalid. Try again.", ErrorText.Shorten("  The token is invalid.\r\n\r\n\tTry   again.  "));
        }

        [Fact]
        public void Long_text_is_cut_at_a_word_and_says_how_much_was_left_out()
        {
            string text = string.Join(" ", Enumerable.Range(1, 2000).Select(i => $"word{i}"));

            string shortened = ErrorText.Shorten(text, 100);

            Assert.True(shortened.Length < 140, shortened);
            Assert.StartsWith("word1 word2 ", shortened, StringComparison.Ordinal);
            Assert.Matches(@"^(word\d+ )*word\d+… \(\d+ more characters\)$", shortened);
            int kept = shortened.IndexOf('…');
            int left = int.Parse(shortened.Substring(kept + 3).Split(' ')[0]);
            Assert.Equal(text.Length, kept + left);
        }

        [Fact]
        public void Text_without_spaces_is_cut_at_the_limit()
        {
            string shortened = ErrorText.Shorten(new string('x', 500), 100);

            Assert.Equal(new string('x', 100) + "… (400 more characters)", shortened);
        }

        [Theory]
        [InlineData("2024-01-02T03:04:05", "2024-01-02T03:04:05Z")]
        [InlineData("2024-01-02T03:04:05.1234567Z", "2024-01-02T03:04:05Z")]
        [InlineData("2024-01-02T05:04:05+02:00", "2024-01-02T03:04:05Z")]
        [InlineData("Tue, 02 Jan 2024 03:04:05 GMT", "2024-01-02T03:04:05Z")]
        [InlineData("not a date", "not a date")]
        public void Dates_a_service_sends_are_written_in_ISO_8601_UTC(string sent, string written)
        {
            Assert.Equal(written, ErrorText.IsoDate(sent));
        }

        [Fact]
        public void A_callers_value_loses_control_characters_and_is_cut()
        {
            Assert.Equal("a?b", ErrorText.Printable("a\nb"));
            Assert.Equal(new string('y', 77) + "...", ErrorText.Printable(new string('y', 200)));
        }
    }
}
