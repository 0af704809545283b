# The module manifest: its release version, its checks, and the release notes of the packaged copy.

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
