#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# The async cmdlets write through a pipeline object whose writes complete when PowerShell has taken the object: a
# downstream command that has had enough stops the work at that write, before anything more is asked of Graph.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:emu = Start-VppTokenTest -Connect
}

AfterAll {
    Stop-VppTokenTest
}

Describe 'Writes that wait for the pipeline' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
        $null = Set-GraphEmulatorSetting -Emulator $emu -Settings @{ pageSize = 1 }
        Clear-GraphEmulatorRequest -Emulator $emu
    }

    It 'asks Graph for no second page when Select-Object -First 1 has its token' {
        # A slow consumer: work that did not wait for its writes would read every page while the first one is looked at.
        $first = @(Get-IntuneVppToken | ForEach-Object { Start-Sleep -Milliseconds 300; $_ } | Select-Object -First 1)

        $first.Count | Should -Be 1
        $requests = @(Get-GraphEmulatorRequest -Emulator $emu)
        $requests.Count | Should -Be 1 -Because 'the list stops at the write Select-Object refused, before following @odata.nextLink'
        $requests[0].path | Should -Not -BeLike '*skiptoken*'
    }

    It 'asks for exactly the pages Select-Object -First 3 needs' {
        $three = @(Get-IntuneVppToken | ForEach-Object { Start-Sleep -Milliseconds 100; $_ } | Select-Object -First 3)

        $three.Count | Should -Be 3
        @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 3
    }
}

Describe 'Errors that stop the command' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
        Clear-GraphEmulatorRequest -Emulator $emu
    }

    It 'reads no further id once -ErrorAction Stop has ended the call at a 404' {
        $missing = '00000000-0000-4000-8000-000000000404'

        { Get-IntuneVppToken -Id $missing, $SeedTokenId.Contoso, $SeedTokenId.Labs -ErrorAction Stop } |
            Should -Throw -ErrorId 'GraphNotFound,*'

        $requests = @(Get-GraphEmulatorRequest -Emulator $emu)
        $requests.Count | Should -Be 1 -Because 'the error stopped the call at its write, before the next id was read'
        $requests[0].path | Should -BeLike "*/$missing"
    }
}
