using System.Net;
using IntuneVpp.Client.Http;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>What the module adds to ServicePointManager.SecurityProtocol on .NET Framework.</summary>
    public sealed class FrameworkTlsTests
    {
        private const SecurityProtocolType Tls13 = (SecurityProtocolType)12288;
#pragma warning disable CS0618, SYSLIB0014 // Ssl3 and TLS 1.0/1.1 are obsolete, which is what these cases are about.
        private const SecurityProtocolType Ssl3 = SecurityProtocolType.Ssl3;
        private const SecurityProtocolType Tls = SecurityProtocolType.Tls;
        private const SecurityProtocolType Tls11 = SecurityProtocolType.Tls11;
#pragma warning restore CS0618, SYSLIB0014

        public static TheoryData<string, SecurityProtocolType, bool, SecurityProtocolType> Cases => new()
        {
            { "Windows PowerShell's old default, Ssl3 and TLS 1.0, on .NET Framework 4.8", Ssl3 | Tls, true, Ssl3 | Tls | SecurityProtocolType.Tls12 | Tls13 },
            { "the same on .NET Framework 4.7.2, which has no Tls13", Ssl3 | Tls, false, Ssl3 | Tls | SecurityProtocolType.Tls12 },
            { "TLS 1.0 and 1.1 kept for some old proxy", Tls | Tls11, true, Tls | Tls11 | SecurityProtocolType.Tls12 | Tls13 },
            { "TLS 1.2 already on", SecurityProtocolType.Tls12, false, SecurityProtocolType.Tls12 },
            { "TLS 1.2 and 1.3 already on", SecurityProtocolType.Tls12 | Tls13, true, SecurityProtocolType.Tls12 | Tls13 },
            { "SystemDefault, where the operating system already picks", 0, true, 0 },
        };

        [Theory]
        [MemberData(nameof(Cases))]
        public void Adds_TLS_12_and_13_and_removes_nothing(string scenario, SecurityProtocolType current, bool tls13Known, SecurityProtocolType expected)
        {
            SecurityProtocolType result = FrameworkTls.WithModernProtocols(current, tls13Known);

            Assert.True(expected == result, $"{scenario}: expected {expected}, got {result}");
            Assert.True((result & current) == current, $"{scenario}: {current} lost something");
        }

        [Fact]
#pragma warning disable SYSLIB0014 // Obsolete on .NET because it does nothing there, which is what this checks.
        public void Leaves_PowerShell_7_alone()
        {
            // These tests run on .NET, where HttpClient ignores ServicePointManager and the module must not touch it.
            SecurityProtocolType before = ServicePointManager.SecurityProtocol;

            FrameworkTls.EnsureEnabled();

            Assert.False(FrameworkTls.IsFrameworkProfile);
            Assert.Equal(before, ServicePointManager.SecurityProtocol);
        }
#pragma warning restore SYSLIB0014
    }
}
