<#
.SYNOPSIS
Runs a warm-up until .NET's JIT has settled; dot-sourced by Invoke-Benchmark.ps1 and Measure-SetLoop.ps1.

.DESCRIPTION
.NET starts code that ships without precompiled native code (VppToken's, Azure.Core's) at tier 0 and recompiles what is
hot in the background over several thousand calls; figures taken before that measure the JIT. Wait-JitSettled runs
-Cycle (one round of every way measured) until -QuietCycles cycles in a row compile at most -SettledMethods methods, or
-MaxSeconds have passed, and returns the cycles run, the time taken and whether it settled.
#>
function Wait-JitSettled {
    param(
        [Parameter(Mandatory)] [scriptblock] $Cycle,
        [int] $SettledMethods = 5,
        [int] $QuietCycles = 3,
        [double] $MaxSeconds = 120
    )
    $timer = [Diagnostics.Stopwatch]::StartNew()
    $cycles = 0
    $quiet = 0
    while ($quiet -lt $QuietCycles -and $timer.Elapsed.TotalSeconds -lt $MaxSeconds) {
        $before = [Runtime.JitInfo]::GetCompiledMethodCount($false)
        $null = & $Cycle
        $cycles++
        $quiet = if ([Runtime.JitInfo]::GetCompiledMethodCount($false) - $before -le $SettledMethods) { $quiet + 1 } else { 0 }
    }
    [pscustomobject]@{ Cycles = $cycles; Seconds = $timer.Elapsed.TotalSeconds; Settled = $quiet -ge $QuietCycles }
}
