#Requires -Version 7.2
<#
.SYNOPSIS
Builds and tests VppToken: restores the build tools from NuGet and hands the task to Invoke-Build.

.EXAMPLE
dotnet tool restore; dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [Parameter()]
    [ValidateSet('Build', 'Package', 'Test', 'Demo', 'Bench', 'Mutate', 'Clean')]
    [string]
    $Task = 'Build',

    [Parameter()]
    [ValidateSet('Debug', 'Release')]
    [string]
    $Configuration = 'Release'
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# A log file is not a terminal: colour codes there only get in the way. NO_COLOR reaches the child pwsh and Pester.
if ([Console]::IsOutputRedirected) {
    $PSStyle.OutputRendering = 'PlainText'
    $env:NO_COLOR = '1'
}

# The PowerShell Gallery is not reachable from the build machines, so the build's own modules come from NuGet;
# tools/BuildTools.proj is the one place their versions live.
$toolsProject = [IO.Path]::Combine($PSScriptRoot, 'tools', 'BuildTools.proj')
dotnet restore $toolsProject --nologo --verbosity quiet
if ($LASTEXITCODE) {
    Write-Host "Restoring the build tools from NuGet failed (dotnet restore exited with $LASTEXITCODE)."
    exit 1
}

$packagesLine = dotnet nuget locals global-packages --list --force-english-output |
    Where-Object { $_ -match '^global-packages:\s*(.+?)\s*$' } |
    Select-Object -First 1
if (-not $packagesLine) {
    Write-Host 'Could not find the NuGet global packages folder (dotnet nuget locals global-packages --list).'
    exit 1
}
$packagesFolder = ($packagesLine -replace '^global-packages:\s*', '').Trim()

$buildTools = @{}
foreach ($download in ([xml](Get-Content -LiteralPath $toolsProject -Raw)).Project.ItemGroup.PackageDownload) {
    $version = $download.Version.Trim('[', ']')
    $buildTools[$download.Include] = [IO.Path]::Combine($packagesFolder, $download.Include.ToLowerInvariant(), $version, 'tools')
}

$invokeBuildManifest = [IO.Path]::Combine($buildTools['Invoke-Build'], 'InvokeBuild.psd1')
$pesterManifest = [IO.Path]::Combine($buildTools['Pester'], 'Pester.psd1')
foreach ($manifest in $invokeBuildManifest, $pesterManifest) {
    if (-not (Test-Path -LiteralPath $manifest -PathType Leaf)) {
        Write-Host "A build tool is missing after restore: $manifest"
        exit 1
    }
}

Import-Module -Name $invokeBuildManifest -Force

$invokeBuildSplat = @{
    Task          = $Task
    File          = [IO.Path]::Combine($PSScriptRoot, 'tools', 'VppToken.build.ps1')
    Configuration = $Configuration
    PesterPath    = $pesterManifest
    Result        = 'buildResult'
    Safe          = $true
}
Invoke-Build @invokeBuildSplat

if ($buildResult.Error) {
    exit 1
}
exit 0
