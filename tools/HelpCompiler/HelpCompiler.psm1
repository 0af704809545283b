<#
Compiles platyPS 0.14 (schema 2.0.0) markdown help to the MAML that Get-Help reads, and about_*.md topics to the
plain-text about_*.help.txt files. platyPS is not reachable from the build machines; keeping the markdown in its
schema means the real platyPS can take this step over wherever it is available.
#>
Set-StrictMode -Version Latest

$MamlNamespace = 'http://schemas.microsoft.com/maml/2004/10'
$CommandNamespace = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$DevNamespace = 'http://schemas.microsoft.com/maml/dev/2004/10'
$MsHelpNamespace = 'http://msdn.microsoft.com/mshelp'

# The sections of a cmdlet page, in the order platyPS writes them; the first five are required.
$CommandSections = @('SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS')
$RequiredSections = @('SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS')

$ParameterYamlKeys = @(
    'Type', 'Parameter Sets', 'Aliases', 'Accepted values', 'Required', 'Position', 'Default value',
    'Accept pipeline input', 'Accept wildcard characters'
)

class HelpMarkdownException : System.FormatException {
    [string] $File
    [int] $Line

    HelpMarkdownException([string] $file, [int] $line, [string] $problem) : base("${file}:${line}: $problem") {
        $this.File = $file
        $this.Line = $line
    }
}

function New-HelpMarkdownException {
    param([string] $File, [int] $Line, [string] $Problem)
    [HelpMarkdownException]::new($File, $Line, $Problem)
}

<#
Splits a markdown file into front matter and a flat list of blocks: Heading (Level, Text), Code (Language, Text) and
Text (Lines), each with the 1-based line it starts on.
#>
function Split-HelpMarkdown {
    param([string] $Path, [string[]] $Lines, [switch] $FrontMatterOptional)

    $frontMatter = [ordered]@{}
    $index = 0
    if ($Lines.Count -gt 0 -and $Lines[0].Trim() -eq '---') {
        $end = -1
        for ($i = 1; $i -lt $Lines.Count; $i++) {
            if ($Lines[$i].Trim() -eq '---') { $end = $i; break }
            if ($Lines[$i].Trim() -eq '') { continue }
            if ($Lines[$i] -notmatch '^\s*([^:]+?)\s*:\s*(.*?)\s*$') {
                throw New-HelpMarkdownException $Path ($i + 1) "Front matter lines are 'key: value'; found '$($Lines[$i])'."
            }
            $frontMatter[$Matches[1]] = $Matches[2]
        }
        if ($end -lt 0) {
            throw New-HelpMarkdownException $Path 1 "The front matter that starts here has no closing '---' line."
        }
        $index = $end + 1
    }
    elseif (-not $FrontMatterOptional) {
        throw New-HelpMarkdownException $Path 1 "A help page starts with front matter ('---', 'schema: 2.0.0', ..., '---')."
    }

    $blocks = [System.Collections.Generic.List[object]]::new()
    $text = $null
    while ($index -lt $Lines.Count) {
        $line = $Lines[$index]
        $lineNumber = $index + 1
        if ($line -match '^\s*(```+|~~~+)\s*([\w.+-]*)\s*$') {
            $text = $null
            $fence = $Matches[1]
            $language = $Matches[2]
            $code = [System.Collections.Generic.List[string]]::new()
            $closed = $false
            for ($index++; $index -lt $Lines.Count; $index++) {
                if ($Lines[$index].Trim() -eq $fence) { $closed = $true; break }
                $code.Add($Lines[$index])
            }
            if (-not $closed) {
                throw New-HelpMarkdownException $Path $lineNumber "The code block that opens here is never closed with $fence."
            }
            $blocks.Add([pscustomobject]@{ Kind = 'Code'; Line = $lineNumber; Language = $language; Text = ($code -join "`n") })
        }
        elseif ($line -match '^(#{1,6})\s+(.*?)\s*#*\s*$') {
            $text = $null
            $blocks.Add([pscustomobject]@{ Kind = 'Heading'; Line = $lineNumber; Level = $Matches[1].Length; Text = $Matches[2] })
        }
        elseif ($line.Trim() -eq '') {
            $text = $null
        }
        else {
            if ($null -eq $text) {
                $text = [pscustomobject]@{ Kind = 'Text'; Line = $lineNumber; Lines = [System.Collections.Generic.List[string]]::new() }
                $blocks.Add($text)
            }
            $text.Lines.Add($line.TrimEnd())
        }
        $index++
    }

    [pscustomobject]@{ FrontMatter = $frontMatter; Blocks = $blocks }
}

