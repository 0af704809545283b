<#
.SYNOPSIS
One PowerShell loop of Set-IntuneVppToken (or of the floor cmdlet) against a running emulator, printing wall time and
this process's CPU per call: the loop bench/profile.md puts under perf.

.DESCRIPTION
Not part of the Bench task: the per-call section of Invoke-Benchmark.ps1 alternates the ways in one process, which is
what the results table reports. This loop runs one way alone for as long as a profiler needs, e.g.

    DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 taskset -c 1 dotnet <pwsh.dll> -NoProfile -File tools/Bench/Measure-SetLoop.ps1 -Uri http://127.0.0.1:<port>/ -Id <token id> -Count 20000
    perf record -F 4000 -g -p <that pid> -- sleep 6; perf script > perf.txt
    python3 tools/Bench/perf-breakdown.py perf.txt <CPU per call it printed>
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [uri] $Uri,
    [Parameter(Mandatory)] [string] $Id,
    [int] $Count = 20000,
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/VppToken/VppToken.psd1'),
    # Loops the floor cmdlet (out/Bench/FloorModule, published by the Bench task) instead of Set-IntuneVppToken.
    [string] $FloorModulePath
)

$ErrorActionPreference = 'Stop'
if ($FloorModulePath) {
    Import-Module $FloorModulePath
    [FloorModule.RawPatch]::Configure($Uri.AbsoluteUri, 'bench')
    $call = { $null = Invoke-FloorPatch -Id $Id -CountryOrRegion us }
}
else {
    Import-Module $ModulePath
    $null = Connect-IntuneVpp -AccessToken (ConvertTo-SecureString 'bench' -AsPlainText -Force) -GraphEndpoint $Uri.AbsoluteUri -WriteLimit 0
    $call = { $null = Set-IntuneVppToken -Id $Id -CountryOrRegion us }
}

# Warmed first, until the JIT has settled (rounds of 500 calls, as the Bench task's rule says): the first calls set up
# the connection, and .NET recompiles hot tier-0 code in the background over several thousand calls.
. (Join-Path $PSScriptRoot 'Wait-JitSettled.ps1')
$warm = Wait-JitSettled -Cycle { for ($i = 0; $i -lt 500; $i++) { & $call } }
"warmed by {0} calls in {1:N1} s{2}; measuring (process $PID)" -f ($warm.Cycles * 500), $warm.Seconds, $(if ($warm.Settled) { '' } else { ' (not settled)' })

$process = [Diagnostics.Process]::GetCurrentProcess()
$cpuBefore = $process.TotalProcessorTime
$timer = [Diagnostics.Stopwatch]::StartNew()
for ($i = 0; $i -lt $Count; $i++) { & $call }
$wall = $timer.Elapsed.TotalMilliseconds * 1000 / $Count
$process.Refresh()
$cpu = ($process.TotalProcessorTime - $cpuBefore).TotalMilliseconds * 1000 / $Count
'wall {0:N1} us, CPU {1:N1} us per call ({2} calls)' -f $wall, $cpu, $Count
