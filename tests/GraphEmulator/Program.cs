using System;
using System.IO;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Tasks;
using GraphEmulator.Auth;
using GraphEmulator.Control;
using GraphEmulator.Endpoints;
using GraphEmulator.Hosting;
using GraphEmulator.Pipeline;
using GraphEmulator.Scripts;
using GraphEmulator.Store;
using GraphEmulator.Throttling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GraphEmulator;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        EmulatorOptions options;
        WebApplication app;
        try
        {
            options = EmulatorOptions.Parse(args);
            app = Build(options, SeedFile.Load(options.SeedPath ?? Path.Combine(AppContext.BaseDirectory, "seed.json")));
        }
        catch (Exception ex) when (ex is ArgumentException or SeedException or IOException or JsonException or CryptographicException)
        {
            await Console.Error.WriteLineAsync("GraphEmulator: " + ex.Message).ConfigureAwait(false);
            return 2;
        }

        app.Services.GetRequiredService<EmulatorState>().Reset();
        await app.StartAsync().ConfigureAwait(false);
        ListeningBanner.Print(app.Services.GetRequiredService<IServer>());
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }

    private static WebApplication Build(EmulatorOptions options, SeedFile seed)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });

        // stdout belongs to the listening banner; whatever ASP.NET has to say goes to stderr, warnings and up.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseEmulatorListeners(options);

        builder.Services
            .AddSingleton(TimeProvider.System)
            .AddSingleton(seed)
            .AddSingleton<TenantDirectory>()
            .AddSingleton<RequestLog>()
            .AddSingleton<ScriptBook>()
            .AddSingleton<SettingsStore>()
            .AddSingleton<Throttle>()
            .AddSingleton<EmulatorTokens>()
            .AddSingleton<AppRegistry>()
            .AddSingleton<ManagedIdentityStore>()
            .AddSingleton<DeviceCodeStore>()
            .AddSingleton<EmulatorState>();

        WebApplication app = builder.Build();
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<RequestLogMiddleware>();
        app.UseMiddleware<ScriptMiddleware>();
        app.MapControl().MapAuthControl();
        app.MapGraph();
        app.MapManagedIdentity();
        app.MapTokenEndpoint();
        app.MapDeviceCodeEndpoint();
        app.MapDiscovery();
        app.MapFallback(NotFoundEndpoint.Handle);
        return app;
    }
}
