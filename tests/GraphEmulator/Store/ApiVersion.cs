namespace GraphEmulator.Store;

/// <summary>The two Graph versions the emulator serves; beta sees more of the vppToken than v1.0.</summary>
internal enum ApiVersion
{
    V1,
    Beta,
}

internal static class ApiVersionNames
{
    public static string Segment(this ApiVersion version) => version == ApiVersion.Beta ? "beta" : "v1.0";
}
