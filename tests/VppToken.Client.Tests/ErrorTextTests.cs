using IntuneVpp.Client.Diagnostics;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>Text from the other side is cut to a readable size, and says that it was cut and how long it was.</summary>
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
    }
}
