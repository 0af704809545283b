#Requires -Version 7.2
<#
.SYNOPSIS
Measures how long `Import-Module VppToken` and the first Graph call after it take, each in a fresh pwsh.

.DESCRIPTION
Not a test: it prints figures. Each of -Count fresh `pwsh -NoProfile` processes times, inside the process,
Import-Module VppToken, then Connect-IntuneVpp with an access token and the first Get-IntuneVppToken against a
Graph emulator started here. Prints the median, the spread (min, quartiles, max) and every sample.

Needs the built module (out/VppToken) and emulator (out/GraphEmulator): `dotnet pwsh ./build.ps1` first.

.EXAMPLE
dotnet pwsh ./tools/Measure-Import.ps1
#>
[CmdletBinding()]
param(
    # The folder holding the built module folder, put first on PSModulePath in each child.
    [string]
    $ModuleRoot = ([IO.Path]::Combine($PSScriptRoot, '..', 'out')),

    [ValidateRange(1, 100)]
    [int]
    $Count = 10
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$ModuleRoot = [IO.Path]::GetFullPath($ModuleRoot)
$env:VPPTOKEN_EMULATOR_DLL = [IO.Path]::Combine($ModuleRoot, 'GraphEmulator', 'GraphEmulator.dll')
Import-Module -Name ([IO.Path]::Combine($PSScriptRoot, '..', 'tests', 'Pester', 'GraphEmulator.psm1')) -Force

# Under `dotnet pwsh` (the build's local tool) this process is the dotnet host running pwsh.dll.
$pwshPath = [Environment]::ProcessPath
$pwshArguments = @(
    if ([IO.Path]::GetFileNameWithoutExtension($pwshPath) -eq 'dotnet') {
        [IO.Path]::Combine($PSHOME, 'pwsh.dll')
    }
)

$child = @'
$ErrorActionPreference = 'Stop'
$clock = [Diagnostics.Stopwatch]::StartNew()
Import-Module -Name VppToken
$import = $clock.Elapsed.TotalMilliseconds
$clock.Restart()
Connect-IntuneVpp -AccessToken (ConvertTo-SecureString -String 'measure' -AsPlainText -Force) -GraphEndpoint $env:MEASURE_GRAPH_URI
$connect = $clock.Elapsed.TotalMilliseconds
$clock.Restart()
$count = @(Get-IntuneVppToken).Count
$get = $clock.Elapsed.TotalMilliseconds
if ($count -lt 1) { throw 'Get-IntuneVppToken returned nothing.' }
[ordered]@{ Import = $import; Connect = $connect; FirstGet = $get } | ConvertTo-Json -Compress
'@

function Get-Spread {
    param([string]$Name, [double[]]$Sample)

    $sorted = [double[]]($Sample | Sort-Object)
    $at = {
        param([double]$fraction)
        $position = $fraction * ($sorted.Count - 1)
        $low = [Math]::Floor($position)
        $high = [Math]::Ceiling($position)
        $sorted[$low] + ($sorted[$high] - $sorted[$low]) * ($position - $low)
    }
    [pscustomobject]@{
        Measure  = $Name
        MedianMs = [Math]::Round((& $at 0.5), 1)
        MinMs    = [Math]::Round($sorted[0], 1)
        Q1Ms     = [Math]::Round((& $at 0.25), 1)
        Q3Ms     = [Math]::Round((& $at 0.75), 1)
        MaxMs    = [Math]::Round($sorted[-1], 1)
    }
}

$emulator = Start-GraphEmulator
$savedPath = $env:PSModulePath
try {
    $env:PSModulePath = @($ModuleRoot, [IO.Path]::Combine($PSHOME, 'Modules')) -join [IO.Path]::PathSeparator
    $env:MEASURE_GRAPH_URI = $emulator.Uri.AbsoluteUri
    $samples = foreach ($run in 1..$Count) {
        $output = & $pwshPath @pwshArguments -NoProfile -NonInteractive -Command $child 2>&1
        if ($LASTEXITCODE) {
            throw "Run $run failed (exit code $LASTEXITCODE): $($output -join [Environment]::NewLine)"
        }
        $sample = ($output | Select-Object -Last 1) | ConvertFrom-Json
        $sample | Add-Member -NotePropertyName Run -NotePropertyValue $run -PassThru
    }
}
finally {
    $env:PSModulePath = $savedPath
    Remove-Item -Path Env:MEASURE_GRAPH_URI -ErrorAction SilentlyContinue
    Stop-GraphEmulator -Emulator $emulator
}

$firstCall = [double[]]@($samples | ForEach-Object { $_.Connect + $_.FirstGet })
Write-Host "VppToken from $ModuleRoot, $Count fresh pwsh -NoProfile processes, PowerShell $($PSVersionTable.PSVersion)"
@(
    Get-Spread 'Import-Module VppToken' ([double[]]@($samples.Import))
    Get-Spread 'Connect-IntuneVpp (access token)' ([double[]]@($samples.Connect))
    Get-Spread 'first Get-IntuneVppToken' ([double[]]@($samples.FirstGet))
    Get-Spread 'first Graph call (Connect + Get)' $firstCall
) | Format-Table -AutoSize | Out-String | Write-Host
$samples | Select-Object Run,
    @{ Name = 'ImportMs'; Expression = { [Math]::Round($_.Import, 1) } },
    @{ Name = 'ConnectMs'; Expression = { [Math]::Round($_.Connect, 1) } },
    @{ Name = 'FirstGetMs'; Expression = { [Math]::Round($_.FirstGet, 1) } } |
    Format-Table -AutoSize | Out-String | Write-Host
