<#
.SYNOPSIS
Runs the Pester tests against the built module; started by the build in a fresh `pwsh -NoProfile`.

.DESCRIPTION
Writes the counts as JSON to SummaryPath for the build to read. Exits 0 when the counts were written, whatever
they are, and non-zero when the run itself broke; the build treats both a non-zero exit and a missing summary as
a failed suite.
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
    $ResultPath,

    [Parameter(Mandatory)]
    [string]
    $SummaryPath
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

function Write-Summary {
    param([int]$Passed, [int]$Failed, [int]$Skipped, [string[]]$FailedTests = @(), [string]$Problem)

    [ordered]@{
        Passed      = $Passed
        Failed      = $Failed
        Skipped     = $Skipped
        FailedTests = @($FailedTests)
        Problem     = $Problem
    } | ConvertTo-Json -Depth 3 | Set-Content -LiteralPath $SummaryPath -Encoding utf8
}

function Test-FailedTestInside {
    param([object]$Node)

    # Containers have Blocks but no Tests, and strict mode rejects a missing property.
    $tests = $Node.PSObject.Properties['Tests']
    $blocks = $Node.PSObject.Properties['Blocks']
    foreach ($test in @(if ($tests) { $tests.Value })) {
        if ($test.Result -eq 'Failed') {
            return $true
        }
    }
    foreach ($block in @(if ($blocks) { $blocks.Value })) {
        if (Test-FailedTestInside $block) {
            return $true
        }
    }
    $false
}

try {
    # Only the built module and PowerShell's own modules: nothing installed for the user may shadow or satisfy
    # an import, so the tests see exactly what out/ ships.
    $env:PSModulePath = @(
        [IO.Path]::GetFullPath($ModuleRoot)
        [IO.Path]::Combine($PSHOME, 'Modules')
    ) -join [IO.Path]::PathSeparator
    $env:VPPTOKEN_EMULATOR_DLL = [IO.Path]::GetFullPath($EmulatorPath)

    Import-Module -Name $PesterPath -Force

    $configuration = New-PesterConfiguration
    $configuration.Run.Path = [IO.Path]::GetFullPath($TestPath)
    $configuration.Run.PassThru = $true
    $configuration.Run.Exit = $false
    $configuration.Output.Verbosity = 'Detailed'
    $configuration.TestResult.Enabled = $true
    $configuration.TestResult.OutputFormat = 'NUnitXml'
    $configuration.TestResult.OutputPath = [IO.Path]::GetFullPath($ResultPath)

    $result = Invoke-Pester -Configuration $configuration

    # A file that fails discovery has no tests, and a block whose AfterAll throws has only passed ones: each such
    # container or block counts as one failure of its own, so a broken file can never pass as fewer tests.
    # A block whose tests Pester already failed (a throwing BeforeAll fails them all) adds nothing more.
    $failedTests = [System.Collections.Generic.List[string]]::new()
    $failed = 0
    foreach ($test in $result.Failed) {
        $failedTests.Add($test.ExpandedPath)
        $failed++
    }
    foreach ($block in $result.FailedBlocks) {
        if (-not (Test-FailedTestInside $block)) {
            $failedTests.Add("$($block.ExpandedPath) (BeforeAll or AfterAll failed)")
            $failed++
        }
    }
    foreach ($container in $result.FailedContainers) {
        if (-not (Test-FailedTestInside $container)) {
            $failedTests.Add("$($container.Item) (the file failed to run)")
            $failed++
        }
    }
    $problem = if ($result.Result -ne 'Passed' -and $failed -eq 0) {
        "Pester reported the run as $($result.Result) without a failed test."
    }
    Write-Summary -Passed $result.PassedCount -Failed $failed -Skipped $result.SkippedCount `
        -FailedTests $failedTests.ToArray() -Problem $problem
    exit 0
}
catch {
    Write-Host "The Pester run broke: $_"
    Write-Host $_.ScriptStackTrace
    Write-Summary -Failed 1 -Problem "The Pester run broke: $_"
    exit 1
}