function ConvertTo-PlainText {
    param([string] $Text)

    # Inline markdown means nothing in a console: keep the words, drop the markup, spell out web links.
    $Text = [regex]::Replace($Text, '\[([^\]]+)\]\((https?://[^)]+)\)', '$1 ($2)')
    $Text = [regex]::Replace($Text, '\[([^\]]+)\]\([^)]*\)', '$1')
    $Text = [regex]::Replace($Text, '\*\*([^*]+)\*\*', '$1')
    $Text -replace '`', ''
}

# One paragraph as Get-Help should show it: list items and table rows keep their lines, prose lines are joined, and
# inline markup goes (a console shows backticks and asterisks as they are).
function Join-HelpParagraph {
    param([System.Collections.Generic.List[string]] $Lines)

    if (@($Lines | Where-Object { $_ -match '^\s*([-*+]\s|\d+[.)]\s|\|)' }).Count -gt 0) {
        return ConvertTo-PlainText (($Lines | ForEach-Object { $_.TrimEnd() }) -join "`n")
    }
    ConvertTo-PlainText (($Lines | ForEach-Object { $_.Trim() }) -join ' ')
}

# Text and code blocks as a list of paragraphs (code keeps its lines).
function ConvertTo-HelpParagraph {
    param([object[]] $Blocks)

    foreach ($block in $Blocks) {
        if ($block.Kind -eq 'Text') { Join-HelpParagraph $block.Lines }
        elseif ($block.Kind -eq 'Code') { $block.Text }
    }
}

function Assert-NoPlaceholder {
    param([string] $Path, [object[]] $Blocks)

    foreach ($block in $Blocks) {
        $content = if ($block.Kind -eq 'Text') { $block.Lines -join "`n" } elseif ($block.Kind -eq 'Code') { $block.Text } else { $block.Text }
        if ($content -match '\{\{[^}]*\}\}') {
            throw New-HelpMarkdownException $Path $block.Line "A platyPS placeholder is left to fill in: '$($Matches[0])'."
        }
    }
}

function Read-ParameterYaml {
    param([string] $Path, [object] $Block, [string] $ParameterName)

    $metadata = [ordered]@{}
    $lineNumber = $Block.Line
    foreach ($line in $Block.Text -split "`n") {
        $lineNumber++
        if ($line.Trim() -eq '') { continue }
        if ($line -notmatch '^([A-Za-z][A-Za-z ]*?)\s*:\s*(.*?)\s*$') {
            throw New-HelpMarkdownException $Path $lineNumber "Parameter -${ParameterName}: a yaml line is 'Key: value'; found '$line'."
        }
        $key = $Matches[1]
        $value = $Matches[2]
        $known = $ParameterYamlKeys | Where-Object { $_ -eq $key }
        if (-not $known) {
            throw New-HelpMarkdownException $Path $lineNumber "Parameter -${ParameterName}: unknown yaml key '$key'; the keys are $($ParameterYamlKeys -join ', ')."
        }
        if ($metadata.Contains($known)) {
            throw New-HelpMarkdownException $Path $lineNumber "Parameter -${ParameterName}: '$known' is given twice."
        }
        $metadata[$known] = $value
    }

    if (-not $metadata.Contains('Type') -or -not $metadata['Type']) {
        throw New-HelpMarkdownException $Path $Block.Line "Parameter -${ParameterName}: the yaml block has no Type."
    }
    foreach ($flag in 'Required', 'Accept wildcard characters') {
        if ($metadata.Contains($flag) -and $metadata[$flag] -notin 'True', 'False') {
            throw New-HelpMarkdownException $Path $Block.Line "Parameter -${ParameterName}: '$flag' is True or False, not '$($metadata[$flag])'."
        }
    }
    if ($metadata.Contains('Position') -and $metadata['Position'] -notmatch '^(Named|\d+)$') {
        throw New-HelpMarkdownException $Path $Block.Line "Parameter -${ParameterName}: Position is Named or a number, not '$($metadata['Position'])'."
    }

    $split = {
        param($value)
        if (-not $value -or $value -eq 'None') { return , @() }
        , @($value -split ',' | ForEach-Object { $_.Trim() } | Where-Object { $_ })
    }
    [pscustomobject]@{
        Line                     = $Block.Line
        Type                     = $metadata['Type']
        ParameterSets            = & $split $metadata['Parameter Sets']
        Aliases                  = & $split $metadata['Aliases']
        AcceptedValues           = & $split $metadata['Accepted values']
        Required                 = $metadata['Required'] -eq 'True'
        Position                 = if ($metadata.Contains('Position')) { $metadata['Position'] } else { 'Named' }
        DefaultValue             = if ($metadata.Contains('Default value') -and $metadata['Default value']) { $metadata['Default value'] } else { 'None' }
        PipelineInput            = if ($metadata.Contains('Accept pipeline input') -and $metadata['Accept pipeline input']) { $metadata['Accept pipeline input'] } else { 'False' }
        Globbing                 = $metadata['Accept wildcard characters'] -eq 'True'
    }
}

