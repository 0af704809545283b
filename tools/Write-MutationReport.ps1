<#
.SYNOPSIS
Turns Stryker.NET's JSON report into bench/mutation.md: a score per file, and every mutant that lived, each marked as
named equivalent (in tests/VppToken.Client.Tests/EquivalentMutants.md) or not.

.DESCRIPTION
Run by the Mutate task after `dotnet stryker`. The score is Stryker's: mutants detected (killed or timed out) over
mutants that compiled and were not ignored. "Score, equivalents aside" leaves out the survivors the equivalent list
names. A survivor matches a row of that list by file, mutator, the code it replaced and the code it put there;
the line is shown for the reader only, so an edit elsewhere in the file does not unname it.
#>
[CmdletBinding()]
param(
    # One report, or several (runs of one file each); for a file in more than one, the last report given wins.
    [Parameter(Mandatory)] [string[]] $ReportPath,
    [Parameter(Mandatory)] [string] $EquivalentPath,
    [Parameter(Mandatory)] [string] $ResultPath,
    # What the task ran on, for the header (files given, concurrency, elapsed).
    [string] $RunDescription = ''
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

function Format-Code([string] $Text) {
    # One line, single spaces, no pipes that would break a table cell; long code is cut.
    $flat = ($Text -replace '\s+', ' ').Trim() -replace '\|', '\|'
    if ($flat.Length -gt 90) { $flat = $flat.Substring(0, 87) + '...' }
    $flat
}

function Get-SourceSpan([string[]] $Lines, $Location) {
    # Stryker's locations are 1-based; the end column is exclusive.
    $start = $Location.start
    $end = $Location.end
    if ($start.line -eq $end.line) {
        return $Lines[$start.line - 1].Substring($start.column - 1, $end.column - $start.column)
    }
    $parts = @($Lines[$start.line - 1].Substring($start.column - 1))
    for ($line = $start.line + 1; $line -lt $end.line; $line++) { $parts += $Lines[$line - 1] }
    $parts += $Lines[$end.line - 1].Substring(0, $end.column - 1)
    $parts -join "`n"
}

function Get-Key([string] $File, [string] $Mutator, [string] $Original, [string] $Replacement) {
    ($File, $Mutator, (Format-Code $Original), (Format-Code $Replacement)) -join ' ¦ '
}

# The equivalent list: a markdown table whose first five columns are File, Line, Mutator, Original, Mutation.
$equivalent = @{}
if (Test-Path -LiteralPath $EquivalentPath) {
    foreach ($row in Get-Content -LiteralPath $EquivalentPath) {
        if ($row -notmatch '^\|' -or $row -match '^\|\s*-' -or $row -match '^\|\s*File\s*\|') { continue }
        # Split on pipes that are not escaped.
        $cells = @([regex]::Split($row.Trim().Trim('|'), '(?<!\\)\|') | ForEach-Object { $_.Trim() -replace '\\\|', '|' })
        if ($cells.Count -lt 6) { continue }
        $strip = { param($cell) $cell.Trim().Trim('`') }
        $key = Get-Key (& $strip $cells[0]) (& $strip $cells[2]) (& $strip $cells[3]) (& $strip $cells[4])
        $equivalent[$key] = $cells[5]
    }
}

$report = $null
foreach ($path in $ReportPath) {
    $one = Get-Content -LiteralPath $path -Raw | ConvertFrom-Json -AsHashtable
    if (-not $report) { $report = $one; continue }
    foreach ($file in $one.files.Keys) {
        if (@($one.files[$file].mutants | Where-Object { $_.status -ne 'Ignored' }).Count -gt 0) { $report.files[$file] = $one.files[$file] }
    }
}
$root = ($report.projectRoot ?? '').TrimEnd('/', '\')
$detectedStates = 'Killed', 'Timeout'
$validStates = 'Killed', 'Timeout', 'Survived', 'NoCoverage'

$fileRows = [Collections.Generic.List[object]]::new()
$livedRows = [Collections.Generic.List[object]]::new()
foreach ($path in ($report.files.Keys | Sort-Object)) {
    $file = $report.files[$path]
    $lines = $file.source -split "`r?`n"
    # Arguments of ConfigureAwait are not mutated (ignore-methods in stryker-config.json); a report from before that
    # setting still holds them, and they are left out here the same way.
    $mutants = @($file.mutants | Where-Object {
            $_.status -ne 'Ignored' -and -not (
                $_.mutatorName -eq 'Boolean mutation' -and
                $lines[$_.location.start.line - 1].Substring(0, $_.location.start.column - 1).EndsWith('.ConfigureAwait('))
        })
    if ($mutants.Count -eq 0) { continue }
    $relative = $path
    $clientRoot = [regex]::Match($path, '[\\/]src[\\/]VppToken\.Client[\\/](.+)$')
    if ($clientRoot.Success) { $relative = $clientRoot.Groups[1].Value -replace '\\', '/' }
    elseif ($root -and $path.StartsWith($root)) { $relative = $path.Substring($root.Length).TrimStart('/', '\') }

    $count = { param($states) @($mutants | Where-Object { $_.status -in $states }).Count }
    $named = 0
    foreach ($mutant in $mutants | Where-Object { $_.status -in 'Survived', 'NoCoverage' }) {
        $original = Get-SourceSpan $lines $mutant.location
        $key = Get-Key $relative $mutant.mutatorName $original $mutant.replacement
        $why = $equivalent[$key]
        if ($why) { $named++ }
        $livedRows.Add([pscustomobject]@{
                File = $relative; Line = $mutant.location.start.line; Mutator = $mutant.mutatorName; Status = $mutant.status
                Original = Format-Code $original; Mutation = Format-Code $mutant.replacement; Why = $why
            })
    }

    $valid = & $count $validStates
    $detected = & $count $detectedStates
    $fileRows.Add([pscustomobject]@{
            File = $relative; Killed = & $count 'Killed'; Timeout = & $count 'Timeout'; Survived = & $count 'Survived'
            NoCoverage = & $count 'NoCoverage'; CompileError = & $count 'CompileError'; Named = $named
            Valid = $valid; Detected = $detected
        })
}

function Format-Score([int] $Detected, [int] $Valid) {
    if ($Valid -le 0) { return 'n/a' }
    '{0:N1} %' -f (100.0 * $Detected / $Valid)
}

$total = [pscustomobject]@{
    Killed = ($fileRows | Measure-Object Killed -Sum).Sum; Timeout = ($fileRows | Measure-Object Timeout -Sum).Sum
    Survived = ($fileRows | Measure-Object Survived -Sum).Sum; NoCoverage = ($fileRows | Measure-Object NoCoverage -Sum).Sum
    CompileError = ($fileRows | Measure-Object CompileError -Sum).Sum; Named = ($fileRows | Measure-Object Named -Sum).Sum
    Valid = ($fileRows | Measure-Object Valid -Sum).Sum; Detected = ($fileRows | Measure-Object Detected -Sum).Sum
}
$unnamed = @($livedRows | Where-Object { -not $_.Why })

$markdown = @(
    '# Mutation testing of the client layer'
    ''
    'Produced by `dotnet pwsh ./build.ps1 -Task Mutate`: Stryker.NET mutates the files that'
    '`tests/VppToken.Client.Tests/stryker-config.json` names and runs the xUnit suite against each mutant. A mutant is'
    'detected when a test fails (killed) or hangs (timeout). Survivors that cannot change behaviour are named, with the'
    'reason, in `tests/VppToken.Client.Tests/EquivalentMutants.md`; every other survivor is a test to write.'
    ''
    "- Date: $([DateTimeOffset]::UtcNow.ToString('u'))"
    "- Stryker report: schema $($report.schemaVersion)$(if ($RunDescription) { "; $RunDescription" })"
    ''
    '| File | Killed | Timeout | Survived | No coverage | Compile errors | Score | Named equivalent | Score, equivalents aside |'
    '|---|---|---|---|---|---|---|---|---|'
    ($fileRows | ForEach-Object {
            "| $($_.File) | $($_.Killed) | $($_.Timeout) | $($_.Survived) | $($_.NoCoverage) | $($_.CompileError) | $(Format-Score $_.Detected $_.Valid) | $($_.Named) | $(Format-Score $_.Detected ($_.Valid - $_.Named)) |"
        })
    "| **All** | $($total.Killed) | $($total.Timeout) | $($total.Survived) | $($total.NoCoverage) | $($total.CompileError) | **$(Format-Score $total.Detected $total.Valid)** | $($total.Named) | **$(Format-Score $total.Detected ($total.Valid - $total.Named))** |"
    ''
    "## Survivors not named as equivalent ($($unnamed.Count))"
    ''
    $(if ($unnamed.Count -eq 0) { 'None.' } else {
            '| File | Line | Mutator | Status | Original | Mutation |'
            '|---|---|---|---|---|---|'
            $unnamed | ForEach-Object { "| $($_.File) | $($_.Line) | $($_.Mutator) | $($_.Status) | ``$($_.Original)`` | ``$($_.Mutation)`` |" }
        })
    ''
    "## Survivors named as equivalent ($($total.Named))"
    ''
    $(if ($total.Named -eq 0) { 'None.' } else {
            '| File | Line | Mutator | Original | Mutation | Why |'
            '|---|---|---|---|---|---|'
            $livedRows | Where-Object Why | ForEach-Object { "| $($_.File) | $($_.Line) | $($_.Mutator) | ``$($_.Original)`` | ``$($_.Mutation)`` | $($_.Why) |" }
        })
)
$null = New-Item -ItemType Directory -Force -Path (Split-Path $ResultPath)
Set-Content -LiteralPath $ResultPath -Value $markdown -Encoding utf8
Write-Host ("Mutation score {0} ({1} detected of {2}); {3} named equivalent, {4} survivors unnamed. Written to {5}" -f `
    (Format-Score $total.Detected $total.Valid), $total.Detected, $total.Valid, $total.Named, $unnamed.Count, $ResultPath)
