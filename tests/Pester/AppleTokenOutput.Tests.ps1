#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# The Apple token Graph returns stays out of what the cmdlets write unless Get-IntuneVppToken -IncludeToken asks for
# it: a SecureString that Export-Clixml writes on Linux and macOS can be read back by anyone who has the file.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GraphEmulator.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TokenFiles.psm1') -Force
    Import-Module VppToken -Force

    $script:emu = Start-GraphEmulator
    Connect-IntuneVpp -AccessToken (ConvertTo-SecureString 'pester-token' -AsPlainText -Force) -GraphEndpoint $emu.Uri

    function script:Get-StoredAppleToken([string] $Id) { (Get-StoredVppToken -Emulator $emu | Where-Object id -EQ $Id).token }
}

AfterAll {
    Disconnect-IntuneVpp -ErrorAction SilentlyContinue
    Stop-GraphEmulator -Emulator $emu
}

Describe 'The Apple token in output' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
    }

    It 'is left out of Get-IntuneVppToken <Scenario> without -IncludeToken' -TestCases @(
        @{ Scenario = 'the list'; Mode = 'List' }
        @{ Scenario = '-Id'; Mode = 'Id' }
    ) {
        $tokens = @(if ($Mode -eq 'List') { Get-IntuneVppToken } else { Get-IntuneVppToken -Id $SeedTokenId.Contoso, $SeedTokenId.Fabrikam })

        $tokens.Count | Should -BeGreaterThan 1
        foreach ($token in $tokens) {
            Get-StoredAppleToken $token.Id | Should -Not -BeNullOrEmpty -Because 'Graph returns the token of each seeded entry'
            $token.Token | Should -BeNullOrEmpty
        }
    }

    It 'is kept, as a SecureString, with -IncludeToken (<Scenario>)' -TestCases @(
        @{ Scenario = 'the list'; Mode = 'List' }
        @{ Scenario = '-Id'; Mode = 'Id' }
    ) {
        $tokens = @(if ($Mode -eq 'List') { Get-IntuneVppToken -IncludeToken } else { Get-IntuneVppToken -Id $SeedTokenId.Contoso, $SeedTokenId.Fabrikam -IncludeToken })

        $tokens.Count | Should -BeGreaterThan 1
        foreach ($token in $tokens) {
            $token.Token | Should -BeOfType [securestring]
            ConvertFrom-TestSecureString $token.Token | Should -BeExactly (Get-StoredAppleToken $token.Id)
        }
    }

    It 'does not reach an Export-Clixml file without -IncludeToken' {
        $path = Join-Path $TestDrive 'tokens.xml'

        Get-IntuneVppToken | Export-Clixml -LiteralPath $path

        $xml = Get-Content -LiteralPath $path -Raw
        $xml | Should -Not -Match '<SS\b' -Because 'no SecureString is written at all'
        foreach ($stored in Get-StoredVppToken -Emulator $emu) {
            $xml | Should -BeLike "*$($stored.organizationName)*"
            $xml | Should -Not -BeLike "*$($stored.token)*"
        }
    }

    It 'is left out of what <Scenario> writes' -TestCases @(
        @{ Scenario = 'Set-IntuneVppToken -PassThru'; Mode = 'Set' }
        @{ Scenario = 'Sync-IntuneVppToken'; Mode = 'Sync' }
        @{ Scenario = 'New-IntuneVppToken'; Mode = 'New' }
    ) {
        $written = switch ($Mode) {
            'Set' { Set-IntuneVppToken -Id $SeedTokenId.Contoso -CountryOrRegion gb -PassThru }
            'Sync' { Sync-IntuneVppToken -Id $SeedTokenId.Contoso }
            'New' { New-IntuneVppToken -TokenFile (New-TestTokenFile -Kind Valid).Path -AppleId new@contoso.com }
        }

        @($written).Count | Should -Be 1
        Get-StoredAppleToken $written.Id | Should -Not -BeNullOrEmpty -Because 'Graph holds, and returns, a token for it'
        $written.Token | Should -BeNullOrEmpty
    }
}
