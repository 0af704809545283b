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

# SemVer 1 labels, which is all PowerShellGet 2 and the Gallery accept: letters and digits, starting with a letter.
$PrereleasePattern = '^[A-Za-z][A-Za-z0-9]*$'

<#
.SYNOPSIS
The version a package of the manifest gets: ModuleVersion, and '-<Prerelease>' when PSData has one.
#>
function Get-ReleaseVersion {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $ManifestPath)

    $data = Import-PowerShellDataFile -LiteralPath $ManifestPath
    $moduleVersion = [version]$data['ModuleVersion']
    $privateData = $data['PrivateData']
    $psData = if ($privateData -is [hashtable]) { $privateData['PSData'] }
    $prerelease = if ($psData -is [hashtable]) { $psData['Prerelease'] }

    if ($null -eq $prerelease) {
        return [pscustomobject]@{ ModuleVersion = $moduleVersion; Prerelease = $null; Version = "$moduleVersion" }
    }
    if ($prerelease -notmatch $PrereleasePattern) {
        throw "${ManifestPath}: Prerelease '$prerelease' is not a label PowerShellGet accepts; use letters and digits only, starting with a letter (such as 'preview1')."
    }
    if ($moduleVersion.Revision -ge 0) {
        throw "${ManifestPath}: a prerelease needs a three-part ModuleVersion (such as 0.2.0), not '$moduleVersion'."
    }
    [pscustomobject]@{ ModuleVersion = $moduleVersion; Prerelease = $prerelease; Version = "$moduleVersion-$prerelease" }
}

<#
.SYNOPSIS
Throws with Test-ModuleManifest's own words when it finds the manifest invalid.
#>
function Assert-ModuleManifest {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $ManifestPath)

    $found = $null
    $manifest = $null
    try {
        $manifest = Test-ModuleManifest -Path $ManifestPath -ErrorAction SilentlyContinue -ErrorVariable found
    }
    catch {
        $found = @($_)
    }
    # -ErrorVariable also holds the bare exception of a terminating error; the records say the same, without a stack.
    $messages = @($found | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } |
            ForEach-Object { $_.Exception.Message } | Select-Object -Unique)
    if ($messages -or -not $manifest) {
        throw "$(Split-Path -Path $ManifestPath -Leaf) is not a valid module manifest (Test-ModuleManifest): $($messages -join ' ')"
    }
}

<#
.SYNOPSIS
Throws when the manifest is not a valid data file or holds an empty string: PowerShellGet and the Gallery refuse an
empty URI or tag, and a key without a value is better left out.
#>
function Assert-ManifestHasNoEmptyString {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $ManifestPath)

    $tokens = $null
    $problems = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($ManifestPath, [ref]$tokens, [ref]$problems)
    if ($problems) {
        $first = $problems[0]
        throw "${ManifestPath}:$($first.Extent.StartLineNumber): the manifest does not parse: $($first.Message)"
    }
    $empty = @($ast.FindAll({
                param($node)
                ($node -is [System.Management.Automation.Language.StringConstantExpressionAst] -or
                $node -is [System.Management.Automation.Language.ExpandableStringExpressionAst]) -and $node.Value -eq ''
            }, $true))
    if ($empty) {
        $places = ($empty | ForEach-Object { "$(Get-HashtableKeyOf $_) on line $($_.Extent.StartLineNumber)" }) -join ', '
        throw "${ManifestPath}: the manifest has empty strings, which Publish-PSResource and the Gallery refuse: $places. Leave such a key out until it has a value."
    }
}

