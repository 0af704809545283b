using System;
using System.Collections.Generic;
using System.Globalization;

namespace GraphEmulator.Hosting;

/// <summary>Command-line options of the emulator process.</summary>
internal sealed record EmulatorOptions(
    string? SeedPath,
    int Port,
    int? HttpsPort,
    string? HttpsCertificatePath,
    string? HttpsCertificatePassword)
{
    public static EmulatorOptions Parse(IReadOnlyList<string> args)
    {
        string? seed = null, cert = null, password = null;
        int port = 0;
        int? httpsPort = null;
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"Option '{name}' needs a value.");
            switch (name)
            {
                case "--seed": seed = Value(); break;
                case "--port": port = ParsePort(name, Value()); break;
                case "--https-port": httpsPort = ParsePort(name, Value()); break;
                case "--https-cert": cert = Value(); break;
                case "--https-cert-password": password = Value(); break;
                default: throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        if (cert is not null && httpsPort is null)
        {
            httpsPort = 0;
        }

        if (httpsPort is not null && cert is null)
        {
            throw new ArgumentException("--https-port needs --https-cert <pfx>.");
        }

        return new EmulatorOptions(seed, port, httpsPort, cert, password);
    }

    private static int ParsePort(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port <= 65535
            ? port
            : throw new ArgumentException($"Option '{name}' needs a port number, got '{value}'.");
}
