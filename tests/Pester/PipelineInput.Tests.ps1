#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# What binds as a token id from the pipeline, and what an item that names no token gets instead: its own error
# record, with the object as the target, and nothing sent for it.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GraphEmulator.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module VppToken -Force

    $script:emu = Start-GraphEmulator
    Connect-IntuneVpp -AccessToken (ConvertTo-SecureString 'pester-token' -AsPlainText -Force) -GraphEndpoint $emu.Uri
    $script:ItemPrefix = '/v1.0/deviceAppManagement/vppTokens/'

    # Each cmdlet run over piped input, in the way that sends at once (no prompt); returns the error records.
    $script:Runs = @{
        Get    = { param($in) $null = $in | Get-IntuneVppToken -ErrorVariable e -ErrorAction SilentlyContinue; $e }
        Set    = { param($in) $null = $in | Set-IntuneVppToken -CountryOrRegion nz -ErrorVariable e -ErrorAction SilentlyContinue; $e }
        Sync   = { param($in) $null = $in | Sync-IntuneVppToken -ErrorVariable e -ErrorAction SilentlyContinue; $e }
        Remove = { param($in) $null = $in | Remove-IntuneVppToken -Force -ErrorVariable e -ErrorAction SilentlyContinue; $e }
    }
    $script:Method = @{ Get = 'GET'; Set = 'PATCH'; Sync = 'POST'; Remove = 'DELETE' }
}

AfterAll {
    Disconnect-IntuneVpp -ErrorAction SilentlyContinue
    Stop-GraphEmulator -Emulator $emu
}

Describe 'Pipeline input to <Verb>-IntuneVppToken' -ForEach @(@{ Verb = 'Get' }, @{ Verb = 'Set' }, @{ Verb = 'Sync' }, @{ Verb = 'Remove' }) {
    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
    }

    It 'says an object without Id or VppTokenId names no token, targets it, and goes on with the next' {
        $nameless = [pscustomobject]@{ Name = 'x' }

        $err = @(& $Runs[$Verb] @($SeedTokenId.Contoso, $nameless, $SeedTokenId.Labs))

        @($err).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InputHasNoVppTokenId,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].Exception.Message | Should -BeLike '*the input object has no Id or VppTokenId property*'
        $err[0].Exception.Message | Should -Not -BeLike '*is not a VPP token id*'
        [object]::ReferenceEquals($err[0].TargetObject, $nameless) | Should -BeTrue -Because 'the record targets the item itself'
        @((Get-GraphEmulatorRequest -Emulator $emu -Method $Method[$Verb]).path) | Should -Be @(
            "$ItemPrefix$($SeedTokenId.Contoso)$(if ($Verb -eq 'Sync') { '/syncLicenses' })"
            "$ItemPrefix$($SeedTokenId.Labs)$(if ($Verb -eq 'Sync') { '/syncLicenses' })"
        )
    }

    It 'binds a hashtable by its <Key> key' -TestCases @(
        @{ Key = 'Id' }
        @{ Key = 'VppTokenId' }
        @{ Key = 'id' }
    ) {
        $err = @(& $Runs[$Verb] @(@{ $Key = $SeedTokenId.Fabrikam; Other = 1 }))

        $err | Should -BeNullOrEmpty
        @((Get-GraphEmulatorRequest -Emulator $emu -Method $Method[$Verb]).path) |
            Should -Be @("$ItemPrefix$($SeedTokenId.Fabrikam)$(if ($Verb -eq 'Sync') { '/syncLicenses' })")
    }

    It 'says a hashtable without such a key names no token' {
        $err = @(& $Runs[$Verb] @(@{ Name = 'x' }))

        @($err).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InputHasNoVppTokenId,*'
        @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
    }

    It 'still calls a string that is not a GUID a bad id' {
        $err = @(& $Runs[$Verb] @('not-a-guid'))

        @($err).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidVppTokenId,*'
        $err[0].Exception.Message | Should -BeLike "*'not-a-guid' is not a VPP token id*"
        @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
    }
}

Describe 'A piped token from Get-IntuneVppToken' {
    It 'still binds whole, so that -WhatIf names its organization without reading it again' {
        Reset-GraphEmulator -Emulator $emu
        $token = Get-IntuneVppToken -Id $SeedTokenId.Fabrikam
        Clear-GraphEmulatorRequest -Emulator $emu
        $transcript = Join-Path $TestDrive 'whatif.txt'

        $null = Start-Transcript -LiteralPath $transcript
        try { $token | Remove-IntuneVppToken -WhatIf } finally { $null = Stop-Transcript }

        @(Get-Content -LiteralPath $transcript | Where-Object { $_ -like 'What if:*' }) | Should -BeLike '*Fabrikam School District*'
        @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
    }
}
