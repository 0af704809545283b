#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# A wait between tries longer than about two seconds shows a progress bar that counts down ("Graph is throttling:
# waiting 3 s, attempt 2 of 6"), so a long Retry-After is not a blank screen; short waits draw nothing. The cmdlet
# runs in a runspace of its own, whose progress stream keeps every record written.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GraphEmulator.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module VppToken -Force

    $script:emu = Start-GraphEmulator
    $script:AccessToken = ConvertTo-SecureString 'pester-token' -AsPlainText -Force
    $script:ItemPath = "/v1.0/deviceAppManagement/vppTokens/$($SeedTokenId.Contoso)"
    $script:ThrottledBody = @{ error = @{ code = 'TooManyRequests'; message = 'Too many requests.' } }

    function Invoke-InRunspace {
        param([scriptblock] $Work)
        $connection = Connect-IntuneVpp -AccessToken $AccessToken -GraphEndpoint $emu.Uri -PassThru
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript({
                    param($Work, $Connection, $Id)
                    Import-Module VppToken
                    & ([scriptblock]::Create($Work)) $Connection $Id
                }).AddArgument($Work.ToString()).AddArgument($connection).AddArgument($SeedTokenId.Contoso)
            $output = @($shell.Invoke())
            [pscustomobject]@{ Output = $output; Progress = @($shell.Streams.Progress); Errors = @($shell.Streams.Error); Verbose = @($shell.Streams.Verbose) }
        }
        finally { $shell.Dispose() }
    }
}

AfterAll {
    Disconnect-IntuneVpp -ErrorAction SilentlyContinue
    Stop-GraphEmulator -Emulator $emu
}

Describe 'Progress while Graph makes the module wait' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
    }

    It 'counts down a Retry-After of 3 s on a progress bar, and completes it' {
        Add-GraphEmulatorScript -Emulator $emu -Method PATCH -Path $ItemPath -Response @{ status = 429; headers = @{ 'Retry-After' = '3' }; json = $ThrottledBody }

        $run = Invoke-InRunspace { param($Connection, $Id) Set-IntuneVppToken -Id $Id -CountryOrRegion 'gb' -PassThru -Connection $Connection -Verbose }

        $run.Errors | Should -BeNullOrEmpty
        $run.Output.Count | Should -Be 1
        @(Get-GraphEmulatorRequest -Emulator $emu -Method PATCH).Count | Should -Be 2
        $waits = @($run.Progress | Where-Object Activity -EQ 'Waiting for Graph')
        $waits.Count | Should -Be 4 -Because 'a start, a tick a second, and an end'
        @($waits.ActivityId | Sort-Object -Unique).Count | Should -Be 1
        $waits[0].StatusDescription | Should -BeExactly 'Graph is throttling: waiting 3 s, attempt 2 of 6'
        $waits[0].SecondsRemaining | Should -Be 3
        $counting = @($waits | Where-Object RecordType -EQ Processing)
        @($counting.SecondsRemaining) | Should -Be @(3, 2, 1) -Because 'it counts down, a second at a time'
        @($counting.StatusDescription)[1..2] | Should -Be @('Graph is throttling: waiting 2 s, attempt 2 of 6', 'Graph is throttling: waiting 1 s, attempt 2 of 6')
        $waits[-1].RecordType | Should -Be ([System.Management.Automation.ProgressRecordType]::Completed)
        @($run.Verbose.Message -like 'Graph answered 429 Too Many Requests; waiting 3 s before attempt 2 of 6 (request-id *).').Count | Should -Be 1 -Because '-Verbose tells the wait as before'
    }

    It 'draws nothing for a wait of 0.5 s' {
        Add-GraphEmulatorScript -Emulator $emu -Method PATCH -Path $ItemPath -Response @{ status = 503; headers = @{ 'Retry-After' = '0.5' }; json = @{ error = @{ code = 'ServiceUnavailable'; message = 'Later.' } } }

        $run = Invoke-InRunspace { param($Connection, $Id) Set-IntuneVppToken -Id $Id -CountryOrRegion 'gb' -PassThru -Connection $Connection }

        $run.Errors | Should -BeNullOrEmpty
        $run.Output.Count | Should -Be 1
        @(Get-GraphEmulatorRequest -Emulator $emu -Method PATCH).Count | Should -Be 2 -Because 'the wait did happen'
        @($run.Progress | Where-Object Activity -EQ 'Waiting for Graph').Count | Should -Be 0
    }
}
