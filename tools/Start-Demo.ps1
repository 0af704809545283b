<#
.SYNOPSIS
Shows VppToken end to end against the local Graph emulator; started by the build's Demo task in a fresh pwsh.
#>
[CmdletBinding()]
param(
    # The built module folder, out/VppToken.
    [Parameter(Mandatory)]
    [string]
    $ModulePath,

    # tests/Pester/GraphEmulator.psm1, which starts and stops the emulator.
    [Parameter(Mandatory)]
    [string]
    $EmulatorModulePath,

    # out/GraphEmulator/GraphEmulator.dll.
    [Parameter(Mandatory)]
    [string]
    $EmulatorPath
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

function Write-DemoStep {
    param([string]$Narration, [string]$Command)

    Write-Host ''
    Write-Host "# $Narration"
    if ($Command) {
        Write-Host "PS> $Command"
    }
}

$env:VPPTOKEN_EMULATOR_DLL = [IO.Path]::GetFullPath($EmulatorPath)
Import-Module -Name $EmulatorModulePath -Force

Write-DemoStep 'Start the Graph emulator on loopback; it stands in for https://graph.microsoft.com.'
$emulator = Start-GraphEmulator
Write-Host "Emulator listening at $($emulator.Uri)"
try {
    Write-DemoStep 'Import the module that the build assembled.' 'Import-Module ./out/VppToken'
    Import-Module -Name ([IO.Path]::GetFullPath($ModulePath)) -Force

    Write-DemoStep 'Connect with an access token; -GraphEndpoint points the module at the emulator.' `
        "Connect-IntuneVpp -AccessToken (ConvertTo-SecureString 'demo-token' -AsPlainText -Force) -GraphEndpoint '$($emulator.Uri)'"
    Connect-IntuneVpp -AccessToken (ConvertTo-SecureString 'demo-token' -AsPlainText -Force) -GraphEndpoint $emulator.Uri

    Write-DemoStep 'List the tenant''s Apple VPP tokens.' 'Get-IntuneVppToken | Format-Table'
    $tokens = @(Get-IntuneVppToken)
    $tokens | Format-Table | Out-Host
    if ($tokens.Count -eq 0) {
        throw 'The emulator returned no VPP tokens, so there is nothing to update.'
    }

    $id = $tokens[0].Id
    Write-DemoStep "Turn on automatic app updates for token $id and set its country." `
        "Set-IntuneVppToken -Id $id -AutomaticallyUpdateApps `$true -CountryOrRegion 'us' -PassThru | Format-List"
    Set-IntuneVppToken -Id $id -AutomaticallyUpdateApps $true -CountryOrRegion 'us' -PassThru | Format-List | Out-Host
}
finally {
    Write-DemoStep 'Stop the emulator.'
    Stop-GraphEmulator -Emulator $emulator
}
