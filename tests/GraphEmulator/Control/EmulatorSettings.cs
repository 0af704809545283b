namespace GraphEmulator.Control;

/// <summary>
/// A sliding-window quota. <see cref="RetryAfter"/> is "seconds" (whole, rounded up), "fractional", "none"
/// (no header, as Intune sometimes does) or any other text sent verbatim.
/// </summary>
internal sealed record QuotaSetting(int Limit, int WindowMs, string RetryAfter);

/// <summary>Behaviour switches tests flip through <c>PUT /_emulator/settings</c>.</summary>
internal sealed record EmulatorSettings(
    bool PatchNoContent,
    int? PageSize,
    bool SyncLicensesWrapped,
    int SyncCompletesAfterMs,
    QuotaSetting? WriteQuota,
    QuotaSetting? ReadQuota)
{
    public static EmulatorSettings Default { get; } = new(false, null, false, 0, null, null);
}
