#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Remove-IntuneVppToken against the Graph emulator: which DELETEs reached the wire, and when none may.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:emu = Start-VppTokenTest -Connect
    $script:ItemPrefix = '/v1.0/deviceAppManagement/vppTokens/'

    function script:Get-Delete { @(Get-GraphEmulatorRequest -Emulator $emu -Method DELETE) }
}

AfterAll {
    Stop-VppTokenTest
}

Describe 'Remove-IntuneVppToken' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
    }

    Context 'Confirmation' {
        It 'declares ConfirmImpact High, so the default $ConfirmPreference asks before deleting' {
            $metadata = [System.Management.Automation.CommandMetadata]::new((Get-Command Remove-IntuneVppToken))
            $metadata.SupportsShouldProcess | Should -BeTrue
            $metadata.ConfirmImpact | Should -Be ([System.Management.Automation.ConfirmImpact]::High)
        }

        It 'sends the DELETE with <Scenario> under the default $ConfirmPreference' -TestCases @(
            @{ Scenario = '-Force'; Splat = @{ Force = $true } }
            @{ Scenario = '-Confirm:$false'; Splat = @{ Confirm = $false } }
        ) {
            $ConfirmPreference = 'High'

            $output = Remove-IntuneVppToken -Id $SeedTokenId.Fabrikam @Splat -ErrorVariable err

            $output | Should -BeNullOrEmpty
            $err | Should -BeNullOrEmpty
            @((Get-GraphEmulatorRequest -Emulator $emu).method) | Should -Be @('DELETE')
            (Get-Delete)[0].path | Should -BeExactly "$ItemPrefix$($SeedTokenId.Fabrikam)"
            @(Get-StoredVppToken -Emulator $emu).id | Should -Not -Contain $SeedTokenId.Fabrikam
        }

        It 'sends no DELETE with <Scenario>, only the read that names the token' -TestCases @(
            @{ Scenario = '-WhatIf'; Splat = @{ WhatIf = $true }; Piped = $false }
            @{ Scenario = '-Force -WhatIf'; Splat = @{ Force = $true; WhatIf = $true }; Piped = $false }
            @{ Scenario = '-Force -WhatIf for piped ids'; Splat = @{ Force = $true; WhatIf = $true }; Piped = $true }
        ) {
            if ($Piped) { $SeedTokenId.Fabrikam, $SeedTokenId.Labs | Remove-IntuneVppToken @Splat -ErrorVariable err }
            else { Remove-IntuneVppToken -Id $SeedTokenId.Fabrikam @Splat -ErrorVariable err }

            $err | Should -BeNullOrEmpty -Because 'a cmdlet that failed before sending would also send nothing'
            @(Get-GraphEmulatorRequest -Emulator $emu | Where-Object method -NE 'GET').Count | Should -Be 0
            @(Get-StoredVppToken -Emulator $emu).id | Should -Contain $SeedTokenId.Fabrikam
        }

        It 'names the token and its organization in the -WhatIf message for a token given <Scenario>' -TestCases @(
            @{ Scenario = 'with -InputObject'; Piped = $false }
            @{ Scenario = 'through the pipeline from Get-IntuneVppToken'; Piped = $true }
        ) {
            $token = Get-IntuneVppToken -Id $SeedTokenId.Fabrikam
            Clear-GraphEmulatorRequest -Emulator $emu
            $transcript = Join-Path $TestDrive 'whatif.txt'

            $null = Start-Transcript -LiteralPath $transcript
            try {
                if ($Piped) { $token | Remove-IntuneVppToken -Force -WhatIf }
                else { Remove-IntuneVppToken -InputObject $token -Force -WhatIf }
            }
            finally { $null = Stop-Transcript }

            $whatIf = @(Get-Content -LiteralPath $transcript | Where-Object { $_ -like 'What if:*' })
            $whatIf.Count | Should -Be 1
            $whatIf[0] | Should -BeLike "*$($SeedTokenId.Fabrikam)*Fabrikam School District*"
            @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
        }
    }

    Context 'Pipeline' {
        It 'removes every token piped from Get-IntuneVppToken' {
            $tokens = @(Get-IntuneVppToken)
            $tokens.Count | Should -Be 4
            Clear-GraphEmulatorRequest -Emulator $emu

            Get-IntuneVppToken | Remove-IntuneVppToken -Force -ErrorVariable err

            $err | Should -BeNullOrEmpty
            @((Get-Delete).path) | Should -Be @($tokens.Id | ForEach-Object { "$ItemPrefix$_" })
            @(Get-StoredVppToken -Emulator $emu) | Should -BeNullOrEmpty
        }

        It 'writes GraphNotFound for an unknown id and goes on with the others' {
            $unknown = '11111111-2222-4333-8444-555555555555'
            $ids = @($SeedTokenId.Fabrikam, $unknown, $SeedTokenId.Labs)

            $ids | Remove-IntuneVppToken -Force -ErrorVariable err -ErrorAction SilentlyContinue

            @($err).Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'GraphNotFound,*'
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err[0].TargetObject | Should -Be $unknown
            @((Get-Delete).path) | Should -Be @($ids | ForEach-Object { "$ItemPrefix$_" })
            $remaining = @(Get-StoredVppToken -Emulator $emu).id
            $remaining | Should -Not -Contain $SeedTokenId.Fabrikam
            $remaining | Should -Not -Contain $SeedTokenId.Labs
            $remaining | Should -Contain $SeedTokenId.Contoso
        }

        It 'refuses an id that is not a GUID before anything is sent, and goes on' {
            $SeedTokenId.Fabrikam, '../../me' | Remove-IntuneVppToken -Force -ErrorVariable err -ErrorAction SilentlyContinue

            @($err).Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidVppTokenId,*'
            @((Get-GraphEmulatorRequest -Emulator $emu).path) | Should -Be @("$ItemPrefix$($SeedTokenId.Fabrikam)")
        }
    }
}
