using IntuneVpp.Client.Fleet;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>The location in the name Apple gives a token file's download, and how it is compared.</summary>
    public sealed class TokenLocationTests
    {
        [Theory]
        [InlineData("/files/sToken_for_Main Campus.vpptoken", "Main Campus")]
        [InlineData("sToken_for_St. Mary's.vpptoken", "St. Mary's")]
        [InlineData("stoken_for_north.VppToken", "north")]
        [InlineData("sToken_for_North", "North")]
        [InlineData("contoso.vpptoken", null)]
        [InlineData("sToken_for_.vpptoken", null)]
        [InlineData("my sToken_for_North.vpptoken", null)]
        public void The_location_is_what_follows_sToken_for_in_the_file_name(string path, string? expected)
        {
            Assert.Equal(expected, TokenLocation.FromFileName(path));
        }

        [Theory]
        [InlineData("main campus", "Main Campus", true)]
        [InlineData("Main_Campus", "Main  Campus", true)]
        [InlineData("Main Campus (2)", "Main Campus", true)]
        [InlineData("Room (2)", "Room (2)", true)]
        [InlineData("Main", "Main Campus", false)]
        [InlineData("Main Campus", "Main Campus (2)", false)]
        public void Locations_match_without_regard_to_case_spacing_or_a_browsers_copy_number(string file, string token, bool expected)
        {
            Assert.Equal(expected, TokenLocation.Matches(file, token));
        }

        [Fact]
        public void A_token_location_is_its_location_name_else_its_display_name()
        {
            Assert.Equal("HQ", TokenLocation.Of(new VppToken { LocationName = "HQ", DisplayName = "Main" }));
            Assert.Equal("Main", TokenLocation.Of(new VppToken { LocationName = " ", DisplayName = "Main" }));
            Assert.Null(TokenLocation.Of(new VppToken()));
        }
    }
}
