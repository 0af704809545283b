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

# The client skips making the lines nobody will see (the bodies' redaction above all), so whether a line is seen must
# be decided as PowerShell decides it: a switch given wins, otherwise the preference in the caller's own scope.
Describe 'Verbose and debug lines, shown exactly when PowerShell would show them' {
    BeforeAll {
        function Invoke-Set {
            param([hashtable] $Switches = @{})
            Set-IntuneVppToken -Id $SeedTokenId.Contoso -CountryOrRegion 'gb' @Switches *>&1
        }
        function Get-Lines([object[]] $Records, [type] $Type) {
            @($Records | Where-Object { $_ -is $Type } | ForEach-Object Message)
        }
        # A script module's function: its own session state, as a runbook's helper module would call us.
        $null = New-Module -Name VppTokenPreferenceCaller -ScriptBlock {
            function Invoke-SetWithDebugPreference([string] $Id) {
                $DebugPreference = 'Continue'
                Set-IntuneVppToken -Id $Id -CountryOrRegion 'gb' *>&1
            }
        } | Import-Module -PassThru
    }

    AfterAll {
        Remove-Module VppTokenPreferenceCaller -ErrorAction SilentlyContinue
    }

    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
        Clear-GraphEmulatorRequest -Emulator $emu
    }

    AfterEach {
        # Whatever was shown, the PATCH itself went out once.
        @(Get-GraphEmulatorRequest -Emulator $emu | Where-Object method -EQ 'PATCH').Count | Should -Be 1
    }

    It 'writes no verbose or debug line under the default preferences' {
        $records = @(Invoke-Set)

        Get-Lines $records ([System.Management.Automation.VerboseRecord]) | Should -BeNullOrEmpty
        Get-Lines $records ([System.Management.Automation.DebugRecord]) | Should -BeNullOrEmpty
    }

    It 'writes the request and answer lines under -Verbose, and no body' {
        $records = @(Invoke-Set -Switches @{ Verbose = $true })

        $verbose = Get-Lines $records ([System.Management.Automation.VerboseRecord])
        @($verbose | Where-Object { $_ -like "PATCH /*/deviceAppManagement/vppTokens/$($SeedTokenId.Contoso) (client-request-id *" }).Count | Should -Be 1
        @($verbose | Where-Object { $_ -match '^200 OK in \d+ ms' }).Count | Should -Be 1
        Get-Lines $records ([System.Management.Automation.DebugRecord]) | Should -BeNullOrEmpty
    }

    It 'honours $VerbosePreference set in the calling function''s own scope' {
        function Invoke-WithVerbosePreference { $VerbosePreference = 'Continue'; Invoke-Set }

        $verbose = Get-Lines @(Invoke-WithVerbosePreference) ([System.Management.Automation.VerboseRecord])

        @($verbose | Where-Object { $_ -like 'PATCH /*' }).Count | Should -Be 1
    }

    It 'writes nothing under -Verbose:$false although $VerbosePreference is Continue' {
        $VerbosePreference = 'Continue'

        $records = @(Invoke-Set -Switches @{ Verbose = $false })

        Get-Lines $records ([System.Management.Automation.VerboseRecord]) | Should -BeNullOrEmpty
    }

    It 'writes the request line and both bodies to the debug stream under -Debug alone' {
        $records = @(Invoke-Set -Switches @{ Debug = $true })

        $debug = Get-Lines $records ([System.Management.Automation.DebugRecord])
        @($debug | Where-Object { $_ -like 'PATCH /*' }).Count | Should -Be 1 -Because 'verbose lines go to the debug stream under -Debug alone'
        @($debug | Where-Object { $_ -like 'Request body: *"countryOrRegion":"gb"*' }).Count | Should -Be 1
        @($debug | Where-Object { $_ -like 'Response body: *' }).Count | Should -Be 1
        Get-Lines $records ([System.Management.Automation.VerboseRecord]) | Should -BeNullOrEmpty
    }

    It 'honours $DebugPreference set in a script module''s function that calls it' {
        $debug = Get-Lines @(Invoke-SetWithDebugPreference -Id $SeedTokenId.Contoso) ([System.Management.Automation.DebugRecord])

        @($debug | Where-Object { $_ -like 'Request body: *' }).Count | Should -Be 1
        @($debug | Where-Object { $_ -like 'Response body: *' }).Count | Should -Be 1
    }
}
