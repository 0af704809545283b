<#
.SYNOPSIS
Shows VppToken end to end against the local Graph emulator; started by the build's Demo task in a fresh pwsh.

.DESCRIPTION
Every command the demo runs, the emulator's start and stop included, is printed first ("PS> ...") and then run
exactly as printed, from the repository's root: pasted into pwsh there after a build, the same lines do the same.
#>
[CmdletBinding()]
param(
    # The repository, where the printed commands run from; the parent of tools/ by default.
    [string]
    $RepositoryRoot = (Split-Path -Path $PSScriptRoot -Parent)
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$steps = @(
    @{ Say = 'Go to the repository: every path below is relative to it.'; Run = "Set-Location -LiteralPath '$([IO.Path]::GetFullPath($RepositoryRoot).Replace("'", "''"))'" }
    @{ Say = 'Start the Graph emulator on loopback; it stands in for https://graph.microsoft.com and Entra ID.'; Run = '$emulator = ./tools/Start-Emulator.ps1' }
    @{ Say = 'Import the module that the build assembled.'; Run = 'Import-Module ./out/VppToken' }
    @{ Say = 'Connect with an access token; -GraphEndpoint points the module at the emulator.'; Run = 'Connect-IntuneVpp -AccessToken (ConvertTo-SecureString ''demo-token'' -AsPlainText -Force) -GraphEndpoint $emulator.Uri' }
    @{ Say = 'List the tenant''s Apple VPP tokens.'; Run = 'Get-IntuneVppToken' }
    @{ Say = 'Take the first token''s id.'; Run = '$id = (Get-IntuneVppToken | Select-Object -First 1).Id' }
    @{ Say = 'See what an update would send, without sending it.'; Run = 'Set-IntuneVppToken -Id $id -AutomaticallyUpdateApps $true -CountryOrRegion us -WhatIf' }
    @{ Say = 'Send it, and show the token Graph has now.'; Run = 'Set-IntuneVppToken -Id $id -AutomaticallyUpdateApps $true -CountryOrRegion us -PassThru | Format-List' }
)
$stop = @{ Say = 'Stop the emulator.'; Run = '$emulator.Stop()' }

$emulator = $null
try {
    # At the script's own level, not in a function, so that $emulator and $id live on from one step to the next.
    foreach ($step in $steps) {
        Write-Host ''
        Write-Host "# $($step.Say)"
        Write-Host "PS> $($step.Run)"
        . ([scriptblock]::Create($step.Run)) | Out-Host
    }
}
finally {
    if ($emulator) {
        Write-Host ''
        Write-Host "# $($stop.Say)"
        Write-Host "PS> $($stop.Run)"
        . ([scriptblock]::Create($stop.Run))
    }
}
