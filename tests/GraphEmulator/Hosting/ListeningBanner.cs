using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace GraphEmulator.Hosting;

/// <summary>
/// The one contract with whoever started the process: "GraphEmulator listening on &lt;url&gt;" per listener,
/// http first, flushed at once, and nothing else on stdout.
/// </summary>
internal static class ListeningBanner
{
    public static void Print(IServer server)
    {
        ICollection<string> addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (string address in addresses.OrderBy(a => a.StartsWith("https:", StringComparison.OrdinalIgnoreCase)))
        {
            Console.Out.WriteLine("GraphEmulator listening on " + address.TrimEnd('/'));
        }

        Console.Out.Flush();
    }
}
