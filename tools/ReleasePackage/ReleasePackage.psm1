<#
Makes the release artefacts from the built module folder: the nupkg that Install-PSResource and Install-Module take
(made by PSResourceGet's own Publish-PSResource, so it is exactly what a Gallery publish would upload), the zip that
Azure Automation imports, and SHA256SUMS. Every step checks what it made and throws a message that says what to fix.
#>
Set-StrictMode -Version Latest

# Azure Automation fails to import a module whose zip holds a path this long or longer.
$MaxZipEntryPathLength = 140

# What Publish-PSResource adds to a nupkg besides the module's own files.
$NupkgMetadataPatterns = @('`[Content_Types`].xml', '_rels/*', 'package/*', '*.nuspec')

foreach ($part in 'Manifest', 'Changelog', 'Archive', 'Publish') {
    . ([IO.Path]::Combine($PSScriptRoot, "$part.ps1"))
}

<#
.SYNOPSIS
Makes VppToken.<version>.nupkg, VppToken.zip and SHA256SUMS in OutputPath from the built module folder.
.DESCRIPTION
The packaged copy is the built folder without .pdb files, with LICENSE added and the CHANGELOG section of its
version as PSData.ReleaseNotes. OutputPath is removed first. Throws, before anything is written there, when the
manifest is invalid or has empty strings, when the changelog has no section for the version, or when a file the
module needs is missing; and after, when either artefact lacks a file of the packaged copy.
.PARAMETER RequiredFile
Paths relative to the module folder that must be there (the manifest's own files are always required).
#>
function New-ReleasePackage {
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(Mandatory)] [string] $ModulePath,
        [Parameter(Mandatory)] [string] $ChangelogPath,
        [Parameter(Mandatory)] [string] $LicensePath,
        [Parameter(Mandatory)] [string] $OutputPath,
        [string[]] $RequiredFile = @())

    if (-not $PSCmdlet.ShouldProcess($OutputPath, "Package $ModulePath")) { return }
    # A failed run leaves no artefacts behind that could pass for this version's.
    Remove-Item -LiteralPath $OutputPath -Recurse -Force -ErrorAction SilentlyContinue

    $moduleName = Split-Path -Path $ModulePath -Leaf
    $manifestPath = [IO.Path]::Combine($ModulePath, "$moduleName.psd1")
    if (-not (Test-Path -LiteralPath $manifestPath -PathType Leaf)) {
        throw "There is no $moduleName.psd1 in $ModulePath; build the module first."
    }
    if (-not (Test-Path -LiteralPath $LicensePath -PathType Leaf)) {
        throw "There is no license file at $LicensePath; the package must carry it."
    }
    Assert-ModuleManifest -ManifestPath $manifestPath
    Assert-ManifestHasNoEmptyString -ManifestPath $manifestPath
    $version = Get-ReleaseVersion -ManifestPath $manifestPath
    $notes = Get-ChangelogSection -Path $ChangelogPath -Version $version.Version

    $work = [IO.Path]::Combine([IO.Path]::GetTempPath(), 'vpptoken-package-' + [guid]::NewGuid().ToString('n'))
    $stage = [IO.Path]::Combine($work, $moduleName)
    try {
        $null = New-Item -ItemType Directory -Path $stage -Force
        Copy-Item -Path ([IO.Path]::Combine($ModulePath, '*')) -Destination $stage -Recurse
        Get-ChildItem -LiteralPath $stage -Filter '*.pdb' -File -Recurse | Remove-Item -Force
        Copy-Item -LiteralPath $LicensePath -Destination ([IO.Path]::Combine($stage, 'LICENSE'))
        $stagedManifest = [IO.Path]::Combine($stage, "$moduleName.psd1")
        Set-ManifestReleaseNote -ManifestPath $stagedManifest -ReleaseNotes $notes

        # Again on the copy: the release notes must not have broken it.
        Assert-ModuleManifest -ManifestPath $stagedManifest
        $needed = @($RequiredFile) + @(Get-ManifestFile -ManifestPath $stagedManifest) + @('LICENSE', "$moduleName.psd1") | Sort-Object -Unique
        $files = @(Get-RelativeFile -Path $stage)
        $missing = @($needed | Where-Object { $_ -cnotin $files })
        if ($missing) {
            throw "The module folder $ModulePath lacks files the module needs: $($missing -join ', '). Build it again (build.ps1 -Task Build)."
        }

        $null = New-Item -ItemType Directory -Path $OutputPath -Force
        $nupkg = Publish-ModuleNupkg -ModulePath $stage -DestinationFolder $OutputPath
        $expectedName = "$moduleName.$($version.Version).nupkg"
        if ((Split-Path -Path $nupkg -Leaf) -ne $expectedName) {
            throw "Publish-PSResource wrote $(Split-Path -Path $nupkg -Leaf), not $expectedName."
        }
        Assert-ArchiveContent -Path $nupkg -ExpectedFile $files -IgnorePattern $NupkgMetadataPatterns

        $zip = [IO.Path]::Combine($OutputPath, "$moduleName.zip")
        New-AutomationModuleZip -ModulePath $stage -DestinationPath $zip
        Assert-ArchiveContent -Path $zip -ExpectedFile $files -Prefix "$moduleName/" -MaxPathLength $MaxZipEntryPathLength

        $sums = [IO.Path]::Combine($OutputPath, 'SHA256SUMS')
        Write-Sha256Sum -Path $nupkg, $zip -DestinationPath $sums
        [pscustomobject]@{ Version = $version.Version; Nupkg = $nupkg; Zip = $zip; Sha256Sums = $sums; Files = $files }
    }
    finally {
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
    }
}

Export-ModuleMember -Function Get-ReleaseVersion, Assert-ModuleManifest, Assert-ManifestHasNoEmptyString, Get-ChangelogSection, Set-ManifestReleaseNote,
    Get-RelativeFile, Get-ArchiveEntry, Assert-ArchiveContent, New-AutomationModuleZip, Publish-ModuleNupkg, Write-Sha256Sum,
    New-ReleasePackage, Get-ManifestFile, Get-IsolatedEnvironment