# The key of the manifest entry whose value holds the node.
function Get-HashtableKeyOf {
    param([System.Management.Automation.Language.Ast] $Node)

    for ($current = $Node; $null -ne $current.Parent; $current = $current.Parent) {
        if ($current.Parent -is [System.Management.Automation.Language.HashtableAst]) {
            foreach ($pair in $current.Parent.KeyValuePairs) {
                if ($pair.Item2 -eq $current) { return $pair.Item1.Extent.Text.Trim('''"') }
            }
        }
    }
    'a value'
}

<#
.SYNOPSIS
The text of the CHANGELOG.md section '## [<Version>]' (or '## <Version>'), without its heading and trailing link
definitions. Throws when there is no such section, more than one, or an empty one.
#>
function Get-ChangelogSection {
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [string] $Version)

    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) {
        throw "There is no changelog at $Path; the package's release notes come from its section for $Version."
    }
    $lines = @(Get-Content -LiteralPath $Path)
    $starts = @(for ($i = 0; $i -lt $lines.Count; $i++) {
            if ($lines[$i] -match '^##\s+\[?v?(?<version>[^\]\s]+)\]?(\s|$)' -and $Matches.version -eq $Version) { $i }
        })
    if ($starts.Count -eq 0) {
        throw "${Path} has no section for $Version. Add '## [$Version]' with the release's notes before packaging it."
    }
    if ($starts.Count -gt 1) {
        throw "${Path} has $($starts.Count) sections for ${Version} (lines $(($starts | ForEach-Object { $_ + 1 }) -join ', ')); keep one."
    }

    $body = [System.Collections.Generic.List[string]]::new()
    for ($i = $starts[0] + 1; $i -lt $lines.Count -and $lines[$i] -notmatch '^##?\s'; $i++) {
        $body.Add($lines[$i].TrimEnd())
    }
    # Link definitions ('[0.1.0]: https://...') close the file and belong to no section.
    while ($body.Count -gt 0 -and ($body[$body.Count - 1] -eq '' -or $body[$body.Count - 1] -match '^\[[^\]]+\]:\s*\S+$')) {
        $body.RemoveAt($body.Count - 1)
    }
    while ($body.Count -gt 0 -and $body[0] -eq '') {
        $body.RemoveAt(0)
    }
    if ($body.Count -eq 0) {
        throw "${Path}: the section for $Version (line $($starts[0] + 1)) is empty; write what changed before packaging it."
    }
    $body -join "`n"
}

<#
.SYNOPSIS
Writes ReleaseNotes into the PSData of a manifest file, replacing any value there; the rest of the file is kept as it
is. Meant for the packaged copy: the repository's manifest stays without release notes.
#>
function Set-ManifestReleaseNote {
    [CmdletBinding(SupportsShouldProcess)]
    param([Parameter(Mandatory)] [string] $ManifestPath, [Parameter(Mandatory)] [string] $ReleaseNotes)

    if ($ReleaseNotes -match "(?m)^'@") {
        throw "The release notes have a line that starts with '@, which would end the manifest's here-string; reword that line."
    }
    $text = [IO.File]::ReadAllText($ManifestPath)
    $tokens = $null
    $problems = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseInput($text, [ref]$tokens, [ref]$problems)
    if ($problems) {
        throw "${ManifestPath}:$($problems[0].Extent.StartLineNumber): the manifest does not parse: $($problems[0].Message)"
    }

    $psData = Find-HashtableEntry -Hashtable (Find-HashtableEntry -Hashtable $ast.Find({ param($n) $n -is [System.Management.Automation.Language.HashtableAst] }, $true) -Key 'PrivateData') -Key 'PSData'
    if ($null -eq $psData) {
        throw "${ManifestPath}: the manifest has no PrivateData.PSData table to put ReleaseNotes in."
    }

    $newLine = if ($text.Contains("`r`n")) { "`r`n" } else { "`n" }
    $notes = "@'$newLine" + ($ReleaseNotes -replace '\r?\n', $newLine) + "$newLine'@"
    $existing = $psData.KeyValuePairs | Where-Object { $_.Item1.Extent.Text.Trim('''"') -eq 'ReleaseNotes' } | Select-Object -First 1
    if ($existing) {
        $start = $existing.Item2.Extent.StartOffset
        $end = $existing.Item2.Extent.EndOffset
        $updated = $text.Substring(0, $start) + $notes + $text.Substring($end)
    }
    else {
        # Before the closing brace, on a line of its own, indented like the table's other keys.
        $close = $psData.Extent.EndOffset - 1
        $indent = if ($psData.KeyValuePairs.Count -gt 0) { ' ' * ($psData.KeyValuePairs[0].Item1.Extent.StartColumnNumber - 1) } else { '' }
        $lineStart = $text.LastIndexOf("`n", $close) + 1
        $entry = "${indent}ReleaseNotes = $notes$newLine"
        $updated = if ($text.Substring($lineStart, $close - $lineStart).Trim() -eq '') {
            $text.Substring(0, $lineStart) + $entry + $text.Substring($lineStart)
        }
        else {
            $text.Substring(0, $close) + $newLine + $entry + $text.Substring($close)
        }
    }
    if ($PSCmdlet.ShouldProcess($ManifestPath, 'Write ReleaseNotes')) {
        [IO.File]::WriteAllText($ManifestPath, $updated, [Text.UTF8Encoding]::new($false))
    }
}

function Find-HashtableEntry {
    param([AllowNull()] $Hashtable, [string] $Key)

    if ($null -eq $Hashtable) { return $null }
    foreach ($pair in $Hashtable.KeyValuePairs) {
        if ($pair.Item1.Extent.Text.Trim('''"') -eq $Key) {
            return $pair.Item2.Find({ param($n) $n -is [System.Management.Automation.Language.HashtableAst] }, $true)
        }
    }
    $null
}

<#
.SYNOPSIS
The files of a folder as sorted relative paths with '/' separators.
#>
function Get-RelativeFile {
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [string] $Path)

    $root = [IO.Path]::GetFullPath($Path).TrimEnd([IO.Path]::DirectorySeparatorChar) + [IO.Path]::DirectorySeparatorChar
    Get-ChildItem -LiteralPath $Path -File -Recurse -Force |
        ForEach-Object { $_.FullName.Substring($root.Length).Replace([IO.Path]::DirectorySeparatorChar, '/') } |
        Sort-Object -CaseSensitive
}

<#
.SYNOPSIS
The file entries of a zip (a nupkg is one too), as paths with '/' separators.
#>
function Get-ArchiveEntry {
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [string] $Path)

    Add-Type -AssemblyName System.IO.Compression
    $stream = [IO.File]::OpenRead($Path)
    try {
        $archive = [System.IO.Compression.ZipArchive]::new($stream, [System.IO.Compression.ZipArchiveMode]::Read)
        try {
            # A nupkg escapes some characters in its entry names; a directory entry ends with '/'.
            $archive.Entries | Where-Object { -not $_.FullName.EndsWith('/') } |
                ForEach-Object { [uri]::UnescapeDataString($_.FullName.Replace('\', '/')) }
        }
        finally { $archive.Dispose() }
    }
    finally { $stream.Dispose() }
}

<#
.SYNOPSIS
Throws unless the archive holds exactly the expected module files under Prefix (besides the entries that match
IgnorePattern), no .pdb, and, with MaxPathLength, no entry path that long or longer.
#>
function Assert-ArchiveContent {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [string[]] $ExpectedFile,
        [string] $Prefix = '',
        [string[]] $IgnorePattern = @(),
        [int] $MaxPathLength)

    $entries = @(Get-ArchiveEntry -Path $Path)
    $name = Split-Path -Path $Path -Leaf
    $problems = [System.Collections.Generic.List[string]]::new()

    $kept = @($entries | Where-Object { $entry = $_; -not ($IgnorePattern | Where-Object { $entry -like $_ }) })
    $outside = @($kept | Where-Object { -not $_.StartsWith($Prefix, [StringComparison]::Ordinal) })
    $module = @($kept | Where-Object { $_.StartsWith($Prefix, [StringComparison]::Ordinal) } | ForEach-Object { $_.Substring($Prefix.Length) })

    $missing = @($ExpectedFile | Where-Object { $_ -cnotin $module })
    $unexpected = @($module | Where-Object { $_ -cnotin $ExpectedFile })
    $symbols = @($entries | Where-Object { $_ -like '*.pdb' })
    if ($missing) { $problems.Add("missing $($missing -join ', ')") }
    if ($unexpected) { $problems.Add("not part of the module: $($unexpected -join ', ')") }
    if ($outside) { $problems.Add("outside the '$Prefix' folder: $($outside -join ', ')") }
    if ($symbols) { $problems.Add("debug symbols, which a release does not ship: $($symbols -join ', ')") }
    if ($MaxPathLength) {
        $long = @($entries | Where-Object { $_.Length -ge $MaxPathLength })
        if ($long) { $problems.Add("paths of $MaxPathLength characters or more, which Azure Automation refuses: $($long -join ', ')") }
    }
    if ($problems.Count -gt 0) {
        throw "$name is not a complete module package: $($problems -join '; ')."
    }
}

<#
.SYNOPSIS
Zips a module folder for Azure Automation: one root folder named like the module, holding its manifest and the rest.
#>
function New-AutomationModuleZip {
    [CmdletBinding(SupportsShouldProcess)]
    param([Parameter(Mandatory)] [string] $ModulePath, [Parameter(Mandatory)] [string] $DestinationPath)

    if (-not $PSCmdlet.ShouldProcess($DestinationPath, 'Create Azure Automation module zip')) { return }
    Add-Type -AssemblyName System.IO.Compression
    $moduleName = Split-Path -Path $ModulePath -Leaf
    $stream = [IO.File]::Create($DestinationPath)
    try {
        $archive = [System.IO.Compression.ZipArchive]::new($stream, [System.IO.Compression.ZipArchiveMode]::Create)
        try {
            # Written by hand rather than with Compress-Archive: entry names must use '/' on every platform.
            foreach ($file in Get-RelativeFile -Path $ModulePath) {
                $entry = $archive.CreateEntry("$moduleName/$file", [System.IO.Compression.CompressionLevel]::Optimal)
                $source = [IO.Path]::Combine($ModulePath, $file)
                $entry.LastWriteTime = [IO.File]::GetLastWriteTime($source)
                $target = $entry.Open()
                try {
                    $bytes = [IO.File]::OpenRead($source)
                    try { $bytes.CopyTo($target) } finally { $bytes.Dispose() }
                }
                finally { $target.Dispose() }
            }
        }
        finally { $archive.Dispose() }
    }
    finally { $stream.Dispose() }
}

<#
.SYNOPSIS
Runs Publish-PSResource in a child pwsh against a temporary local repository and moves the nupkg it wrote to
DestinationFolder; returns its path.
.DESCRIPTION
PSResourceGet keeps its repositories in the user's data folder, and NuGet its settings in the config folder. The child
gets a throwaway home for both; the repository also has a name of its own and is unregistered afterwards, which keeps
the user's repository list as it was on Windows too, where no variable moves the data folder.
#>
function Publish-ModuleNupkg {
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType([string])]
    param([Parameter(Mandatory)] [string] $ModulePath, [Parameter(Mandatory)] [string] $DestinationFolder)

    if (-not $PSCmdlet.ShouldProcess($ModulePath, 'Publish-PSResource to a temporary local repository')) { return }
    $work = [IO.Path]::Combine([IO.Path]::GetTempPath(), 'vpptoken-publish-' + [guid]::NewGuid().ToString('n'))
    $repository = [IO.Path]::Combine($work, 'repository')
    $null = New-Item -ItemType Directory -Path $repository -Force
    try {
        $script = [IO.Path]::Combine($work, 'publish.ps1')
        Set-Content -LiteralPath $script -Encoding utf8 -Value @'
param([string] $ModulePath, [string] $Repository, [string] $Name)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Register-PSResourceRepository -Name $Name -Uri $Repository -Trusted
try {
    Publish-PSResource -Path $ModulePath -Repository $Name
}
finally {
    Unregister-PSResourceRepository -Name $Name
}
'@
        $result = Invoke-IsolatedPwsh -ScriptPath $script -HomePath ([IO.Path]::Combine($work, 'home')) -Argument @(
            '-ModulePath', $ModulePath, '-Repository', $repository, '-Name', ('VppTokenPackage' + [guid]::NewGuid().ToString('n')))
        $nupkg = @(Get-ChildItem -LiteralPath $repository -Filter '*.nupkg' -File)
        if ($result.ExitCode -ne 0 -or $nupkg.Count -ne 1) {
            throw "Publish-PSResource did not make one nupkg (exit code $($result.ExitCode), $($nupkg.Count) written): $($result.Output.Trim())"
        }
        $destination = [IO.Path]::Combine($DestinationFolder, $nupkg[0].Name)
        Move-Item -LiteralPath $nupkg[0].FullName -Destination $destination -Force
        $destination
    }
    finally {
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
    }
}

<#
.SYNOPSIS
The environment of a pwsh whose user folders all lie under HomePath (created here), with PowerShell's own modules only.
#>
function Get-IsolatedEnvironment {
    [CmdletBinding()]
    [OutputType([hashtable])]
    param([Parameter(Mandatory)] [string] $HomePath)

    $environment = [ordered]@{
        HOME            = $HomePath
        USERPROFILE     = $HomePath
        XDG_DATA_HOME   = [IO.Path]::Combine($HomePath, '.local', 'share')
        XDG_CONFIG_HOME = [IO.Path]::Combine($HomePath, '.config')
        XDG_CACHE_HOME  = [IO.Path]::Combine($HomePath, '.cache')
        LOCALAPPDATA    = [IO.Path]::Combine($HomePath, 'AppData', 'Local')
        APPDATA         = [IO.Path]::Combine($HomePath, 'AppData', 'Roaming')
    }
    # .NET reports no folder at all for one that does not exist, and PSResourceGet then writes beside the cwd.
    $null = New-Item -ItemType Directory -Path @($environment.Values) -Force
    $environment['PSModulePath'] = [IO.Path]::Combine($PSHOME, 'Modules')
    $environment['POWERSHELL_TELEMETRY_OPTOUT'] = '1'
    $environment['POWERSHELL_UPDATECHECK'] = 'Off'
    $environment['NO_COLOR'] = '1'
    $environment
}

function Invoke-IsolatedPwsh {
    param([string] $ScriptPath, [string] $HomePath, [string[]] $Argument)

    $hostPath = [Environment]::ProcessPath
    $start = [System.Diagnostics.ProcessStartInfo]::new($hostPath)
    # Under `dotnet pwsh` (a .NET local tool) this process is the dotnet host, and pwsh is pwsh.dll in $PSHOME.
    if ([IO.Path]::GetFileNameWithoutExtension($hostPath) -eq 'dotnet') { $start.ArgumentList.Add([IO.Path]::Combine($PSHOME, 'pwsh.dll')) }
    foreach ($item in @('-NoProfile', '-NonInteractive', '-File', $ScriptPath) + $Argument) { $start.ArgumentList.Add($item) }
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $environment = Get-IsolatedEnvironment -HomePath $HomePath
    foreach ($name in $environment.Keys) { $start.Environment[$name] = $environment[$name] }
    $process = [System.Diagnostics.Process]::Start($start)
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    $process.WaitForExit()
    [pscustomobject]@{ ExitCode = $process.ExitCode; Output = "$($stdout.Result)`n$($stderr.Result)" }
}

<#
.SYNOPSIS
Writes SHA256SUMS for the files: one '<sha256>  <name>' line each, as `sha256sum -c` reads it.
#>
function Write-Sha256Sum {
    [CmdletBinding(SupportsShouldProcess)]
    param([Parameter(Mandatory)] [string[]] $Path, [Parameter(Mandatory)] [string] $DestinationPath)

    $lines = foreach ($file in $Path) {
        '{0}  {1}' -f (Get-FileHash -LiteralPath $file -Algorithm SHA256).Hash.ToLowerInvariant(), (Split-Path -Path $file -Leaf)
    }
    if ($PSCmdlet.ShouldProcess($DestinationPath, 'Write checksums')) {
        [IO.File]::WriteAllText($DestinationPath, (($lines -join "`n") + "`n"), [Text.UTF8Encoding]::new($false))
    }
}

<#
.SYNOPSIS
Makes VppToken.<version>.nupkg, VppToken.zip and SHA256SUMS in OutputPath from the built module folder.
.DESCRIPTION
The packaged copy is the built folder without .pdb files, with LICENSE added and the CHANGELOG section of its
version as PSData.ReleaseNotes. Throws, before anything is written to OutputPath, when the manifest is invalid or
has empty strings, when the changelog has no section for the version, or when a file the module needs is missing;
and after, when either artefact lacks a file of the packaged copy.
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
    if (-not $PSCmdlet.ShouldProcess($OutputPath, "Package $moduleName $($version.Version)")) { return }

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

        Remove-Item -LiteralPath $OutputPath -Recurse -Force -ErrorAction SilentlyContinue
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

<#
.SYNOPSIS
The files a manifest names (RootModule, formats, types, assemblies, nested modules, FileList), relative to it.
#>
function Get-ManifestFile {
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [string] $ManifestPath)

    $data = Import-PowerShellDataFile -LiteralPath $ManifestPath
    foreach ($key in 'RootModule', 'FormatsToProcess', 'TypesToProcess', 'RequiredAssemblies', 'NestedModules', 'ScriptsToProcess', 'FileList') {
        foreach ($value in @($data[$key])) {
            # Nested modules and assemblies may be names rather than files; only paths with an extension are files here.
            if ($value -is [string] -and [IO.Path]::HasExtension($value)) {
                $value.Replace('\', '/').TrimStart('.', '/')
            }
        }
    }
}

Export-ModuleMember -Function Get-ReleaseVersion, Assert-ModuleManifest, Assert-ManifestHasNoEmptyString, Get-ChangelogSection, Set-ManifestReleaseNote,
    Get-RelativeFile, Get-ArchiveEntry, Assert-ArchiveContent, New-AutomationModuleZip, Publish-ModuleNupkg, Write-Sha256Sum,
    New-ReleasePackage, Get-ManifestFile, Get-IsolatedEnvironment
