using System;
using System.Globalization;
using GraphEmulator.Auth;
using GraphEmulator.Control;

namespace GraphEmulator.Throttling;

/// <summary>The read and write quotas of the settings, per (tenant, app) as Intune counts them.</summary>
internal sealed class Throttle
{
    private readonly SettingsStore _settings;
    private readonly SlidingWindow _writes;
    private readonly SlidingWindow _reads;

    public Throttle(SettingsStore settings, TimeProvider clock)
    {
        _settings = settings;
        _writes = new SlidingWindow(clock);
        _reads = new SlidingWindow(clock);
        settings.Changed += () =>
        {
            _writes.Clear();
            _reads.Clear();
        };
    }

    /// <returns>null when admitted; otherwise the Retry-After header value ("" = send no header).</returns>
    public string? Check(Caller caller, bool write)
    {
        EmulatorSettings settings = _settings.Current;
        string key = caller.TenantId + "|" + caller.AppId;
        return Admit(_reads, settings.ReadQuota, key) ?? (write ? Admit(_writes, settings.WriteQuota, key) : null);
    }

    private static string? Admit(SlidingWindow window, QuotaSetting? quota, string key)
    {
        if (quota is null || window.TryAdmit(key, quota.Limit, TimeSpan.FromMilliseconds(quota.WindowMs)) is not TimeSpan wait)
        {
            return null;
        }

        return quota.RetryAfter switch
        {
            "seconds" => Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture),
            "fractional" => Math.Max(0.001, wait.TotalSeconds).ToString("0.###", CultureInfo.InvariantCulture),
            "none" => string.Empty,
            string literal => literal,
        };
    }
}
