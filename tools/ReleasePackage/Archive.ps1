# Zips: the Azure Automation module zip, and the checks that a zip or nupkg holds exactly the module.

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