<#
.SYNOPSIS
Reads one platyPS-schema cmdlet help page into an object: Name, Synopsis, Description, ParameterSets, Examples,
Parameters, Inputs, Outputs, Notes, Links.

.DESCRIPTION
Throws a HelpMarkdownException whose message is 'file:line: problem' when the page does not follow the schema.
#>
function ConvertFrom-HelpMarkdown {
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [Alias('FullName')]
        [string] $Path
    )

    process {
        $file = (Resolve-Path -LiteralPath $Path -ErrorAction Stop).ProviderPath
        $document = Split-HelpMarkdown -Path $file -Lines ([IO.File]::ReadAllLines($file))
        $blocks = $document.Blocks
        Assert-NoPlaceholder -Path $file -Blocks $blocks

        if ($document.FrontMatter['schema'] -ne '2.0.0') {
            throw New-HelpMarkdownException $file 1 "The front matter must say 'schema: 2.0.0' (platyPS's cmdlet page schema)."
        }

        if ($blocks.Count -eq 0 -or $blocks[0].Kind -ne 'Heading' -or $blocks[0].Level -ne 1) {
            $line = if ($blocks.Count) { $blocks[0].Line } else { 1 }
            throw New-HelpMarkdownException $file $line "After the front matter comes the cmdlet name as a '# Verb-Noun' heading."
        }
        $name = $blocks[0].Text
        $expectedName = [IO.Path]::GetFileNameWithoutExtension($file)
        if ($name -ne $expectedName) {
            throw New-HelpMarkdownException $file $blocks[0].Line "The page is for '$name' but the file is named $expectedName.md."
        }

        # Group the blocks under their ## sections.
        $sections = [ordered]@{}
        $sectionLines = @{}
        $current = $null
        for ($i = 1; $i -lt $blocks.Count; $i++) {
            $block = $blocks[$i]
            if ($block.Kind -eq 'Heading' -and $block.Level -le 2) {
                $title = $block.Text.ToUpperInvariant()
                if ($block.Level -eq 1) {
                    throw New-HelpMarkdownException $file $block.Line "A page has one '# ' heading; use '## ' for sections."
                }
                if ($title -notin $CommandSections) {
                    throw New-HelpMarkdownException $file $block.Line "Unknown section '## $($block.Text)'; the sections are $($CommandSections -join ', ')."
                }
                if ($sections.Contains($title)) {
                    throw New-HelpMarkdownException $file $block.Line "The section '## $title' appears twice."
                }
                $previous = @($sections.Keys)
                if ($previous.Count -and [array]::IndexOf($CommandSections, $previous[-1]) -gt [array]::IndexOf($CommandSections, $title)) {
                    throw New-HelpMarkdownException $file $block.Line "'## $title' comes before '## $($previous[-1])' in the schema ($($CommandSections -join ', '))."
                }
                $current = [System.Collections.Generic.List[object]]::new()
                $sections[$title] = $current
                $sectionLines[$title] = $block.Line
                continue
            }
            if ($null -eq $current) {
                throw New-HelpMarkdownException $file $block.Line "Content before the first '## ' section."
            }
            $current.Add($block)
        }
        foreach ($required in $RequiredSections) {
            if (-not $sections.Contains($required)) {
                throw New-HelpMarkdownException $file $blocks[0].Line "The page has no '## $required' section."
            }
        }

        $synopsis = @(ConvertTo-HelpParagraph @($sections['SYNOPSIS'])) -join ' '
        if (-not $synopsis.Trim()) {
            throw New-HelpMarkdownException $file $sectionLines['SYNOPSIS'] 'The SYNOPSIS is empty.'
        }
        [string[]] $description = @(ConvertTo-HelpParagraph @($sections['DESCRIPTION']))
        if (-not $description) {
            throw New-HelpMarkdownException $file $sectionLines['DESCRIPTION'] 'The DESCRIPTION is empty.'
        }

        $parameterSets = [System.Collections.Generic.List[object]]::new()
        $set = $null
        foreach ($block in $sections['SYNTAX']) {
            if ($block.Kind -eq 'Heading' -and $block.Level -eq 3) {
                $setName = $block.Text -replace '\s*\(Default\)\s*$', ''
                $set = [pscustomobject]@{ Name = $setName; IsDefault = $block.Text -match '\(Default\)\s*$'; Line = $block.Line; Syntax = $null }
                $parameterSets.Add($set)
            }
            elseif ($block.Kind -eq 'Code' -and $null -ne $set -and $null -eq $set.Syntax) {
                $set.Syntax = $block.Text
            }
            else {
                throw New-HelpMarkdownException $file $block.Line "SYNTAX holds '### ParameterSetName' headings, each followed by one code block."
            }
        }
        if ($parameterSets.Count -eq 0) {
            throw New-HelpMarkdownException $file $sectionLines['SYNTAX'] "SYNTAX has no '### ParameterSetName' block."
        }
        foreach ($set in $parameterSets) {
            if ($null -eq $set.Syntax) {
                throw New-HelpMarkdownException $file $set.Line "The parameter set '$($set.Name)' has no syntax code block."
            }
        }
        $setNames = @($parameterSets | ForEach-Object Name)

        $examples = [System.Collections.Generic.List[object]]::new()
        $example = $null
        foreach ($block in $sections['EXAMPLES']) {
            if ($block.Kind -eq 'Heading' -and $block.Level -eq 3) {
                $example = [pscustomobject]@{ Title = $block.Text; Line = $block.Line; Code = [System.Collections.Generic.List[string]]::new(); Remarks = [System.Collections.Generic.List[string]]::new() }
                $examples.Add($example)
            }
            elseif ($null -eq $example) {
                throw New-HelpMarkdownException $file $block.Line "EXAMPLES holds '### Example N: title' headings; this comes before the first one."
            }
            elseif ($block.Kind -eq 'Code') {
                $example.Code.Add($block.Text)
            }
            elseif ($block.Kind -eq 'Heading') {
                throw New-HelpMarkdownException $file $block.Line "Only '### ' headings belong in EXAMPLES."
            }
            else {
                # Prose before the code goes to the remarks too: Get-Help prints MAML's introduction glued to the code.
                $example.Remarks.Add(@(ConvertTo-HelpParagraph @($block))[0])
            }
        }
        if ($examples.Count -eq 0) {
            throw New-HelpMarkdownException $file $sectionLines['EXAMPLES'] 'EXAMPLES has no example.'
        }
        foreach ($example in $examples) {
            if ($example.Code.Count -eq 0) {
                throw New-HelpMarkdownException $file $example.Line "The example '$($example.Title)' has no code block."
            }
        }

        $parameters = [System.Collections.Generic.List[object]]::new()
        $parameter = $null
        $inCommon = $false
        foreach ($block in $sections['PARAMETERS']) {
            if ($block.Kind -eq 'Heading' -and $block.Level -eq 3) {
                if ($block.Text -eq 'CommonParameters') {
                    $inCommon = $true
                    $parameter = $null
                    continue
                }
                if ($block.Text -notmatch '^-(\w+)$') {
                    throw New-HelpMarkdownException $file $block.Line "A parameter heading is '### -Name' (or '### CommonParameters'); found '### $($block.Text)'."
                }
                if ($inCommon) {
                    throw New-HelpMarkdownException $file $block.Line "'### CommonParameters' comes after the last parameter."
                }
                $parameterName = $Matches[1]
                if ($parameters | Where-Object Name -EQ $parameterName) {
                    throw New-HelpMarkdownException $file $block.Line "The parameter -$parameterName is described twice."
                }
                $parameter = [pscustomobject]@{
                    Name        = $parameterName
                    Line        = $block.Line
                    Description = [System.Collections.Generic.List[string]]::new()
                    Metadata    = [System.Collections.Generic.List[object]]::new()
                }
                $parameters.Add($parameter)
            }
            elseif ($inCommon) {
                continue
            }
            elseif ($null -eq $parameter) {
                throw New-HelpMarkdownException $file $block.Line "PARAMETERS holds '### -Name' headings; this comes before the first one."
            }
            elseif ($block.Kind -eq 'Code' -and $block.Language -eq 'yaml') {
                $parameter.Metadata.Add((Read-ParameterYaml -Path $file -Block $block -ParameterName $parameter.Name))
            }
            elseif ($block.Kind -eq 'Heading') {
                throw New-HelpMarkdownException $file $block.Line "Only '### ' headings belong in PARAMETERS."
            }
            elseif ($parameter.Metadata.Count -gt 0) {
                throw New-HelpMarkdownException $file $block.Line "Parameter -$($parameter.Name): its text goes before its yaml block."
            }
            else {
                $parameter.Description.Add(@(ConvertTo-HelpParagraph @($block))[0])
            }
        }
        foreach ($parameter in $parameters) {
            if ($parameter.Metadata.Count -eq 0) {
                throw New-HelpMarkdownException $file $parameter.Line "Parameter -$($parameter.Name) has no yaml block (Type, Parameter Sets, Required, ...)."
            }
            if ($parameter.Description.Count -eq 0) {
                throw New-HelpMarkdownException $file $parameter.Line "Parameter -$($parameter.Name) has no description."
            }
            foreach ($metadata in $parameter.Metadata) {
                foreach ($setName in $metadata.ParameterSets) {
                    if ($setName -ne '(All)' -and $setName -notin $setNames) {
                        throw New-HelpMarkdownException $file $metadata.Line "Parameter -$($parameter.Name) names the parameter set '$setName', which SYNTAX does not have ($($setNames -join ', '))."
                    }
                }
            }
        }

        $readTypes = {
            param([string] $section)
            if (-not $sections.Contains($section)) { return }
            $type = $null
            foreach ($block in $sections[$section]) {
                if ($block.Kind -eq 'Heading' -and $block.Level -eq 3) {
                    $type = [pscustomobject]@{ Name = $block.Text; Description = [System.Collections.Generic.List[string]]::new() }
                    $type
                }
                elseif ($null -eq $type -or $block.Kind -eq 'Heading') {
                    throw New-HelpMarkdownException $file $block.Line "$section holds '### TypeName' headings, each with optional text."
                }
                else {
                    $type.Description.Add(@(ConvertTo-HelpParagraph @($block))[0])
                }
            }
        }

        $links = [System.Collections.Generic.List[object]]::new()
        if ($document.FrontMatter['online version']) {
            $links.Add([pscustomobject]@{ Text = 'Online Version:'; Uri = $document.FrontMatter['online version'] })
        }
        if ($sections.Contains('RELATED LINKS')) {
            foreach ($block in $sections['RELATED LINKS']) {
                if ($block.Kind -ne 'Text') {
                    throw New-HelpMarkdownException $file $block.Line "RELATED LINKS holds one '[text](uri)' link per line."
                }
                foreach ($line in $block.Lines) {
                    $entry = $line.Trim() -replace '^[-*+]\s+', ''
                    if ($entry -match '^\[([^\]]+)\]\(([^)]*)\)$') {
                        $linkText = $Matches[1]
                        $target = $Matches[2]
                        # A link to another page of this help is a cmdlet name for Get-Help, not a uri.
                        $uri = if ($target -match '^https?://') { $target } else { '' }
                        $links.Add([pscustomobject]@{ Text = $linkText; Uri = $uri })
                    }
                    elseif ($entry -match '^[\w-]+$') {
                        $links.Add([pscustomobject]@{ Text = $entry; Uri = '' })
                    }
                    else {
                        throw New-HelpMarkdownException $file $block.Line "RELATED LINKS holds one '[text](uri)' link per line; found '$line'."
                    }
                }
            }
        }

        [string[]] $notes = @(if ($sections.Contains('NOTES')) { ConvertTo-HelpParagraph @($sections['NOTES']) })
        [pscustomobject]@{
            PSTypeName    = 'HelpCompiler.CommandHelp'
            Path          = $file
            Name          = $name
            FrontMatter   = $document.FrontMatter
            Synopsis      = $synopsis
            Description   = $description
            ParameterSets = $parameterSets.ToArray()
            Examples      = $examples.ToArray()
            Parameters    = $parameters.ToArray()
            Inputs        = @(& $readTypes 'INPUTS')
            Outputs       = @(& $readTypes 'OUTPUTS')
            Notes         = $notes
            Links         = $links.ToArray()
        }
    }
}

