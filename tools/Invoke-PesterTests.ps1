<#
.SYNOPSIS
Runs the Pester tests against the built module; started by the build in a fresh `pwsh -NoProfile`.

.DESCRIPTION
Pester writes its NUnit 3 result file to ResultPath, which the build reads for the counts. The exit code is Pester's
own: failed tests plus failed blocks and files. It matters for a file that fails before its tests are found, the one
failure Pester leaves out of the result file.
#>
[CmdletBinding()]
param(
    # Pester.psd1 from the Pester NuGet package's tools/ folder.
    [Parameter(Mandatory)]
    [string]
    $PesterPath,

    # The folder holding the built module folder (out/), put first on PSModulePath.
    [Parameter(Mandatory)]
    [string]
    $ModuleRoot,

    [Parameter(Mandatory)]
    [string]
    $TestPath,

    [Parameter(Mandatory)]
    [string]
    $EmulatorPath,

    [Parameter(Mandatory)]
    [string]
    $ResultPath
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# Only the built module and PowerShell's own modules: nothing installed for the user may shadow or satisfy an
# import, so the tests see exactly what out/ ships.
$env:PSModulePath = @(
    [IO.Path]::GetFullPath($ModuleRoot)
    [IO.Path]::Combine($PSHOME, 'Modules')
) -join [IO.Path]::PathSeparator
$env:VPPTOKEN_EMULATOR_DLL = [IO.Path]::GetFullPath($EmulatorPath)

Import-Module -Name $PesterPath -Force

$configuration = New-PesterConfiguration
$configuration.Run.Path = [IO.Path]::GetFullPath($TestPath)
$configuration.Output.Verbosity = 'Detailed'
$configuration.TestResult.Enabled = $true
# NUnit 3, not 2.5: only NUnit 3 marks a block whose AfterAll failed (site="TearDown") although its tests passed.
$configuration.TestResult.OutputFormat = 'NUnit3'
$configuration.TestResult.OutputPath = [IO.Path]::GetFullPath($ResultPath)

Invoke-Pester -Configuration $configuration
exit $LASTEXITCODE
