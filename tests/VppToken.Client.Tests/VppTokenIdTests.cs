using System;
using IntuneVpp.Client.Graph;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>Only a GUID may go into a vppToken URL; anything else is refused with a readable reason.</summary>
    public sealed class VppTokenIdTests
    {
        [Theory]
        [InlineData("9ceb2f92-2f92-9ceb-922f-eb9c922feb9c")]
        [InlineData("9CEB2F92-2F92-9CEB-922F-EB9C922FEB9C")]
        [InlineData("9ceb2f922f929ceb922feb9c922feb9c")]
        [InlineData("{9ceb2f92-2f92-9ceb-922f-eb9c922feb9c}")]
        [InlineData("(9ceb2f92-2f92-9ceb-922f-eb9c922feb9c)")]
        [InlineData("  9ceb2f92-2f92-9ceb-922f-eb9c922feb9c \t")]
        public void Every_guid_form_is_accepted_and_normalised_to_lowercase_hyphenated(string id)
        {
            string? normalized = VppTokenId.Normalize(id, out string? problem);

            Assert.Equal("9ceb2f92-2f92-9ceb-922f-eb9c922feb9c", normalized);
            Assert.Null(problem);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("\t\r\n")]
        public void An_empty_id_is_refused_as_empty(string? id)
        {
            string? normalized = VppTokenId.Normalize(id, out string? problem);

            Assert.Null(normalized);
            Assert.Contains("empty", problem, StringComparison.OrdinalIgnoreCase);
        }

        [Theory]
        [InlineData("../../me")]
        [InlineData("a/b")]
        [InlineData("%2e%2e")]
        [InlineData("9ceb2f92-2f92-9ceb-922f-eb9c922feb9c/../../me")]
        [InlineData("9ceb2f92-2f92-9ceb-922f-eb9c922feb9c?$select=token")]
        [InlineData("9ceb2f92-2f92-9ceb-922f-eb9c922feb9")]
        public void A_value_that_is_not_a_guid_is_refused_with_the_value_in_the_message(string id)
        {
            string? normalized = VppTokenId.Normalize(id, out string? problem);

            Assert.Null(normalized);
            Assert.NotNull(problem);
            Assert.Contains("is not a VPP token id", problem, StringComparison.Ordinal);
            Assert.Contains(id, problem, StringComparison.Ordinal);
        }

        [Fact]
        public void Control_characters_are_refused_and_not_echoed()
        {
            const string id = "9ceb2f92\u0000\u001b[2J\r\nX-Injected: 1";

            string? normalized = VppTokenId.Normalize(id, out string? problem);

            Assert.Null(normalized);
            Assert.NotNull(problem);
            foreach (char c in problem)
            {
                Assert.False(char.IsControl(c), $"the message holds control character U+{(int)c:X4}");
            }
        }

        [Fact]
        public void A_very_long_value_is_shortened_in_the_message()
        {
            string id = new('x', 5000);

            VppTokenId.Normalize(id, out string? problem);

            Assert.NotNull(problem);
            Assert.True(problem.Length < 300, $"message is {problem.Length} characters long");
        }

        [Fact]
        public void A_value_of_eighty_characters_is_quoted_whole_and_a_longer_one_is_cut_with_an_ellipsis()
        {
            string eighty = new('y', 80);
            string longer = new string('z', 77) + "ABCD";

            VppTokenId.Normalize(eighty, out string? whole);
            VppTokenId.Normalize(longer, out string? cut);

            Assert.Contains("'" + eighty + "'", whole, StringComparison.Ordinal);
            Assert.Contains("'" + new string('z', 77) + "...'", cut, StringComparison.Ordinal);
            Assert.DoesNotContain("ABCD", cut, StringComparison.Ordinal);
        }
    }
}
