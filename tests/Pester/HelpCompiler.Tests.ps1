#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# The markdown-to-MAML compiler the build runs (tools/HelpCompiler), tested on small pages written to TestDrive:
# what MAML it writes (by XPath), that Get-Help reads that MAML, and the error a malformed page gets.

BeforeDiscovery {
    # Each case breaks the valid page one way; Line is where the error must point, found by a regex on the broken
    # text so the cases do not hard-code line numbers.
    $script:MalformedCases = @(
        @{ Scenario = 'no front matter'; Break = { param($t) $t -replace '(?s)^---.*?---\n', '' }; LineOf = '^# Get-Fixture'; Problem = 'starts with front matter'; Expect = 1 }
        @{ Scenario = 'front matter never closed'; Break = { param($t) $t -replace '(?m)^---\n\n# Get', "`n# Get" }; LineOf = '^# Get-Fixture'; Problem = "Front matter lines are 'key: value'" }
        @{ Scenario = 'another schema'; Break = { param($t) $t -replace 'schema: 2.0.0', 'schema: 1.0.0' }; LineOf = $null; Problem = 'schema: 2\.0\.0'; Expect = 1 }
        @{ Scenario = 'name unlike the file'; Break = { param($t) $t -replace '(?m)^# Get-Fixture$', '# Get-Other' }; LineOf = '^# Get-Other'; Problem = "'Get-Other' but the file is named Get-Fixture\.md" }
        @{ Scenario = 'a code block never closed'; Break = { param($t) $t -replace '(?s)(### -Force.*?```yaml.*?)```\n', '$1' }; LineOf = '^### -Force'; Problem = 'never closed with ```'; Offset = 3 }
        @{ Scenario = 'a required section missing'; Break = { param($t) $t -replace '(?s)## DESCRIPTION.*?(?=## EXAMPLES)', '' }; LineOf = '^# Get-Fixture'; Problem = "no '## DESCRIPTION' section" }
        @{ Scenario = 'an unknown section'; Break = { param($t) $t -replace '## NOTES', '## REMARKS' }; LineOf = '^## REMARKS'; Problem = "Unknown section '## REMARKS'" }
        @{ Scenario = 'sections out of order'; Break = { param($t) $t -replace '(?s)(## OUTPUTS\n.*?)(## NOTES\nA note\.\n\n)', '$2$1' }; LineOf = '^## OUTPUTS'; Problem = "'## OUTPUTS' comes before '## NOTES'" }
        @{ Scenario = 'an empty synopsis'; Break = { param($t) $t -replace 'Gets fixtures for the compiler tests\.\n', '' }; LineOf = '^## SYNOPSIS'; Problem = 'SYNOPSIS is empty' }
        @{ Scenario = 'a platyPS placeholder left'; Break = { param($t) $t -replace 'The fixture''s name\.', '{{ Fill Name Description }}' }; LineOf = 'Fill Name Description'; Problem = 'placeholder' }
        @{ Scenario = 'a parameter set without syntax'; Break = { param($t) $t -replace '(?s)(### ById\n)```\n.*?\n```\n', '$1' }; LineOf = '^### ById'; Problem = "'ById' has no syntax code block" }
        @{ Scenario = 'an example without code'; Break = { param($t) $t -replace '(?s)(### Example 1: Get one fixture\n)```powershell\n.*?\n```\n', '$1' }; LineOf = '^### Example 1'; Problem = 'has no code block' }
        @{ Scenario = 'no example at all'; Break = { param($t) $t -replace '(?s)(## EXAMPLES\n).*?(?=## PARAMETERS)', "`$1`n" }; LineOf = '^## EXAMPLES'; Problem = 'EXAMPLES has no example' }
        @{ Scenario = 'a parameter without yaml'; Break = { param($t) $t -replace '(?s)(### -Force\nForces it\.\n\n)```yaml\n.*?```\n', '$1' }; LineOf = '^### -Force'; Problem = '-Force has no yaml block' }
        @{ Scenario = 'a parameter without description'; Break = { param($t) $t -replace 'Forces it\.\n\n', '' }; LineOf = '^### -Force'; Problem = '-Force has no description' }
        @{ Scenario = 'a misspelt yaml key'; Break = { param($t) $t -replace 'Accept wildcard characters: True', 'Accepts wildcards: True' }; LineOf = '^Accepts wildcards'; Problem = "unknown yaml key 'Accepts wildcards'" }
        @{ Scenario = 'a yaml line without a colon'; Break = { param($t) $t -replace '(?m)^Aliases: FixtureName$', 'Aliases FixtureName' }; LineOf = '^Aliases FixtureName'; Problem = "a yaml line is 'Key: value'" }
        @{ Scenario = 'Required that is not a boolean'; Break = { param($t) $t -replace '(?s)(### -Name.*?)Required: True', '$1Required: Yes' }; LineOf = '^### -Name'; Problem = "'Required' is True or False"; Offset = 3 }
        @{ Scenario = 'a parameter set SYNTAX lacks'; Break = { param($t) $t -replace '(?s)(### -Force.*?)Parameter Sets: ByName', '$1Parameter Sets: ByNmae' }; LineOf = '^### -Force'; Problem = "'ByNmae', which SYNTAX does not have"; Offset = 3 }
        @{ Scenario = 'a parameter heading without a dash'; Break = { param($t) $t -replace '### -Force', '### Force' }; LineOf = '^### Force'; Problem = "'### -Name'" }
        @{ Scenario = 'a parameter described twice'; Break = { param($t) $t -replace '### -Force', '### -Kind' }; LineOf = '^### -Kind'; Problem = 'described twice'; Occurrence = 2 }
        @{ Scenario = 'text after a yaml block'; Break = { param($t) $t -replace '(?s)(### -Force.*?```yaml.*?```\n)', "`$1`nStray text.`n" }; LineOf = '^Stray text'; Problem = 'its text goes before its yaml block' }
        @{ Scenario = 'a related link that is not a link'; Break = { param($t) $t -replace '\[Set-Fixture\]\(Set-Fixture\.md\)', 'see Set-Fixture' }; LineOf = '^see Set-Fixture'; Problem = "found 'see Set-Fixture'" }
    )
}

