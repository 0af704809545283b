using IntuneVpp.Client.Diagnostics;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>Text from the other side is cut to a readable size (saying that it was cut and how long it was), put on one line, and its dates written in one form.</summary>
    public sealed class ErrorTextTests
    {
        [Fact]
        public void Text_that_fits_is_kept_as_is()
        {
            Assert.Equal("short", ErrorText.Cut("short", 5));
        }

        [Fact]
        public void Longer_text_keeps_its_start_and_says_how_long_it_was()
        {
            Assert.Equal("abcde... [cut: 12,345 characters in all]", ErrorText.Cut("abcde" + new string('x', 12340), 5));
        }

        [Fact]
        public void A_cut_never_splits_a_surrogate_pair()
        {
            string text = "abcd\U0001F600" + new string('x', 10);

            string cut = ErrorText.Cut(text, 5);

            Assert.StartsWith("abcd...", cut, System.StringComparison.Ordinal);
        }

        [Fact]
        public void The_default_limit_is_a_few_kilobytes()
        {
            Assert.Equal(4096 + "... [cut: 1,000,000 characters in all]".Length, ErrorText.Cut(new string('x', 1000000)).Length);
        }

        [Fact]
        public void A_services_text_comes_through_on_one_line()
        {
            Assert.Equal("The token is invalid. { \"code\": 1 }", ErrorText.OneLine("  The token is invalid.\r\n\r\n\t{\n    \"code\": 1\n}  "));
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
