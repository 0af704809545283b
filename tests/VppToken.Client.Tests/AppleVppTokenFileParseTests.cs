using System;
using System.IO;
using System.Text;
using IntuneVpp.Client.Authentication;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>Apple's .vpptoken file: base64 text of a JSON object with the token, its expiry and the organization.</summary>
    public sealed class AppleVppTokenFileParseTests
    {
        private const string Path = "/tokens/contoso.vpptoken";

        private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

        private static string FileText(string expDate = "2030-08-15T18:13:52-0700", string orgName = "Contoso Ltd.") =>
            Base64($$"""{"token":"S2VlcCB0aGlzIHNlY3JldA==","expDate":"{{expDate}}","orgName":"{{orgName}}"}""");

        private static string Prefix(string path) => $"'{path}' is not a usable Apple VPP token file: ";

        /// <summary>The clause the message gives as the problem, between the file's name and the final period.</summary>
        private static string ProblemOf(AppleVppTokenFileException error)
        {
            Assert.StartsWith(Prefix(error.Path), error.Message, StringComparison.Ordinal);
            Assert.EndsWith(".", error.Message, StringComparison.Ordinal);
            return error.Message.Substring(Prefix(error.Path).Length, error.Message.Length - Prefix(error.Path).Length - 1);
        }

        private static (string Problem, Exception? InnerException) Refused(string content)
        {
            var error = Assert.Throws<AppleVppTokenFileException>(() => AppleVppTokenFile.Parse(content, Path));
            Assert.Equal(Path, error.Path);
            return (ProblemOf(error), error.InnerException);
        }

        [Fact]
        public void A_file_gives_its_organization_expiry_and_the_whole_content_as_the_token()
        {
            string content = FileText();

            AppleVppTokenFile file = AppleVppTokenFile.Parse(content, Path);

            Assert.Equal(Path, file.Path);
            Assert.Equal("Contoso Ltd.", file.OrganizationName);
            Assert.Equal(new DateTimeOffset(2030, 8, 15, 18, 13, 52, TimeSpan.FromHours(-7)), file.ExpirationDateTime);
            Assert.Equal(TimeSpan.FromHours(-7), file.ExpirationDateTime.Offset);
            Assert.Equal(content, SecureStrings.ToPlainText(file.Token));
            Assert.Equal("Contoso Ltd. (expires 2030-08-15)", file.ToString());
        }

        [Fact]
        public void Line_breaks_and_spaces_in_the_file_are_not_part_of_the_token()
        {
            string content = FileText();
            string wrapped = "  " + content.Substring(0, 20) + "\r\n" + content.Substring(20, 20) + "\n\t" + content.Substring(40) + " \n";

            AppleVppTokenFile file = AppleVppTokenFile.Parse(wrapped, Path);

            Assert.Equal(content, SecureStrings.ToPlainText(file.Token));
            Assert.Equal("Contoso Ltd.", file.OrganizationName);
        }

        [Fact]
        public void Days_until_expiration_count_whole_days_left_and_an_expired_file_says_so()
        {
            DateTimeOffset inTenDays = DateTimeOffset.UtcNow.AddDays(10).AddHours(1);
            DateTimeOffset halfADayAgo = DateTimeOffset.UtcNow.AddHours(-12);

            AppleVppTokenFile valid = AppleVppTokenFile.Parse(FileText(inTenDays.ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", System.Globalization.CultureInfo.InvariantCulture)), Path);
            AppleVppTokenFile expired = AppleVppTokenFile.Parse(FileText(halfADayAgo.ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", System.Globalization.CultureInfo.InvariantCulture)), Path);

            Assert.Equal(10, valid.DaysUntilExpiration);
            Assert.False(valid.IsExpired);
            Assert.Equal(-1, expired.DaysUntilExpiration);
            Assert.True(expired.IsExpired);
        }

        [Theory]
        [InlineData("2014-08-15T18:13:52-0700", "2014-08-15T18:13:52-07:00")]
        [InlineData("2014-08-15T18:13:52+0530", "2014-08-15T18:13:52+05:30")]
        [InlineData("2014-08-15T18:13:52-07:00", "2014-08-15T18:13:52-07:00")]
        [InlineData("2014-08-15T18:13:52Z", "2014-08-15T18:13:52+00:00")]
        [InlineData(" 2014-08-15T18:13:52-0700 ", "2014-08-15T18:13:52-07:00")]
        public void Apple_dates_are_read_with_their_offset_written_with_or_without_a_colon(string value, string expected)
        {
            DateTimeOffset? date = AppleVppTokenFile.ParseAppleDate(value);

            Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), date);
            Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).Offset, date!.Value.Offset);
        }

        [Theory]
        [InlineData("2014-08-15")]
        [InlineData("15/08/2014 18:13:52")]
        [InlineData("Aug 15 2014 18:13")]
        [InlineData("2014-08-15T25:13:52-0700")]
        [InlineData("soon")]
        public void Anything_but_an_iso_date_time_is_not_an_apple_date(string value)
        {
            Assert.Null(AppleVppTokenFile.ParseAppleDate(value));
        }

        [Theory]
        [InlineData("")]
        [InlineData(" \r\n\t ")]
        public void An_empty_file_is_refused_as_empty(string content)
        {
            Assert.Equal("it is empty", Refused(content).Problem);
        }

        [Fact]
        public void No_content_at_all_is_refused_as_empty()
        {
            Assert.Equal("it is empty", Refused(null!).Problem);
        }

        [Fact]
        public void A_file_that_is_not_base64_is_refused_as_such()
        {
            var error = Refused("{\"token\":\"not base64\"}");

            Assert.Equal("it is not base64 text, as Apple's .vpptoken files are", error.Problem);
            Assert.IsType<FormatException>(error.InnerException);
        }

        [Fact]
        public void Base64_of_something_that_is_not_json_is_refused_as_not_json()
        {
            var error = Refused(Base64("token=abc; expDate=2030"));

            Assert.Equal("its decoded content is not JSON", error.Problem);
        }

        [Fact]
        public void Base64_of_bytes_that_are_not_text_is_refused_without_a_raw_exception()
        {
            byte[] bytes = Encoding.UTF8.GetBytes("{\"token\":\"x\",\"expDate\":\"2030-08-15T18:13:52-0700\",\"orgName\":\"Org ?\"}");
            bytes[bytes.Length - 3] = 0xFF;

            Assert.Equal("its decoded content is not text", Refused(Convert.ToBase64String(bytes)).Problem);
        }

        [Theory]
        [InlineData("[1,2]")]
        [InlineData("\"text\"")]
        public void Json_that_is_not_an_object_is_refused_as_such(string json)
        {
            Assert.Equal("its decoded content is not a JSON object", Refused(Base64(json)).Problem);
        }

        [Theory]
        [InlineData("""{"expDate":"2030-08-15T18:13:52-0700","orgName":"Org"}""", "token")]
        [InlineData("""{"token":"x","orgName":"Org"}""", "expDate")]
        [InlineData("""{"token":"x","expDate":"2030-08-15T18:13:52-0700"}""", "orgName")]
        public void A_missing_field_is_named(string json, string field)
        {
            Assert.Equal($"it lacks the '{field}' field", Refused(Base64(json)).Problem);
        }

        [Theory]
        [InlineData("""{"token":"","expDate":"2030-08-15T18:13:52-0700","orgName":"Org"}""", "token")]
        [InlineData("""{"token":"x","expDate":" ","orgName":"Org"}""", "expDate")]
        [InlineData("""{"token":"x","expDate":"2030-08-15T18:13:52-0700","orgName":42}""", "orgName")]
        [InlineData("""{"token":null,"expDate":"2030-08-15T18:13:52-0700","orgName":"Org"}""", "token")]
        public void An_empty_or_non_text_field_is_named(string json, string field)
        {
            Assert.Equal($"its '{field}' field is empty or not a string", Refused(Base64(json)).Problem);
        }

        [Fact]
        public void A_bad_expiry_is_quoted_with_an_example_of_a_good_one()
        {
            var error = Refused(FileText(expDate: "next summer"));

            Assert.Equal("its expDate 'next summer' is not a date such as 2014-08-15T18:13:52-0700", error.Problem);
        }

        [Fact]
        public void Read_takes_the_file_from_disk()
        {
            string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".vpptoken");
            File.WriteAllText(path, FileText() + "\n");
            try
            {
                AppleVppTokenFile file = AppleVppTokenFile.Read(path);

                Assert.Equal(path, file.Path);
                Assert.Equal("Contoso Ltd.", file.OrganizationName);
                Assert.Equal(FileText(), SecureStrings.ToPlainText(file.Token));
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public void A_file_that_is_not_there_is_named_with_the_path()
        {
            string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), Guid.NewGuid().ToString("N"), "missing.vpptoken");

            var error = Assert.Throws<AppleVppTokenFileException>(() => AppleVppTokenFile.Read(path));

            Assert.Equal(path, error.Path);
            Assert.Equal(AppleVppTokenFileProblem.NotFound, error.Kind);
            Assert.Equal($"The token file '{path}' does not exist.", error.Message);
            Assert.IsAssignableFrom<IOException>(error.InnerException);
        }
    }
}
