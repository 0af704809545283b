#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# [bool] parameters take 'true' and 'false' as text too (what an Import-Csv cell holds), in any case, and refuse other
# text before anything is sent; and the help's CSV example, run as written, does what its text says.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module ([IO.Path]::Combine($PSScriptRoot, '..', '..', 'tools', 'HelpCompiler', 'HelpCompiler.psm1')) -Force
    $script:emu = Start-VppTokenTest -Helper TokenFiles -Connect
    $script:Beta = Connect-IntuneVpp -AccessToken (ConvertTo-SecureString 'pester-token' -AsPlainText -Force) -GraphEndpoint $emu.Uri -ApiVersion beta -PassThru
    Connect-IntuneVpp -AccessToken (ConvertTo-SecureString 'pester-token' -AsPlainText -Force) -GraphEndpoint $emu.Uri

    function script:Get-OnlyBody([string] $Method) {
        $requests = @(Get-GraphEmulatorRequest -Emulator $emu -Method $Method)
        $requests.Count | Should -Be 1 -Because "one $Method was expected on the wire"
        @(Format-WireJson -Json $requests[0].body)
    }
}

AfterAll {
    Stop-VppTokenTest
    Remove-Module HelpCompiler -Force -ErrorAction SilentlyContinue
}

Describe '[bool] parameters given text' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
    }

    It 'Set-IntuneVppToken -<Parameter> ''<Text>'' sends <Json>' -TestCases @(
        @{ Parameter = 'AutomaticallyUpdateApps'; Text = 'false'; Json = 'false'; OnBeta = $false }
        @{ Parameter = 'AutomaticallyUpdateApps'; Text = 'FALSE'; Json = 'false'; OnBeta = $false }
        @{ Parameter = 'AutomaticallyUpdateApps'; Text = 'True'; Json = 'true'; OnBeta = $false }
        @{ Parameter = 'AutomaticallyUpdateApps'; Text = ' true '; Json = 'true'; OnBeta = $false }
        @{ Parameter = 'DataSharingConsentGranted'; Text = 'tRuE'; Json = 'true'; OnBeta = $true }
        @{ Parameter = 'ClaimTokenManagementFromExternalMdm'; Text = 'False'; Json = 'false'; OnBeta = $true }
    ) {
        $splat = @{ Id = $SeedTokenId.Contoso; $Parameter = $Text; ErrorVariable = 'err' }
        if ($OnBeta) { $splat.Connection = $Beta }

        Set-IntuneVppToken @splat

        $err | Should -BeNullOrEmpty
        $name = $Parameter.Substring(0, 1).ToLowerInvariant() + $Parameter.Substring(1)
        Get-OnlyBody PATCH | Should -Contain "$name $([cultureinfo]::InvariantCulture.TextInfo.ToTitleCase($Json)) $Json"
    }

    It 'New-IntuneVppToken -AutomaticallyUpdateApps ''false'' sends false' {
        New-IntuneVppToken -TokenFile (New-TestTokenFile -Kind Valid).Path -AppleId new@contoso.com -AutomaticallyUpdateApps 'false' -ErrorVariable err

        $err | Should -BeNullOrEmpty
        Get-OnlyBody POST | Should -Contain 'automaticallyUpdateApps False false'
    }

    It 'Revoke-IntuneVppTokenLicense takes ''TRUE'' and ''false''' {
        Revoke-IntuneVppTokenLicense -Id $SeedTokenId.Fabrikam -NotifyManagedDevices 'TRUE' -RevokeUntrackedLicenses 'false' -Force -Connection $Beta -ErrorVariable err

        $err | Should -BeNullOrEmpty
        @(Get-OnlyBody POST | Sort-Object) | Should -Be @('notifyManagedDevices True true', 'revokeUntrackedLicenses False false')
    }

    It 'refuses ''<Text>'' before anything is sent, naming it' -TestCases @(
        @{ Text = 'yes' }
        @{ Text = 'ture' }
        @{ Text = '' }
    ) {
        $caught = $null
        try { Set-IntuneVppToken -Id $SeedTokenId.Contoso -AutomaticallyUpdateApps $Text -ErrorAction Stop } catch { $caught = $_ }

        $caught | Should -Not -BeNullOrEmpty
        $caught.Exception.Message | Should -BeLike "*'$Text' is neither true nor false*"
        $caught.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError,*'
        @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
    }

    It 'still takes $true, $false, 1 and 0' {
        Set-IntuneVppToken -Id $SeedTokenId.Contoso -AutomaticallyUpdateApps $false
        Set-IntuneVppToken -Id $SeedTokenId.Contoso -AutomaticallyUpdateApps 1
        @(Get-GraphEmulatorRequest -Emulator $emu -Method PATCH | ForEach-Object { Format-WireJson -Json $_.body } | Where-Object { $_ -like 'automatically*' }) |
            Should -Be @('automaticallyUpdateApps False false', 'automaticallyUpdateApps True true')
    }
}

