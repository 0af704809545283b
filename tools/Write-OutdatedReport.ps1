#Requires -Version 7.2
<#
.SYNOPSIS
Writes which shipped dependencies have newer versions, for the release artefacts: outdated-dependencies.md and
outdated-dependencies.json in -OutputPath.

.DESCRIPTION
Runs `dotnet list package --outdated --include-transitive` on the module project (which holds the client's packages
too), once for the newest version and once for the newest patch of the version in use, and writes one table: each
package with the version shipped, the newest patch and the newest version the NuGet source serves. The runtime
family stays on the 10.0 LTS line on purpose (see Directory.Packages.props), so for those a newer patch is the one
to take, and an 11.0 is not. Returns the files written. Fails when dotnet list fails, so a release never ships
with a report that silently says nothing.

.EXAMPLE
./tools/Write-OutdatedReport.ps1 -OutputPath ./out/release
#>
[CmdletBinding()]
param(
    # The folder to write into (made if missing), normally next to the release artefacts.
    [Parameter(Mandatory)]
    [string]
    $OutputPath,

    [string]
    $Project = ([IO.Path]::Combine($PSScriptRoot, '..', 'src', 'VppToken', 'VppToken.csproj'))
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

function Get-JsonValue {
    param($Object, [string]$Name)
    if ($null -ne $Object -and $Object.PSObject.Properties[$Name]) { $Object.$Name }
}

function Read-OutdatedPackage {
    param([string[]]$Option)

    $output = dotnet list $Project package --outdated --include-transitive @Option --format json 2>&1
    $text = ($output | ForEach-Object { "$_" }) -join [Environment]::NewLine
    $start = $text.IndexOf('{')
    if ($LASTEXITCODE -ne 0 -or $start -lt 0) {
        throw "dotnet list package --outdated $Option failed (exit code $LASTEXITCODE): $text"
    }
    $report = $text.Substring($start) | ConvertFrom-Json
    $packages = foreach ($projectReport in @(Get-JsonValue $report 'projects')) {
        foreach ($framework in @(Get-JsonValue $projectReport 'frameworks')) {
            foreach ($kind in 'topLevelPackages', 'transitivePackages') {
                foreach ($package in @(Get-JsonValue $framework $kind)) {
                    [pscustomobject]@{
                        Package  = [string](Get-JsonValue $package 'id')
                        Shipped  = [string](Get-JsonValue $package 'resolvedVersion')
                        Newer    = [string](Get-JsonValue $package 'latestVersion')
                        Direct   = $kind -eq 'topLevelPackages'
                    }
                }
            }
        }
    }
    [pscustomobject]@{ Sources = @(Get-JsonValue $report 'sources'); Packages = @($packages) }
}

$latest = Read-OutdatedPackage
$patch = Read-OutdatedPackage -Option '--highest-patch'

$names = @($latest.Packages.Package) + @($patch.Packages.Package) | Sort-Object -Unique
$rows = foreach ($name in $names) {
    $newest = $latest.Packages | Where-Object Package -eq $name | Select-Object -First 1
    $newestPatch = $patch.Packages | Where-Object Package -eq $name | Select-Object -First 1
    $any = if ($newest) { $newest } else { $newestPatch }
    [pscustomobject]@{
        Package     = $name
        Shipped     = $any.Shipped
        Direct      = $any.Direct
        NewestPatch = if ($newestPatch -and $newestPatch.Newer -ne $any.Shipped) { $newestPatch.Newer } else { '' }
        Newest      = if ($newest) { $newest.Newer } else { '' }
    }
}

$generated = [DateTimeOffset]::UtcNow.ToString('u')
$sources = @($latest.Sources) -join ', '
$null = New-Item -Path $OutputPath -ItemType Directory -Force
$jsonPath = [IO.Path]::Combine($OutputPath, 'outdated-dependencies.json')
$markdownPath = [IO.Path]::Combine($OutputPath, 'outdated-dependencies.md')

[ordered]@{ generated = $generated; project = [IO.Path]::GetFileName($Project); sources = @($latest.Sources); packages = @($rows) } |
    ConvertTo-Json -Depth 4 | Set-Content -LiteralPath $jsonPath -Encoding utf8

$markdown = @(
    '# Outdated dependencies'
    ''
    "Generated $generated from ``dotnet list package --outdated --include-transitive`` on $([IO.Path]::GetFileName($Project)) (source: $sources)."
    'The .NET runtime family stays on the 10.0 LTS line on purpose (Directory.Packages.props): take a newer patch, not 11.0.'
    ''
    if ($rows) {
        '| Package | Shipped | Newest patch | Newest | Reference |'
        '|---|---|---|---|---|'
        foreach ($row in $rows) {
            "| $($row.Package) | $($row.Shipped) | $($row.NewestPatch) | $($row.Newest) | $(if ($row.Direct) { 'direct' } else { 'transitive' }) |"
        }
    }
    else {
        'Every dependency is on the newest version the source serves.'
    }
)
Set-Content -LiteralPath $markdownPath -Value $markdown -Encoding utf8
Get-Item -LiteralPath $markdownPath, $jsonPath
