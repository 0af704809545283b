using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace GraphEmulator.Hosting;

/// <summary>Loopback-only listeners: plain http always, https when a pfx is given (Entra ID's token endpoint must be https).</summary>
internal static class KestrelSetup
{
    public static void UseEmulatorListeners(this IWebHostBuilder host, EmulatorOptions options)
    {
        if (options.HttpsCertificatePath is not null)
        {
            host.UseKestrelHttpsConfiguration();
        }

        // Loaded here, not inside the Kestrel callback, so a wrong path or password fails before start-up with a clear message.
        X509Certificate2? certificate = options.HttpsCertificatePath is { } pfx
            ? X509CertificateLoader.LoadPkcs12FromFile(pfx, options.HttpsCertificatePassword)
            : null;
        host.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, options.Port, listen => listen.Protocols = HttpProtocols.Http1);
            if (certificate is not null)
            {
                kestrel.Listen(IPAddress.Loopback, options.HttpsPort ?? 0, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(certificate);
                });
            }
        });
    }
}