BeforeAll {
    Import-Module -Name ([IO.Path]::Combine($PSScriptRoot, '..', '..', 'tools', 'HelpCompiler', 'HelpCompiler.psm1')) -Force

    $script:Maml = @{
        maml    = 'http://schemas.microsoft.com/maml/2004/10'
        command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
        dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
        msh     = 'http://msh'
    }

    # A page that uses every part of the schema: two parameter sets, a parameter whose metadata differs by set,
    # accepted values, a switch, an example with two code blocks, inputs, outputs, notes and links.
    $script:ValidPage = @'
---
external help file: Fixture.psm1-Help.xml
Module Name: Fixture
online version: https://example.com/Get-Fixture
schema: 2.0.0
---

# Get-Fixture

## SYNOPSIS
Gets fixtures for the compiler tests.

## SYNTAX

### ByName (Default)
```
Get-Fixture [-Name] <String> [[-Kind] <String>] [-Force] [<CommonParameters>]
```

### ById
```
Get-Fixture -Id <String[]> -Kind <String> [<CommonParameters>]
```

## DESCRIPTION
The first paragraph
spans two lines.

- one item
- another item

Inline markup goes: `Get-Fixture`, **bold**, [a web link](https://example.com/docs) and [a page](Set-Fixture.md).

## EXAMPLES

### Example 1: Get one fixture
```powershell
Get-Fixture -Name alpha
```

Gets the fixture named alpha.

### Example 2: Two code blocks
```powershell
$ids = 'a', 'b'
```

```powershell
Get-Fixture -Id $ids -Kind small
```

## PARAMETERS

### -Name
The fixture's name.

```yaml
Type: String
Parameter Sets: ByName
Aliases: FixtureName

Required: True
Position: 0
Default value: None
Accept pipeline input: True (ByValue)
Accept wildcard characters: True
```

### -Id
The fixture ids.

```yaml
Type: String[]
Parameter Sets: ById
Aliases:

Required: True
Position: Named
Default value: None
Accept pipeline input: True (ByPropertyName)
Accept wildcard characters: False
```

### -Kind
The kind of fixture.

```yaml
Type: String
Parameter Sets: ByName
Aliases:
Accepted values: small, large

Required: False
Position: 1
Default value: small
Accept pipeline input: False
Accept wildcard characters: False
```

```yaml
Type: String
Parameter Sets: ById
Aliases:
Accepted values: small, large

Required: True
Position: Named
Default value: None
Accept pipeline input: False
Accept wildcard characters: False
```

### -Force
Forces it.

```yaml
Type: SwitchParameter
Parameter Sets: ByName
Aliases:

Required: False
Position: Named
Default value: False
Accept pipeline input: False
Accept wildcard characters: False
```

### CommonParameters
This cmdlet supports the common parameters. For more information, see
[about_CommonParameters](http://go.microsoft.com/fwlink/?LinkID=113216).

## INPUTS

### System.String
A name, by value.

## OUTPUTS

### System.Management.Automation.PSObject

## NOTES
A note.

## RELATED LINKS

[Get-Help](https://learn.microsoft.com/powershell/module/microsoft.powershell.core/get-help)

[Set-Fixture](Set-Fixture.md)
'@ -replace '\r\n', "`n"

    $script:AboutPage = @'
# about_Fixture

## Short description
Fixtures for the compiler tests.

## Long description
A paragraph with `inline code`, **bold** words and a [web link](https://example.com/fixture) that runs on for long enough to need wrapping at eighty columns.

### A subsection

- An item that also runs on for long enough to need wrapping, so its second line hangs under its text.
- [Get-Fixture](Get-Fixture.md)

```powershell
Get-Fixture -Name alpha |
    Format-List
```
'@ -replace '\r\n', "`n"

    function New-Fixture {
        param([string] $Text, [string] $Name = 'Get-Fixture', [string] $Folder = 'docs')

        $directory = Join-Path $TestDrive ([guid]::NewGuid().ToString('n')) | Join-Path -ChildPath $Folder
        New-Item -Path $directory -ItemType Directory -Force | Out-Null
        $path = Join-Path $directory "$Name.md"
        [IO.File]::WriteAllText($path, $Text)
        $path
    }

    function Select-Maml {
        param([xml] $Document, [string] $XPath)
        @(Select-Xml -Xml $Document -XPath $XPath -Namespace $Maml | ForEach-Object Node)
    }

    $script:Page = New-Fixture -Text $ValidPage
    $script:OutputFolder = Join-Path $TestDrive 'Fixture/en-US'
    $script:Written = @(ConvertTo-MamlHelp -Path (Split-Path $Page) -OutputPath (Join-Path $OutputFolder 'Fixture.psm1-Help.xml'))
    $script:Document = [xml](Get-Content -LiteralPath (Join-Path $OutputFolder 'Fixture.psm1-Help.xml') -Raw)
    $script:Command = "/msh:helpItems/command:command[command:details/command:name='Get-Fixture']"
}

AfterAll {
    Remove-Module -Name HelpCompiler, Fixture -Force -ErrorAction SilentlyContinue
}

Describe 'ConvertTo-MamlHelp on a valid page' {
    It 'writes one MAML file with one command' {
        $Written.Count | Should -Be 1
        $Document.DocumentElement.LocalName | Should -Be 'helpItems'
        $Document.DocumentElement.GetAttribute('schema') | Should -Be 'maml'
        @(Select-Maml $Document '/msh:helpItems/command:command').Count | Should -Be 1
    }

    It 'writes the name, verb, noun and synopsis' {
        @(Select-Maml $Document "$Command/command:details/command:verb")[0].InnerText | Should -Be 'Get'
        @(Select-Maml $Document "$Command/command:details/command:noun")[0].InnerText | Should -Be 'Fixture'
        @(Select-Maml $Document "$Command/command:details/maml:description/maml:para")[0].InnerText |
            Should -Be 'Gets fixtures for the compiler tests.'
    }

    It 'joins prose lines, keeps list lines and drops inline markup in the description' {
        $paras = Select-Maml $Document "$Command/maml:description/maml:para"
        $paras.InnerText | Should -Be @(
            'The first paragraph spans two lines.'
            "- one item`n- another item"
            'Inline markup goes: Get-Fixture, bold, a web link (https://example.com/docs) and a page.'
        )
    }

    It 'writes one syntax item per parameter set with that set''s parameters, positional first' {
        $items = Select-Maml $Document "$Command/command:syntax/command:syntaxItem"
        $items.Count | Should -Be 2
        @(Select-Maml $Document "$Command/command:syntax/command:syntaxItem[1]/command:parameter/maml:name").InnerText |
            Should -Be @('Name', 'Kind', 'Force')
        @(Select-Maml $Document "$Command/command:syntax/command:syntaxItem[2]/command:parameter/maml:name").InnerText |
            Should -Be @('Id', 'Kind')
    }

    It 'takes a parameter''s metadata in a syntax item from the yaml block of that set' {
        $byName = @(Select-Maml $Document "$Command/command:syntax/command:syntaxItem[1]/command:parameter[maml:name='Kind']")[0]
        $byId = @(Select-Maml $Document "$Command/command:syntax/command:syntaxItem[2]/command:parameter[maml:name='Kind']")[0]
        $byName.GetAttribute('required') | Should -Be 'false'
        $byName.GetAttribute('position') | Should -Be '1'
        $byId.GetAttribute('required') | Should -Be 'true'
        $byId.GetAttribute('position') | Should -Be 'named'
    }

    It 'lists accepted values in the syntax and leaves a switch without a value type there' {
        @(Select-Maml $Document "$Command/command:syntax/command:syntaxItem[1]/command:parameter[maml:name='Kind']/command:parameterValueGroup/command:parameterValue").InnerText |
            Should -Be @('small', 'large')
        Select-Maml $Document "$Command/command:syntax/command:syntaxItem[1]/command:parameter[maml:name='Force']/command:parameterValue" |
            Should -BeNullOrEmpty
    }

    It 'writes every parameter with its description, type, aliases, pipeline input, globbing and default' {
        @(Select-Maml $Document "$Command/command:parameters/command:parameter/maml:name").InnerText |
            Should -Be @('Name', 'Id', 'Kind', 'Force')
        $name = @(Select-Maml $Document "$Command/command:parameters/command:parameter[maml:name='Name']")[0]
        $name.GetAttribute('required') | Should -Be 'true'
        $name.GetAttribute('position') | Should -Be '0'
        $name.GetAttribute('aliases') | Should -Be 'FixtureName'
        $name.GetAttribute('pipelineInput') | Should -Be 'True (ByValue)'
        $name.GetAttribute('globbing') | Should -Be 'true'
        $name.description.para | Should -Be "The fixture's name."
        $name.parameterValue.InnerText | Should -Be 'String'
        $name.type.name | Should -Be 'String'

        $id = @(Select-Maml $Document "$Command/command:parameters/command:parameter[maml:name='Id']")[0]
        $id.GetAttribute('aliases') | Should -Be 'none'
        $id.parameterValue.GetAttribute('variableLength') | Should -Be 'true'

        $kind = @(Select-Maml $Document "$Command/command:parameters/command:parameter[maml:name='Kind']")[0]
        $kind.defaultValue | Should -Be 'small'
    }

    It 'writes each example''s title, code (blocks joined) and remarks' {
        $examples = Select-Maml $Document "$Command/command:examples/command:example"
        $examples.Count | Should -Be 2
        $examples[0].title | Should -Match 'Example 1: Get one fixture'
        $examples[0].code | Should -Be 'Get-Fixture -Name alpha'
        @($examples[0].remarks.para) | Should -Be @('Gets the fixture named alpha.', '') -Because 'an empty last paragraph separates examples'
        $examples[1].code | Should -Be "`$ids = 'a', 'b'`n`nGet-Fixture -Id `$ids -Kind small"
    }

    It 'writes inputs, outputs, notes and related links' {
        @(Select-Maml $Document "$Command/command:inputTypes/command:inputType/dev:type/maml:name").InnerText | Should -Be 'System.String'
        @(Select-Maml $Document "$Command/command:inputTypes/command:inputType/maml:description/maml:para").InnerText | Should -Be 'A name, by value.'
        @(Select-Maml $Document "$Command/command:returnValues/command:returnValue/dev:type/maml:name").InnerText |
            Should -Be 'System.Management.Automation.PSObject'
        @(Select-Maml $Document "$Command/maml:alertSet/maml:alert/maml:para").InnerText | Should -Be 'A note.'

        $links = Select-Maml $Document "$Command/command:relatedLinks/maml:navigationLink"
        $links.linkText | Should -Be @('Online Version:', 'Get-Help', 'Set-Fixture')
        $links.uri | Should -Be @('https://example.com/Get-Fixture', 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/get-help', '')
    }

    It 'reads the page into an object the help tests can compare with a command' {
        $help = ConvertFrom-HelpMarkdown -Path $Page
        $help.Name | Should -Be 'Get-Fixture'
        $help.Parameters.Name | Should -Be @('Name', 'Id', 'Kind', 'Force')
        $help.ParameterSets.Name | Should -Be @('ByName', 'ById')
        $help.ParameterSets[0].IsDefault | Should -BeTrue
        $help.Parameters[2].Metadata.Count | Should -Be 2
    }
}

Describe 'Get-Help on the compiled MAML' {
    BeforeAll {
        # A script module whose function points at the compiled file, so Get-Help reads it as it reads any MAML.
        $moduleFolder = Join-Path $TestDrive 'Fixture'
        Set-Content -LiteralPath (Join-Path $moduleFolder 'Fixture.psm1') -Value @'
function Get-Fixture {
    # .ExternalHelp Fixture.psm1-Help.xml
    [CmdletBinding(DefaultParameterSetName = 'ByName')]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'ByName', ValueFromPipeline)]
        [Alias('FixtureName')]
        [SupportsWildcards()]
        [string] $Name,

        [Parameter(Mandatory, ParameterSetName = 'ById', ValueFromPipelineByPropertyName)]
        [string[]] $Id,

        [Parameter(Position = 1, ParameterSetName = 'ByName')]
        [Parameter(Mandatory, ParameterSetName = 'ById')]
        [ValidateSet('small', 'large')]
        [string] $Kind = 'small',

        [Parameter(ParameterSetName = 'ByName')]
        [switch] $Force
    )
}
'@
        Import-Module -Name (Join-Path $moduleFolder 'Fixture.psm1') -Force
    }

    It 'shows the synopsis, description, syntax, parameters and examples with -Full' {
        $text = Get-Help -Name Get-Fixture -Full | Out-String -Width 200
        $text | Should -Match 'Gets fixtures for the compiler tests\.'
        $text | Should -Match 'The first paragraph spans two lines\.'
        $text | Should -Match 'Get-Fixture \[-Name\] <String> \[\[-Kind\] \{small \| large\}\] \[-Force\]'
        $text | Should -Match '-Force \[<SwitchParameter>\]'
        $text | Should -Match 'Example 2: Two code blocks'
        $text | Should -Match 'A note\.'
    }

    It 'shows the examples with -Examples' {
        $help = Get-Help -Name Get-Fixture -Examples
        @($help.examples.example).Count | Should -Be 2
        $help.examples.example[0].code | Should -Be 'Get-Fixture -Name alpha'
        ($help | Out-String) | Should -Match 'Gets the fixture named alpha\.'
    }

    It 'shows one parameter with -Parameter' {
        $parameter = Get-Help -Name Get-Fixture -Parameter Id
        $parameter.name | Should -Be 'Id'
        $parameter.required | Should -Be 'true'
        $parameter.pipelineInput | Should -Be 'True (ByPropertyName)'
        ($parameter | Out-String) | Should -Match 'The fixture ids\.'
    }

    It 'shows the online link' {
        (Get-Help -Name Get-Fixture).relatedLinks.navigationLink[0].uri | Should -Be 'https://example.com/Get-Fixture'
    }
}

Describe 'ConvertTo-MamlHelp on a malformed page' {
    It 'fails on <Scenario>, naming the file and line' -TestCases $MalformedCases {
        param($Scenario, $Break, $LineOf, $Problem, $Expect, $Offset, $Occurrence)

        $broken = & $Break $ValidPage
        $broken | Should -Not -Be $ValidPage -Because 'the case must change the page'
        $path = New-Fixture -Text $broken
        $output = Join-Path (Split-Path $path) 'out/Fixture.psm1-Help.xml'

        $expectedLine = if ($Expect) {
            $Expect
        }
        else {
            $lines = $broken -split "`n"
            $matching = @(for ($i = 0; $i -lt $lines.Count; $i++) { if ($lines[$i] -match $LineOf) { $i + 1 } })
            $matching[$(if ($Occurrence) { $Occurrence - 1 } else { 0 })] + [int]$Offset
        }

        { ConvertTo-MamlHelp -Path (Split-Path $path) -OutputPath $output -ErrorAction Stop } |
            Should -Throw -ErrorId 'HelpMarkdownInvalid,ConvertTo-MamlHelp' -PassThru |
            ForEach-Object {
                $message = $_.Exception.Message
                $message | Should -Match ([regex]::Escape("Get-Fixture.md:${expectedLine}:"))
                $message | Should -Match $Problem
            }
        Test-Path -LiteralPath $output | Should -BeFalse -Because 'a malformed page must leave no help file behind'
    }

    It 'lists every malformed page, not just the first' {
        $first = New-Fixture -Text ($ValidPage -replace 'schema: 2.0.0', 'schema: 1.0.0')
        $folder = Split-Path $first
        [IO.File]::WriteAllText((Join-Path $folder 'Set-Fixture.md'), ($ValidPage -replace 'Get-Fixture', 'Set-Fixture' -replace '## NOTES', '## REMARKS'))

        { ConvertTo-MamlHelp -Path $folder -OutputPath (Join-Path $folder 'out/x.xml') } |
            Should -Throw -PassThru |
            ForEach-Object {
                $_.Exception.Message | Should -Match 'Get-Fixture\.md:1:'
                $_.Exception.Message | Should -Match 'Set-Fixture\.md:\d+: Unknown section'
            }
    }

    It 'fails when the folder has no cmdlet page' {
        $folder = Join-Path $TestDrive 'empty'
        New-Item -Path $folder -ItemType Directory -Force | Out-Null
        { ConvertTo-MamlHelp -Path $folder -OutputPath (Join-Path $folder 'x.xml') } | Should -Throw -ErrorId 'HelpMarkdownNotFound,ConvertTo-MamlHelp'
    }
}

Describe 'About topics' {
    BeforeAll {
        $about = New-Fixture -Text $AboutPage -Name 'about_Fixture'
        $folder = Split-Path $about
        [IO.File]::WriteAllText((Join-Path $folder 'Get-Fixture.md'), $ValidPage)
        $script:AboutWritten = @(ConvertTo-MamlHelp -Path $folder -OutputPath (Join-Path $folder 'out/Fixture.psm1-Help.xml'))
        $script:AboutText = Get-Content -LiteralPath (Join-Path $folder 'out/about_Fixture.help.txt') -Raw
        $script:AboutLines = $AboutText -split '\r?\n'
    }

    It 'is written beside the MAML file, named after the topic' {
        $AboutWritten.Name | Should -Be @('Fixture.psm1-Help.xml', 'about_Fixture.help.txt')
    }

    It 'starts with the topic and upper-cases the sections' {
        $AboutLines[0..4] | Should -Be @('TOPIC', '    about_Fixture', '', 'SHORT DESCRIPTION', '    Fixtures for the compiler tests.')
        $AboutLines | Should -Contain 'LONG DESCRIPTION'
        $AboutLines | Should -Contain '  A subsection'
    }

    It 'drops inline markup, spells out web links and wraps prose at 80 columns' {
        $AboutText | Should -Match 'inline code, bold words and a web link\s+\(https://example\.com/fixture\)'
        $AboutText | Should -Not -Match '[`*]'
        @($AboutLines | Where-Object { $_.Length -gt 80 }) | Should -BeNullOrEmpty
    }

    It 'hangs wrapped list items under their text and keeps code lines as written' {
        $item = [array]::IndexOf($AboutLines, ($AboutLines | Where-Object { $_ -like '    - An item*' }))
        $AboutLines[$item + 1] | Should -Match '^      \S'
        $AboutLines | Should -Contain '    - Get-Fixture'
        $AboutLines | Should -Contain '        Get-Fixture -Name alpha |'
        $AboutLines | Should -Contain '            Format-List'
    }

    It 'fails on a topic whose heading is not its file name' {
        $path = New-Fixture -Text ($AboutPage -replace '# about_Fixture', '# about_Other') -Name 'about_Fixture'
        { ConvertTo-AboutHelpText -Path $path } | Should -Throw '*about_Fixture.md:1:*'
    }

    It 'fails on a topic without a short description' {
        $path = New-Fixture -Text ($AboutPage -replace '## Short description', '## Summary') -Name 'about_Fixture'
        { ConvertTo-AboutHelpText -Path $path } | Should -Throw "*about_Fixture.md:1:*'## Short description'*"
    }
}

Describe 'ConvertTo-MamlHelp on the repository''s docs/en-US' {
    BeforeAll {
        $docs = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..', 'docs', 'en-US'))
        $output = Join-Path $TestDrive 'repository/en-US/VppToken.dll-Help.xml'
        $script:RepositoryWritten = @(ConvertTo-MamlHelp -Path $docs -OutputPath $output)
        $script:RepositoryDocument = [xml](Get-Content -LiteralPath $output -Raw)
        $script:RepositoryPages = @(Get-ChildItem -LiteralPath $docs -Filter '*.md' | Where-Object Name -NotLike 'about_*' |
                ForEach-Object { ConvertFrom-HelpMarkdown -Path $_.FullName })
    }

    It 'writes one command per cmdlet page and one text file per about topic' {
        $names = @(Select-Maml $RepositoryDocument '/msh:helpItems/command:command/command:details/command:name').InnerText
        $names | Should -Be @($RepositoryPages.Name)
        @($RepositoryWritten.Name | Where-Object { $_ -like 'about_*.help.txt' }).Count | Should -BeGreaterOrEqual 1
    }

    It 'writes each page''s parameter sets, parameters and examples' {
        foreach ($page in $RepositoryPages) {
            $command = "/msh:helpItems/command:command[command:details/command:name='$($page.Name)']"
            @(Select-Maml $RepositoryDocument "$command/command:syntax/command:syntaxItem").Count | Should -Be $page.ParameterSets.Count -Because $page.Name
            @(Select-Maml $RepositoryDocument "$command/command:parameters/command:parameter/maml:name" | ForEach-Object InnerText) |
                Should -Be @($page.Parameters | ForEach-Object Name) -Because $page.Name
            @(Select-Maml $RepositoryDocument "$command/command:examples/command:example").Count | Should -Be $page.Examples.Count -Because $page.Name
        }
    }
}
