#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Every duration parameter (Connect-IntuneVpp -RequestTimeout, -MaxRetryWait, -WriteWindow; Sync-IntuneVppToken
# -Timeout, -PollInterval) reads a bare number as seconds, as a person means it, not as ticks as PowerShell alone
# would; it also takes a TimeSpan or '00:05:00'. Zero, negative and absurd values stop at binding, before anything
# is sent. What each value did is read on the wire (the emulator's request log), not from the module's own objects.

BeforeDiscovery {
    $script:DurationParameters = @(
        @{ Command = 'Connect-IntuneVpp'; Parameter = 'RequestTimeout'; Longest = '01:00:00'; Shortest = '00:00:01' }
        @{ Command = 'Connect-IntuneVpp'; Parameter = 'MaxRetryWait'; Longest = '1.00:00:00'; Shortest = '00:00:01' }
        @{ Command = 'Connect-IntuneVpp'; Parameter = 'WriteWindow'; Longest = '01:00:00'; Shortest = '00:00:01' }
        @{ Command = 'Sync-IntuneVppToken'; Parameter = 'Timeout'; Longest = '1.00:00:00'; Shortest = '00:00:01' }
        @{ Command = 'Sync-IntuneVppToken'; Parameter = 'PollInterval'; Longest = '01:00:00'; Shortest = '00:00:00.1' }
    )
    $script:Refusals = foreach ($case in $DurationParameters) {
        foreach ($bad in @(
                @{ Given = '0'; Value = 0; Says = 'not a positive duration' }
                @{ Given = '-5'; Value = -5; Says = 'not a positive duration' }
                @{ Given = '[TimeSpan]30 (30 ticks)'; Value = [TimeSpan]30; Says = 'shorter than' }
                @{ Given = 'one day more than the longest'; Value = 'longest+1d'; Says = 'longer than' }
                @{ Given = '1e300 seconds'; Value = 1e300; Says = 'not a duration that can be waited' }
                @{ Given = "'5 minutes'"; Value = '5 minutes'; Says = 'is not a duration' }
            )) {
            $case + $bad
        }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GraphEmulator.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module VppToken -Force

    $script:emu = Start-GraphEmulator
    $script:AccessToken = ConvertTo-SecureString 'pester-token' -AsPlainText -Force
    $script:ItemPath = "/v1.0/deviceAppManagement/vppTokens/$($SeedTokenId.Contoso)"
}

AfterAll {
    Disconnect-IntuneVpp -ErrorAction SilentlyContinue
    Stop-GraphEmulator -Emulator $emu
}

Describe 'Durations given as numbers, TimeSpans and strings' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
        Disconnect-IntuneVpp -ErrorAction SilentlyContinue
    }

    It 'reads -RequestTimeout 30 -MaxRetryWait 60 as seconds: an answer that takes 0.5 s arrives, once' {
        Add-GraphEmulatorScript -Emulator $emu -Method GET -Path $ItemPath -Response @{ status = 200; delayMs = 500; json = @{ id = $SeedTokenId.Contoso; organizationName = 'Contoso Ltd.' } }
        Connect-IntuneVpp -AccessToken $AccessToken -GraphEndpoint $emu.Uri -RequestTimeout 30 -MaxRetryWait 60

        $token = @(Get-IntuneVppToken -Id $SeedTokenId.Contoso -ErrorVariable failed -ErrorAction SilentlyContinue)

        $failed | Should -BeNullOrEmpty -Because '30 is 30 seconds, not 30 ticks'
        $token.Count | Should -Be 1
        @(Get-GraphEmulatorRequest -Emulator $emu -Method GET -Path $ItemPath).Count | Should -Be 1 -Because 'the first try was answered in time'
        (Get-IntuneVppContext).MaxRetryWait | Should -Be ([TimeSpan]::FromSeconds(60))
    }

    It 'takes -MaxRetryWait <Given> as <Expected>' -TestCases @(
        @{ Given = '60 (an int)'; Value = 60; Expected = '00:01:00' }
        @{ Given = '1.5 (a double)'; Value = 1.5; Expected = '00:00:01.5' }
        @{ Given = "'90' (a string, as from a CSV cell)"; Value = '90'; Expected = '00:01:30' }
        @{ Given = "'00:05:00'"; Value = '00:05:00'; Expected = '00:05:00' }
        @{ Given = "'02:30:00' (two and a half hours)"; Value = '02:30:00'; Expected = '02:30:00' }
        @{ Given = 'a TimeSpan of 2 minutes'; Value = [TimeSpan]::FromMinutes(2); Expected = '00:02:00' }
    ) {
        Connect-IntuneVpp -AccessToken $AccessToken -GraphEndpoint $emu.Uri -MaxRetryWait $Value

        (Get-IntuneVppContext).MaxRetryWait | Should -Be ([TimeSpan]::Parse($Expected, [Globalization.CultureInfo]::InvariantCulture))
    }

    It 'paces writes over -WriteWindow 1 as one second: the second write waits for the first''s window' {
        Connect-IntuneVpp -AccessToken $AccessToken -GraphEndpoint $emu.Uri -WriteLimit 1 -WriteWindow 1

        $null = @($SeedTokenId.Contoso, $SeedTokenId.Fabrikam | Set-IntuneVppToken -CountryOrRegion 'gb')

        $patches = @(Get-GraphEmulatorRequest -Emulator $emu -Method PATCH)
        $patches.Count | Should -Be 2
        # Checked from below only: a slow machine can only make the gap longer.
        ([DateTimeOffset]$patches[1].time - [DateTimeOffset]$patches[0].time).TotalSeconds | Should -BeGreaterOrEqual 0.9
    }

    It 'follows Sync-IntuneVppToken -Wait -Timeout 30 -PollInterval 0.1 as seconds until the sync completes' {
        $null = Set-GraphEmulatorSetting -Emulator $emu -Settings @{ syncCompletesAfterMs = 400 }
        Connect-IntuneVpp -AccessToken $AccessToken -GraphEndpoint $emu.Uri

        $token = @(Sync-IntuneVppToken -Id $SeedTokenId.Contoso -Wait -Timeout 30 -PollInterval 0.1 -ErrorVariable failed -ErrorAction SilentlyContinue)

        $failed | Should -BeNullOrEmpty -Because '30 is 30 seconds: the sync is not given up at once'
        $token.Count | Should -Be 1
        $token[0].LastSyncStatus | Should -BeExactly 'completed'
        $gets = @(Get-GraphEmulatorRequest -Emulator $emu -Method GET -Path $ItemPath)
        $gets.Count | Should -BeGreaterOrEqual 2 -Because 'it polled every 0.1 s while the sync ran'
        $gets.Count | Should -BeLessOrEqual 15 -Because '0.1 is 100 ms, not 0.1 ticks (a busy loop)'
    }

    It 'refuses <Command> -<Parameter> <Given> before anything is sent' -TestCases $Refusals {
        if ($Value -eq 'longest+1d') { $Value = [TimeSpan]::Parse($Longest, [Globalization.CultureInfo]::InvariantCulture).Add([TimeSpan]::FromDays(1)) }
        Connect-IntuneVpp -AccessToken $AccessToken -GraphEndpoint $emu.Uri
        $before = Get-IntuneVppContext
        $splat = if ($Command -eq 'Connect-IntuneVpp') {
            @{ AccessToken = $AccessToken; GraphEndpoint = $emu.Uri; $Parameter = $Value }
        }
        else {
            @{ Id = $SeedTokenId.Contoso; Wait = $true; $Parameter = $Value }
        }
        $caught = $null

        try { & $Command @splat -ErrorAction Stop } catch { $caught = $_ }

        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -Match "^ParameterArgument(Validation|Transformation)Error,"
        $caught.CategoryInfo.Category | Should -Be 'InvalidData'
        $caught.ToString() | Should -Match ([regex]::Escape($Parameter))
        $caught.ToString() | Should -Match ([regex]::Escape($Says))
        $caught.ToString() | Should -Match '(a number counts as seconds|give seconds \(300\))' -Because 'the message says how to write it'
        (Get-IntuneVppContext).Id | Should -Be $before.Id -Because 'a refused Connect-IntuneVpp keeps the current connection'
        @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
    }

    It 'accepts <Command> -<Parameter> at its bounds, <Shortest> and <Longest>' -TestCases $DurationParameters {
        foreach ($bound in $Shortest, $Longest) {
            $caught = $null
            try {
                $splat = @{ $Parameter = $bound }
                if ($Command -eq 'Connect-IntuneVpp') {
                    Connect-IntuneVpp -AccessToken $AccessToken -GraphEndpoint $emu.Uri @splat -ErrorAction Stop
                }
                else {
                    Connect-IntuneVpp -AccessToken $AccessToken -GraphEndpoint $emu.Uri
                    Sync-IntuneVppToken -Id $SeedTokenId.Contoso -Wait @splat -WhatIf -ErrorAction Stop
                }
            }
            catch { $caught = $_ }
            $caught | Should -BeNullOrEmpty -Because "$bound is within the bounds of -$Parameter"
        }
        @(Get-GraphEmulatorRequest -Emulator $emu | Where-Object method -NE 'GET').Count | Should -Be 0 -Because '-WhatIf reads the token to name its organization, and writes nothing'
    }
}
