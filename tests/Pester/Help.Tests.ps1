#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# The help the build compiles from docs/en-US into out/VppToken/en-US: every exported cmdlet has real help (not
# PowerShell's generated stub), with examples and every parameter described, and the markdown's parameters match
# the cmdlets' own, parameter set by parameter set, so the docs cannot drift from the code.

BeforeDiscovery {
    # The cmdlets come from the built manifest and their parameters from the markdown, so that discovery loads no part
    # of the module into the test process (other files judge what an import loads); the tests below compare both
    # with the imported cmdlets.
    Import-Module -Name ([IO.Path]::Combine($PSScriptRoot, '..', '..', 'tools', 'HelpCompiler', 'HelpCompiler.psm1')) -Force
    $manifest = Import-PowerShellDataFile -LiteralPath ([IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'VppToken', 'VppToken.psd1'))
    $script:Commands = foreach ($name in $manifest.CmdletsToExport | Sort-Object) {
        $pagePath = [IO.Path]::Combine($PSScriptRoot, '..', '..', 'docs', 'en-US', "$name.md")
        $documented = if (Test-Path -LiteralPath $pagePath) {
            try { @((ConvertFrom-HelpMarkdown -Path $pagePath).Parameters | ForEach-Object Name) } catch { @() }
        }
        @{ Name = $name; Parameters = @($documented | Sort-Object) }
    }
}

BeforeAll {
    Import-Module -Name VppToken -Force -ErrorAction Stop
    Import-Module -Name ([IO.Path]::Combine($PSScriptRoot, '..', '..', 'tools', 'HelpCompiler', 'HelpCompiler.psm1')) -Force
    $script:DocsPath = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..', 'docs', 'en-US'))
    $script:CommonParameters = [System.Management.Automation.Cmdlet]::CommonParameters

    # How the markdown's yaml spells a parameter's metadata in one set, from the cmdlet's own.
    function Get-ExpectedMetadata {
        param([System.Management.Automation.ParameterMetadata] $Parameter, [System.Management.Automation.ParameterSetMetadata] $InSet)

        $pipeline = @(
            if ($InSet.ValueFromPipelineByPropertyName) { 'ByPropertyName' }
            if ($InSet.ValueFromPipeline) { 'ByValue' }
        )
        [pscustomobject]@{
            # A setting that is not given is null, not false: the page names the value's type, as the syntax does.
            Type           = ([Nullable]::GetUnderlyingType($Parameter.ParameterType) ?? $Parameter.ParameterType).Name
            Required       = $InSet.IsMandatory
            Position       = if ($InSet.Position -ge 0) { [string]$InSet.Position } else { 'Named' }
            PipelineInput  = if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }
            Aliases        = @($Parameter.Aliases | Sort-Object) -join ', '
            AcceptedValues = @($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } |
                    ForEach-Object ValidValues) -join ', '
        }
    }

    function ConvertTo-ComparableMetadata {
        param([object] $Metadata)

        [pscustomobject]@{
            Type           = $Metadata.Type
            Required       = $Metadata.Required
            Position       = $Metadata.Position
            PipelineInput  = $Metadata.PipelineInput
            Aliases        = @($Metadata.Aliases | Sort-Object) -join ', '
            AcceptedValues = @($Metadata.AcceptedValues) -join ', '
        }
    }
}

AfterAll {
    Remove-Module -Name VppToken, HelpCompiler -Force -ErrorAction SilentlyContinue
}

