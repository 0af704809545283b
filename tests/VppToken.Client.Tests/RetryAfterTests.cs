using System;
using IntuneVpp.Client.Http;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>Every Retry-After form seen from Graph and the proxies in front of it.</summary>
    public sealed class RetryAfterTests
    {
        private static readonly DateTimeOffset Now = new(2015, 10, 21, 7, 27, 30, TimeSpan.Zero);

        [Theory]
        [InlineData("5", 5000)]
        [InlineData("0", 0)]
        [InlineData(" 120 ", 120_000)]
        [InlineData("2.128", 2128)]
        [InlineData("0.05", 50)]
        [InlineData("30,120", 30_000)]
        [InlineData("0.1, 5", 100)]
        public void Seconds_whole_fractional_or_listed_give_the_first_delay(string header, int milliseconds)
        {
            Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), RetryAfter.Parse(header, Now));
        }

        [Fact]
        public void An_http_date_gives_the_time_until_then()
        {
            Assert.Equal(TimeSpan.FromSeconds(30), RetryAfter.Parse("Wed, 21 Oct 2015 07:28:00 GMT", Now));
        }

        [Fact]
        public void An_http_date_in_the_past_means_no_wait()
        {
            Assert.Equal(TimeSpan.Zero, RetryAfter.Parse("Wed, 21 Oct 2015 07:00:00 GMT", Now));
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("soon")]
        [InlineData("-5")]
        [InlineData("NaN")]
        [InlineData("Infinity")]
        [InlineData("five")]
        public void Garbage_or_nothing_gives_null_so_the_caller_backs_off(string? header)
        {
            Assert.Null(RetryAfter.Parse(header, Now));
        }

        [Theory]
        [InlineData("86400")]
        [InlineData("99999999999999999999999")]
        [InlineData("Fri, 21 Oct 2016 07:28:00 GMT")]
        public void A_huge_wait_is_capped_at_an_hour(string header)
        {
            Assert.Equal(TimeSpan.FromHours(1), RetryAfter.Parse(header, Now));
        }
    }
}
