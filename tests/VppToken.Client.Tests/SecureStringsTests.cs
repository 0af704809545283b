using System;
using System.Security;
using IntuneVpp.Client.Authentication;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>The Apple token and access tokens held as SecureStrings: the same text comes back, and nothing can change it.</summary>
    public sealed class SecureStringsTests
    {
        [Theory]
        [InlineData("")]
        [InlineData("a")]
        [InlineData("eyJ0b2tlbiI6IlZQUCJ9")]
        [InlineData("ünïcødé ✓ 𝄞")]
        public void Text_made_secure_reads_back_the_same(string text)
        {
            using SecureString secure = SecureStrings.FromPlainText(text);

            Assert.Equal(text.Length, secure.Length);
            Assert.Equal(text, SecureStrings.ToPlainText(secure));
            Assert.True(secure.IsReadOnly());
            Assert.Throws<InvalidOperationException>(() => secure.AppendChar('x'));
        }

        [Fact]
        public void Reading_a_secure_string_as_text_frees_the_unmanaged_copy_it_makes()
        {
            // Each read copies the text (128 KB here) into unmanaged memory, which must be zeroed and freed: 2,000
            // reads that kept their copies would hold 256 MB more than the process had before.
            using SecureString secure = SecureStrings.FromPlainText(new string('s', SecureStrings.MaxLength));
            using var process = System.Diagnostics.Process.GetCurrentProcess();
            long before = process.WorkingSet64;

            for (int i = 0; i < 2000; i++)
            {
                _ = SecureStrings.ToPlainText(secure);
            }

            GC.Collect();
            process.Refresh();
            Assert.True(process.WorkingSet64 - before < 96L * 1024 * 1024, $"The working set grew by {(process.WorkingSet64 - before) / 1024 / 1024} MB.");
        }

        [Fact]
        public void The_longest_text_a_secure_string_holds_is_taken_and_one_more_is_refused()
        {
            string longest = new('t', SecureStrings.MaxLength);

            using SecureString secure = SecureStrings.FromPlainText(longest);

            Assert.Equal(SecureStrings.MaxLength, secure.Length);
            Assert.ThrowsAny<ArgumentException>(() => SecureStrings.FromPlainText(longest + "t"));
        }
    }
}