Describe '<Name> help' -ForEach $Commands {
    BeforeAll {
        $command = Get-Command -Name $Name -Module VppToken
        $help = Get-Help -Name $Name -Full
        $pagePath = [IO.Path]::Combine($DocsPath, "$Name.md")
        $page = if (Test-Path -LiteralPath $pagePath) { ConvertFrom-HelpMarkdown -Path $pagePath }
        $realParameters = @($command.Parameters.Keys | Where-Object { $_ -notin $CommonParameters } | Sort-Object)
    }

    It 'has a page in docs/en-US' {
        $pagePath | Should -Exist
    }

    It 'has a written synopsis, not the generated syntax line' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$([regex]::Escape($Name))\s+\[" -Because 'Get-Help shows the syntax as the synopsis when there is no help'
        $help.Synopsis | Should -Not -Match '\{\{'
    }

    It 'has a written description' {
        $description = @($help.description | ForEach-Object Text) -join "`n"
        $description.Trim() | Should -Not -BeNullOrEmpty
        $description | Should -Not -Match '\{\{'
    }

    It 'has at least one example with code' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 1
        foreach ($example in $examples) {
            $example.code | Should -Not -BeNullOrEmpty -Because "$($example.title.Trim(' -')) needs code"
            $example.code | Should -Match ([regex]::Escape($Name)) -Because "$($example.title.Trim(' -')) should show $Name"
        }
    }

    # One test per documented parameter; the test above makes the documented ones the real ones.
    It 'describes -<_>' -ForEach $Parameters {
        $parameterHelp = Get-Help -Name $Name -Parameter $_
        $text = @($parameterHelp.description | ForEach-Object Text) -join "`n"
        $text.Trim() | Should -Not -BeNullOrEmpty
        $text | Should -Not -Match '\{\{'
    }

    It 'documents exactly the cmdlet''s parameters in its markdown' {
        $documented = @($page.Parameters | ForEach-Object Name | Sort-Object)
        $documented | Should -Be $realParameters -Because "docs/en-US/$Name.md must list every parameter of the cmdlet and no other"
    }

    It 'documents exactly the cmdlet''s parameter sets, with its default' {
        $realSets = @($command.ParameterSets.Name | Sort-Object)
        @($page.ParameterSets.Name | Sort-Object) | Should -Be $realSets
        if ($command.ParameterSets.Count -gt 1) {
            @($page.ParameterSets | Where-Object IsDefault).Name | Should -Be $command.DefaultParameterSet
        }
    }

    It 'documents each parameter''s type, aliases, accepted values, position, mandatory and pipeline input per set' {
        $drift = foreach ($parameterName in $realParameters) {
            $parameter = $command.Parameters[$parameterName]
            $documented = $page.Parameters | Where-Object Name -EQ $parameterName
            foreach ($set in $parameter.ParameterSets.GetEnumerator()) {
                $expected = Get-ExpectedMetadata -Parameter $parameter -InSet $set.Value
                $metadata = $documented.Metadata | Where-Object {
                    $set.Key -in $_.ParameterSets -or '(All)' -in $_.ParameterSets -or
                    ($set.Key -eq '__AllParameterSets' -and $_.ParameterSets.Count -eq 0)
                } | Select-Object -First 1
                if (-not $metadata) {
                    "-$parameterName has no yaml block for the parameter set $($set.Key)"
                    continue
                }
                $actual = ConvertTo-ComparableMetadata $metadata
                foreach ($property in $expected.PSObject.Properties.Name) {
                    if ([string]$actual.$property -ne [string]$expected.$property) {
                        "-$parameterName in $($set.Key): $property is '$($actual.$property)' in the markdown, '$($expected.$property)' in the cmdlet"
                    }
                }
            }
        }
        @($drift) | Should -BeNullOrEmpty
    }

    It 'links to other help that exists' {
        foreach ($link in $page.Links | Where-Object { -not $_.Uri }) {
            Get-Help -Name $link.Text -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty -Because "the related link '$($link.Text)' should resolve"
        }
    }
}

Describe 'docs/en-US' {
    It 'has a page only for exported cmdlets and about topics' {
        $exported = @((Get-Module -Name VppToken).ExportedCmdlets.Keys)
        $pages = Get-ChildItem -LiteralPath $DocsPath -Filter '*.md' | Where-Object Name -NotLike 'about_*'
        foreach ($page in $pages) {
            $page.BaseName | Should -BeIn $exported -Because "$($page.Name) documents a cmdlet the module does not export"
        }
    }
}

Describe 'about_VppToken' {
    BeforeAll {
        $about = Get-Help -Name about_VppToken
        $aboutText = $about | Out-String
    }

    It 'is found by Get-Help' {
        $about | Should -Not -BeNullOrEmpty
        $aboutText | Should -Match 'SHORT DESCRIPTION'
        $aboutText | Should -Match 'Manages the Apple Volume Purchase Program'
    }

    It 'covers <_>' -ForEach @('Connecting', 'Pipelines', 'Retries and throttling', 'Secrets', 'Multi-tenant',
        'Azure Automation with a managed identity', 'Renewal workflow') {
        $aboutText | Should -Match "(?m)^\s*$([regex]::Escape($_))\s*$"
    }

    It 'is listed by Get-Help among the about topics' {
        @(Get-Help -Name 'about_Vpp*' -Category HelpFile).Name | Should -Contain 'about_VppToken'
    }
}
