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

        host.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, options.Port, listen => listen.Protocols = HttpProtocols.Http1);
            if (options.HttpsCertificatePath is { } pfx)
            {
                X509Certificate2 certificate = X509CertificateLoader.LoadPkcs12FromFile(pfx, options.HttpsCertificatePassword);
                kestrel.Listen(IPAddress.Loopback, options.HttpsPort ?? 0, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(certificate);
                });
            }
        });
    }
}