Describe '$false as written at a prompt' {
    # Written out, not splatted: a [bool] setting that is not given must stay unsent, and $false must not be taken for
    # "not given" on the way from the parameter to the body.
    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
    }

    It 'Set-IntuneVppToken -AutomaticallyUpdateApps $false sends false, and nothing else' {
        Set-IntuneVppToken -Id $SeedTokenId.Contoso -AutomaticallyUpdateApps $false -ErrorVariable err

        $err | Should -BeNullOrEmpty
        Get-OnlyBody PATCH | Should -Be @('@odata.type String #microsoft.graph.vppToken', 'automaticallyUpdateApps False false')
    }

    It 'Set-IntuneVppToken -DataSharingConsentGranted:$false sends false to beta, and nothing else' {
        Set-IntuneVppToken -Id $SeedTokenId.Contoso -DataSharingConsentGranted:$false -Connection $Beta -ErrorVariable err

        $err | Should -BeNullOrEmpty
        @(Get-GraphEmulatorRequest -Emulator $emu -Method PATCH).path | Should -BeLike '/beta/*'
        Get-OnlyBody PATCH | Should -Be @('@odata.type String #microsoft.graph.vppToken', 'dataSharingConsentGranted False false')
    }

    It 'New-IntuneVppToken -AutomaticallyUpdateApps $false -DataSharingConsentGranted:$false sends both as false' {
        New-IntuneVppToken -TokenFile (New-TestTokenFile -Kind Valid).Path -AutomaticallyUpdateApps $false -DataSharingConsentGranted:$false -Connection $Beta -ErrorVariable err

        $err | Should -BeNullOrEmpty
        $body = @(Get-OnlyBody POST)
        $body | Should -Contain 'automaticallyUpdateApps False false'
        $body | Should -Contain 'dataSharingConsentGranted False false'
        @($body | Where-Object { $_ -like 'claimTokenManagementFromExternalMdm *' }) | Should -BeNullOrEmpty -Because 'a [bool] not given is not sent'
    }
}

Describe 'The CSV example of Set-IntuneVppToken''s help' {
    BeforeAll {
        $page = ConvertFrom-HelpMarkdown -Path ([IO.Path]::Combine($PSScriptRoot, '..', '..', 'docs', 'en-US', 'Set-IntuneVppToken.md'))
        $script:Example = @($page.Examples | Where-Object Title -Like '*CSV*')
        $script:Code = $Example[0].Code -join "`n"
    }

    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
    }

    It 'runs as written against a tokens.csv made from its own comment lines' {
        $Example.Count | Should -Be 1
        $csv = @($Code -split '\r?\n' | Where-Object { $_ -match '^# (?!tokens\.csv)\S+,' } | ForEach-Object { $_.Substring(2) })
        $csv.Count | Should -BeGreaterThan 1 -Because 'the example shows the file it reads'
        $rows = @($csv | ConvertFrom-Csv)
        $known = @($rows | Where-Object Id -In $SeedTokenId.Values)
        $unknown = @($rows | Where-Object Id -NotIn $SeedTokenId.Values)
        $known.Count | Should -BeGreaterThan 0
        $unknown.Count | Should -BeGreaterThan 0 -Because 'a row the tenant lacks shows what -ErrorVariable collects'
        Set-Content -LiteralPath (Join-Path $TestDrive 'tokens.csv') -Value $csv

        # As at a prompt: a failed row is an error record, not the end of the example.
        $ErrorActionPreference = 'Continue'
        Push-Location -LiteralPath $TestDrive
        try { $output = @(& ([scriptblock]::Create($Code)) 2>$null) }
        finally { Pop-Location }

        # Each row's own cells reached the wire, as text turned into JSON booleans.
        $first = @(Get-GraphEmulatorRequest -Emulator $emu -Method PATCH | Where-Object path -Like "*/$($known[0].Id)")[0]
        $bool = if ($known[0].PSObject.Properties['AutomaticallyUpdateApps']) { [bool]::Parse($known[0].AutomaticallyUpdateApps) }
        $expected = @('@odata.type String #microsoft.graph.vppToken')
        if ($null -ne $bool) { $expected += "automaticallyUpdateApps $bool $($bool.ToString().ToLowerInvariant())" }
        $expected += "countryOrRegion String $($known[0].CountryOrRegion)"
        @(Format-WireJson -Json $first.body) | Should -Be $expected

        # The failed rows are listed by their id.
        $lines = @($output | Where-Object { $_ -is [string] })
        foreach ($row in $unknown) {
            @($lines | Where-Object { $_ -like "$($row.Id): *" }).Count | Should -Be 1 -Because "the failed row $($row.Id) is named once"
        }
        $lines | Where-Object { $_ -like ': *' } | Should -BeNullOrEmpty -Because 'every failure names its row'
    }
}
