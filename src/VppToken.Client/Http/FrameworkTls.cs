using System;
using System.Net;
using System.Threading;

namespace IntuneVpp.Client.Http
{
    /// <summary>
    /// .NET Framework takes the TLS versions HttpClient may use from ServicePointManager, and on hosts whose default is
    /// still Ssl3 and TLS 1.0 (Windows PowerShell 5.1 on an older or unhardened Windows) sign-in and Graph fail with
    /// "the underlying connection was closed". TLS 1.2, and 1.3 where the runtime knows it, are added to what is
    /// already enabled, once per process and before our first connection; nothing is ever removed. .NET (PowerShell 7)
    /// ignores that setting and negotiates with the operating system, so it is left alone there.
    /// </summary>
    internal static class FrameworkTls
    {
        // SecurityProtocolType.Tls13 exists from .NET Framework 4.8 on; netstandard2.0 does not name it.
        private const SecurityProtocolType Tls13 = (SecurityProtocolType)12288;
        private const SecurityProtocolType SystemDefault = 0;

        private static int _applied;

        public static void EnsureEnabled()
        {
            if (Interlocked.Exchange(ref _applied, 1) == 1 || !IsFrameworkProfile)
            {
                return;
            }

            SecurityProtocolType current = ServicePointManager.SecurityProtocol;
            SecurityProtocolType wanted = WithModernProtocols(current, Enum.IsDefined(typeof(SecurityProtocolType), Tls13));
            if (wanted != current)
            {
                ServicePointManager.SecurityProtocol = wanted;
            }
        }

        /// <summary>.NET Framework, or Mono, which runs the same profile; not .NET Core or .NET 5+.</summary>
        internal static bool IsFrameworkProfile => string.Equals(typeof(object).Assembly.GetName().Name, "mscorlib", StringComparison.Ordinal);

        /// <summary>
        /// SystemDefault already lets the operating system pick the best version, and adding a flag to it would
        /// replace that choice with a fixed list, so it stays as it is.
        /// </summary>
        internal static SecurityProtocolType WithModernProtocols(SecurityProtocolType current, bool tls13Known)
        {
            if (current == SystemDefault)
            {
                return current;
            }

            SecurityProtocolType wanted = current | SecurityProtocolType.Tls12;
            return tls13Known ? wanted | Tls13 : wanted;
        }
    }
}