function Write-MamlParagraph {
    param([System.Xml.XmlWriter] $Writer, [string[]] $Paragraph)

    foreach ($text in $Paragraph) {
        $Writer.WriteElementString('maml', 'para', $MamlNamespace, $text)
    }
}

function Write-MamlDescription {
    param([System.Xml.XmlWriter] $Writer, [string[]] $Paragraph)

    $Writer.WriteStartElement('maml', 'description', $MamlNamespace)
    Write-MamlParagraph $Writer $Paragraph
    $Writer.WriteEndElement()
}

function Write-MamlType {
    param([System.Xml.XmlWriter] $Writer, [string] $Name)

    $Writer.WriteStartElement('dev', 'type', $DevNamespace)
    $Writer.WriteElementString('maml', 'name', $MamlNamespace, $Name)
    $Writer.WriteElementString('maml', 'uri', $MamlNamespace, '')
    $Writer.WriteEndElement()
}

function Write-MamlParameter {
    param([System.Xml.XmlWriter] $Writer, [object] $Parameter, [object] $Metadata, [switch] $InSyntax)

    $isSwitch = $Metadata.Type -in 'SwitchParameter', 'System.Management.Automation.SwitchParameter'
    $Writer.WriteStartElement('command', 'parameter', $CommandNamespace)
    $Writer.WriteAttributeString('required', $Metadata.Required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', 'true')
    $Writer.WriteAttributeString('globbing', $Metadata.Globbing.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $Metadata.PipelineInput)
    $Writer.WriteAttributeString('position', $Metadata.Position.ToLowerInvariant())
    $Writer.WriteAttributeString('aliases', $(if ($Metadata.Aliases.Count) { $Metadata.Aliases -join ', ' } else { 'none' }))
    $Writer.WriteElementString('maml', 'name', $MamlNamespace, $Parameter.Name)
    Write-MamlDescription $Writer $Parameter.Description.ToArray()
    if ($InSyntax -and $Metadata.AcceptedValues.Count) {
        $Writer.WriteStartElement('command', 'parameterValueGroup', $CommandNamespace)
        foreach ($value in $Metadata.AcceptedValues) {
            $Writer.WriteStartElement('command', 'parameterValue', $CommandNamespace)
            $Writer.WriteAttributeString('required', 'false')
            $Writer.WriteAttributeString('command', 'variableLength', $CommandNamespace, 'false')
            $Writer.WriteString($value)
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }
    # Get-Help shows a switch as [-Name] in the syntax and as [<SwitchParameter>] in the parameter list.
    if (-not ($InSyntax -and $isSwitch)) {
        $Writer.WriteStartElement('command', 'parameterValue', $CommandNamespace)
        $Writer.WriteAttributeString('required', $(if ($isSwitch) { 'false' } else { 'true' }))
        $Writer.WriteAttributeString('variableLength', $(if ($Metadata.Type.EndsWith('[]')) { 'true' } else { 'false' }))
        $Writer.WriteString($Metadata.Type)
        $Writer.WriteEndElement()
    }
    Write-MamlType $Writer $Metadata.Type
    $Writer.WriteElementString('dev', 'defaultValue', $DevNamespace, $Metadata.DefaultValue)
    $Writer.WriteEndElement()
}

function Write-MamlCommand {
    param([System.Xml.XmlWriter] $Writer, [object] $Help)

    $verb, $noun = $Help.Name -split '-', 2
    $Writer.WriteStartElement('command', 'command', $CommandNamespace)
    $Writer.WriteAttributeString('xmlns', 'maml', $null, $MamlNamespace)
    $Writer.WriteAttributeString('xmlns', 'command', $null, $CommandNamespace)
    $Writer.WriteAttributeString('xmlns', 'dev', $null, $DevNamespace)
    $Writer.WriteAttributeString('xmlns', 'MSHelp', $null, $MsHelpNamespace)

    $Writer.WriteStartElement('command', 'details', $CommandNamespace)
    $Writer.WriteElementString('command', 'name', $CommandNamespace, $Help.Name)
    $Writer.WriteElementString('command', 'verb', $CommandNamespace, $verb)
    $Writer.WriteElementString('command', 'noun', $CommandNamespace, $noun)
    Write-MamlDescription $Writer @($Help.Synopsis)
    $Writer.WriteEndElement()

    Write-MamlDescription $Writer $Help.Description

    $Writer.WriteStartElement('command', 'syntax', $CommandNamespace)
    foreach ($set in $Help.ParameterSets) {
        $Writer.WriteStartElement('command', 'syntaxItem', $CommandNamespace)
        $Writer.WriteElementString('maml', 'name', $MamlNamespace, $Help.Name)
        $members = foreach ($parameter in $Help.Parameters) {
            $metadata = $parameter.Metadata | Where-Object {
                $_.ParameterSets.Count -eq 0 -or $set.Name -in $_.ParameterSets -or '(All)' -in $_.ParameterSets -or $set.Name -eq '__AllParameterSets'
            } | Select-Object -First 1
            if ($metadata) {
                [pscustomobject]@{ Parameter = $parameter; Metadata = $metadata }
            }
        }
        # Positional parameters first, by position, as PowerShell's own syntax lists them.
        $ordered = @($members | Where-Object { $_.Metadata.Position -ne 'Named' } | Sort-Object { [int]$_.Metadata.Position }) +
            @($members | Where-Object { $_.Metadata.Position -eq 'Named' })
        foreach ($member in $ordered) {
            Write-MamlParameter $Writer $member.Parameter $member.Metadata -InSyntax
        }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'parameters', $CommandNamespace)
    foreach ($parameter in $Help.Parameters) {
        Write-MamlParameter $Writer $parameter $parameter.Metadata[0]
    }
    $Writer.WriteEndElement()

    foreach ($kind in @(
            @{ List = 'inputTypes'; Item = 'inputType'; Types = $Help.Inputs }
            @{ List = 'returnValues'; Item = 'returnValue'; Types = $Help.Outputs }
        )) {
        $Writer.WriteStartElement('command', $kind.List, $CommandNamespace)
        foreach ($type in $kind.Types) {
            $Writer.WriteStartElement('command', $kind.Item, $CommandNamespace)
            Write-MamlType $Writer $type.Name
            Write-MamlDescription $Writer $type.Description.ToArray()
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }

    $Writer.WriteStartElement('maml', 'alertSet', $MamlNamespace)
    if ($Help.Notes.Count) {
        $Writer.WriteStartElement('maml', 'alert', $MamlNamespace)
        Write-MamlParagraph $Writer $Help.Notes
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'examples', $CommandNamespace)
    foreach ($example in $Help.Examples) {
        $Writer.WriteStartElement('command', 'example', $CommandNamespace)
        $Writer.WriteElementString('maml', 'title', $MamlNamespace, "--------- $($example.Title) ---------")
        $Writer.WriteElementString('dev', 'code', $DevNamespace, ($example.Code -join "`n`n"))
        $Writer.WriteStartElement('dev', 'remarks', $DevNamespace)
        # The empty last paragraph is the blank line Get-Help would otherwise not print before the next example.
        Write-MamlParagraph $Writer ($example.Remarks.ToArray() + '')
        $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'relatedLinks', $CommandNamespace)
    foreach ($link in $Help.Links) {
        $Writer.WriteStartElement('maml', 'navigationLink', $MamlNamespace)
        $Writer.WriteElementString('maml', 'linkText', $MamlNamespace, $link.Text)
        $Writer.WriteElementString('maml', 'uri', $MamlNamespace, $link.Uri)
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteEndElement()
}

# Wraps prose at $Width with $Indent, for the plain-text about topics.
function Format-AboutText {
    param([string] $Text, [int] $Indent, [int] $Width = 80, [int] $HangingIndent = 0)

    $lines = [System.Collections.Generic.List[string]]::new()
    $line = ''
    $prefix = ' ' * $Indent
    foreach ($word in $Text -split '\s+' | Where-Object { $_ }) {
        if ($line -and ($prefix.Length + $line.Length + 1 + $word.Length) -gt $Width) {
            $lines.Add($prefix + $line)
            $line = $word
            $prefix = ' ' * ($Indent + $HangingIndent)
        }
        else {
            $line = if ($line) { "$line $word" } else { $word }
        }
    }
    if ($line) { $lines.Add($prefix + $line) }
    $lines
}

<#
.SYNOPSIS
Converts an about_*.md topic to the plain text Get-Help shows for about_* topics.
#>
function ConvertTo-AboutHelpText {
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [string] $Path
    )

    $file = (Resolve-Path -LiteralPath $Path -ErrorAction Stop).ProviderPath
    $document = Split-HelpMarkdown -Path $file -Lines ([IO.File]::ReadAllLines($file)) -FrontMatterOptional
    $blocks = $document.Blocks
    Assert-NoPlaceholder -Path $file -Blocks $blocks
    $topic = [IO.Path]::GetFileNameWithoutExtension($file)
    if ($blocks.Count -eq 0 -or $blocks[0].Kind -ne 'Heading' -or $blocks[0].Level -ne 1 -or $blocks[0].Text -ne $topic) {
        $line = if ($blocks.Count) { $blocks[0].Line } else { 1 }
        throw New-HelpMarkdownException $file $line "An about topic starts with the heading '# $topic'."
    }
    if (-not ($blocks | Where-Object { $_.Kind -eq 'Heading' -and $_.Level -eq 2 -and $_.Text -eq 'Short description' })) {
        throw New-HelpMarkdownException $file $blocks[0].Line "An about topic has a '## Short description' section (Get-Help lists topics by it)."
    }

    $out = [System.Collections.Generic.List[string]]::new()
    $out.Add('TOPIC')
    $out.Add("    $topic")
    for ($i = 1; $i -lt $blocks.Count; $i++) {
        $block = $blocks[$i]
        if (-not ($i -gt 1 -and $blocks[$i - 1].Kind -eq 'Heading')) {
            $out.Add('')
        }
        switch ($block.Kind) {
            'Heading' {
                if ($block.Level -eq 1) {
                    throw New-HelpMarkdownException $file $block.Line "An about topic has one '# ' heading; use '## ' for sections."
                }
                $out.Add($(if ($block.Level -eq 2) { $block.Text.ToUpperInvariant() } else { (' ' * 2) + (ConvertTo-PlainText $block.Text) }))
            }
            'Code' {
                foreach ($codeLine in $block.Text -split "`n") { $out.Add((' ' * 8 + $codeLine).TrimEnd()) }
            }
            'Text' {
                if ($block.Lines[0] -match '^\s*\|') {
                    foreach ($row in $block.Lines) { $out.Add('    ' + (ConvertTo-PlainText $row)) }
                }
                elseif ($block.Lines[0] -match '^\s*([-*+]|\d+[.)])\s') {
                    # Continuation lines belong to the item above them.
                    $items = [System.Collections.Generic.List[string]]::new()
                    foreach ($itemLine in $block.Lines) {
                        if ($itemLine -match '^\s*([-*+]|\d+[.)])\s+(.*)$') { $items.Add("$($Matches[1] -replace '[*+]', '-') $($Matches[2])") }
                        else { $items[$items.Count - 1] += ' ' + $itemLine.Trim() }
                    }
                    foreach ($item in $items) {
                        $marker = ($item -split ' ', 2)[0]
                        foreach ($wrapped in Format-AboutText (ConvertTo-PlainText $item) -Indent 4 -HangingIndent ($marker.Length + 1)) { $out.Add($wrapped) }
                    }
                }
                else {
                    foreach ($wrapped in Format-AboutText (ConvertTo-PlainText ($block.Lines -join ' ')) -Indent 4) { $out.Add($wrapped) }
                }
            }
        }
    }
    ($out -join [Environment]::NewLine) + [Environment]::NewLine
}

<#
.SYNOPSIS
Compiles the cmdlet pages in a folder of platyPS-schema markdown to one MAML help file, and its about_*.md topics to
about_*.help.txt files beside it.

.DESCRIPTION
Every page is read before anything is written; when any page is malformed, nothing is written and the error lists
each problem as 'file:line: problem'.

.EXAMPLE
ConvertTo-MamlHelp -Path docs/en-US -OutputPath out/VppToken/en-US/VppToken.dll-Help.xml
#>
function ConvertTo-MamlHelp {
    [CmdletBinding()]
    [OutputType([System.IO.FileInfo])]
    param(
        # A folder of markdown pages, or the pages themselves.
        [Parameter(Mandatory)]
        [string[]] $Path,

        # The MAML file to write; about topics go to the same folder.
        [Parameter(Mandatory)]
        [string] $OutputPath
    )

    $files = foreach ($item in $Path) {
        $resolved = (Resolve-Path -LiteralPath $item -ErrorAction Stop).ProviderPath
        if (Test-Path -LiteralPath $resolved -PathType Container) {
            Get-ChildItem -LiteralPath $resolved -Filter '*.md' -File | Sort-Object Name
        }
        else {
            Get-Item -LiteralPath $resolved
        }
    }
    $commandFiles = @($files | Where-Object { $_.Name -notlike 'about_*' })
    $aboutFiles = @($files | Where-Object { $_.Name -like 'about_*' })
    if ($commandFiles.Count -eq 0) {
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
                [System.IO.FileNotFoundException]::new("No cmdlet help pages (*.md) in $($Path -join ', ')."),
                'HelpMarkdownNotFound', [System.Management.Automation.ErrorCategory]::ObjectNotFound, $Path))
    }

    $problems = [System.Collections.Generic.List[string]]::new()
    $commands = foreach ($file in $commandFiles) {
        try { ConvertFrom-HelpMarkdown -Path $file.FullName }
        catch [HelpMarkdownException] { $problems.Add($_.Exception.Message) }
    }
    $abouts = foreach ($file in $aboutFiles) {
        try {
            [pscustomobject]@{ Name = [IO.Path]::GetFileNameWithoutExtension($file.Name); Text = ConvertTo-AboutHelpText -Path $file.FullName }
        }
        catch [HelpMarkdownException] { $problems.Add($_.Exception.Message) }
    }
    if ($problems.Count) {
        $message = "The help markdown is malformed:`n  " + ($problems -join "`n  ")
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
                [System.FormatException]::new($message), 'HelpMarkdownInvalid', [System.Management.Automation.ErrorCategory]::InvalidData, $Path))
    }

    $output = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($OutputPath)
    $folder = [IO.Path]::GetDirectoryName($output)
    [void][IO.Directory]::CreateDirectory($folder)

    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    # Written to a side file first, so that a failure never leaves a truncated help file that Get-Help half reads.
    $partial = "$output.partial"
    $writer = [System.Xml.XmlWriter]::Create($partial, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', 'http://msh')
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($command in $commands) {
            Write-MamlCommand $writer $command
        }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally {
        $writer.Dispose()
    }
    Move-Item -LiteralPath $partial -Destination $output -Force
    Get-Item -LiteralPath $output

    foreach ($about in $abouts) {
        $aboutPath = [IO.Path]::Combine($folder, "$($about.Name).help.txt")
        [IO.File]::WriteAllText($aboutPath, $about.Text, [System.Text.UTF8Encoding]::new($false))
        Get-Item -LiteralPath $aboutPath
    }
}

Export-ModuleMember -Function ConvertFrom-HelpMarkdown, ConvertTo-MamlHelp, ConvertTo-AboutHelpText
