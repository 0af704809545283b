using Microsoft.AspNetCore.Http;

namespace GraphEmulator.Control;

internal static class ControlPaths
{
    public const string Prefix = "/_emulator";

    public static bool IsControl(PathString path) => path.StartsWithSegments(Prefix);
}
