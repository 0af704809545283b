# CHANGELOG.md: the section of one version, which becomes the package's release notes.

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
