<#
.SYNOPSIS
Starts the project's Graph emulator on a free loopback port, to try the module by hand after a build.

.DESCRIPTION
Runs out/GraphEmulator/GraphEmulator.dll (built by `dotnet pwsh ./build.ps1`) in the background and writes an object
with its Uri (what Connect-IntuneVpp -GraphEndpoint takes), its Process, and a Stop() method. With -Wait it stays
in the foreground instead, until Ctrl+C, for a terminal of its own. The emulator is test infrastructure: it stands
in for Microsoft Graph and Entra ID, and holds the tenants of tests/GraphEmulator/seed.json.

.EXAMPLE
$emulator = ./tools/Start-Emulator.ps1
Import-Module ./out/VppToken
Connect-IntuneVpp -AccessToken (ConvertTo-SecureString 'demo-token' -AsPlainText -Force) -GraphEndpoint $emulator.Uri
Get-IntuneVppToken
$emulator.Stop()

.EXAMPLE
dotnet pwsh ./tools/Start-Emulator.ps1 -Wait

Keeps the emulator running in this terminal until Ctrl+C; connect from another one to the address it prints.
#>
[CmdletBinding()]
param(
    # Stay in the foreground until Ctrl+C.
    [switch]
    $Wait,

    # A seed file (JSON) to load instead of tests/GraphEmulator/seed.json.
    [string]
    $Seed
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$root = Split-Path -Path $PSScriptRoot -Parent
$dll = [IO.Path]::Combine($root, 'out', 'GraphEmulator', 'GraphEmulator.dll')
if (-not $env:VPPTOKEN_EMULATOR_DLL -and -not (Test-Path -LiteralPath $dll)) {
    throw "The emulator is not built ($dll is missing): run 'dotnet tool restore; dotnet pwsh ./build.ps1' in $root first."
}

Import-Module -Name ([IO.Path]::Combine($root, 'tests', 'Pester', 'GraphEmulator.psm1')) -Force
$start = @{}
if ($Seed) { $start.Seed = $Seed }
$emulator = Start-GraphEmulator @start
$emulator | Add-Member -MemberType ScriptMethod -Name Stop -Value {
    if (-not $this.Process.HasExited) {
        $this.Process.Kill()
        $null = $this.Process.WaitForExit(5000)
    }
}

if (-not $Wait) {
    Write-Host "Graph emulator listening at $($emulator.Uri) (process $($emulator.Process.Id)); stop it with `$emulator.Stop()."
    return $emulator
}

Write-Host "Graph emulator listening at $($emulator.Uri); Ctrl+C stops it."
try {
    $emulator.Process.WaitForExit()
}
finally {
    $emulator.Stop()
}
