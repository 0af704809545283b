using GraphEmulator.Auth;
using GraphEmulator.Scripts;
using GraphEmulator.Store;

namespace GraphEmulator.Control;

/// <summary>
/// What <c>POST /_emulator/reset</c> puts back: seed store, empty log, no scripts, default settings, no device
/// authorizations or consents. Registered apps and the managed identity stay, so a suite can register them once.
/// </summary>
internal sealed class EmulatorState(TenantDirectory tenants, RequestLog log, ScriptBook scripts, SettingsStore settings, DeviceCodeStore deviceCodes)
{
    public void Reset()
    {
        tenants.Reset();
        log.Clear();
        scripts.Clear();
        settings.Reset();
        deviceCodes.Clear();
    }
}
