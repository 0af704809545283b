#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# The words of an error as the console shows them (the record's message and its recommendation): dates in ISO 8601,
# each sentence said once, and a long text from Graph cut to a readable length on one line.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GraphEmulator.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module VppToken -Force

    $script:emu = Start-GraphEmulator
    Connect-IntuneVpp -AccessToken (ConvertTo-SecureString 'pester-token' -AsPlainText -Force) -GraphEndpoint $emu.Uri -MaxRetries 0
    $script:ItemPath = "/v1.0/deviceAppManagement/vppTokens/$($SeedTokenId.Contoso)"
    $script:Iso = '\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z'

    # The one error of a Get-IntuneVppToken -Id whose answer is scripted.
    function script:Get-GraphError([hashtable] $Answer) {
        Add-GraphEmulatorScript -Emulator $emu -Method GET -Path $ItemPath -Response @($Answer)
        $null = Get-IntuneVppToken -Id $SeedTokenId.Contoso -ErrorVariable errs -ErrorAction SilentlyContinue
        @($errs).Count | Should -Be 1
        $errs[0]
    }

    # A text's sentences, for telling whether one is said twice.
    function script:Split-Sentence([string] $Text) {
        @($Text -split '(?<=[.;])\s+' | ForEach-Object { $_.Trim().TrimEnd('.', ';') } | Where-Object { $_.Length -gt 12 })
    }
}

AfterAll {
    Disconnect-IntuneVpp -ErrorAction SilentlyContinue
    Stop-GraphEmulator -Emulator $emu
}

Describe 'Error words' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
    }

    It 'says a recommendation once, not also in the message: <Scenario>' -TestCases @(
        @{ Scenario = 'a 403 on a read'; Status = 403; Code = 'Forbidden' }
        @{ Scenario = 'a 401'; Status = 401; Code = 'InvalidAuthenticationToken' }
    ) {
        $record = Get-GraphError @{ status = $Status; json = @{ error = @{ code = $Code; message = 'Graph says no.' } } }

        $advice = $record.ErrorDetails.RecommendedAction
        $advice | Should -Not -BeNullOrEmpty
        $message = $record.ToString()
        $message | Should -BeLike "*$Status*Graph says no.*"
        foreach ($sentence in Split-Sentence $advice) {
            $message | Should -Not -BeLike "*$sentence*" -Because 'the recommendation is shown on its own line'
        }
    }

    It 'says what to do about NotConnected once' {
        Disconnect-IntuneVpp
        try {
            $caught = $null
            try { Get-IntuneVppToken -ErrorAction Stop } catch { $caught = $_ }
        }
        finally {
            Connect-IntuneVpp -AccessToken (ConvertTo-SecureString 'pester-token' -AsPlainText -Force) -GraphEndpoint $emu.Uri -MaxRetries 0
        }

        $caught.FullyQualifiedErrorId | Should -BeLike 'NotConnected,*'
        $caught.ErrorDetails.RecommendedAction | Should -BeLike '*Connect-IntuneVpp*'
        $caught.ToString() | Should -Not -BeLike '*Connect first*' -Because 'that is the recommendation'
        $caught.ToString() | Should -Not -BeLike '*Run Connect-IntuneVpp*'
    }

    It 'writes Graph''s innerError date in ISO 8601, in UTC' {
        $record = Get-GraphError @{ status = 404; json = @{ error = @{ code = 'ResourceNotFound'; message = 'Not found.'; innerError = @{ date = '2024-01-02T03:04:05'; 'request-id' = 'r-1'; 'client-request-id' = 'c-1' } } } }

        $record.ToString() | Should -BeLike '*(code: ResourceNotFound, request-id: r-1, client-request-id: c-1, date: 2024-01-02T03:04:05Z)'
    }

    It 'writes the answer''s Date header in ISO 8601 when Graph''s body has no date' {
        $record = Get-GraphError @{ status = 500; body = '' }

        $record.ToString() | Should -Match "date: $Iso\)"
        $record.ToString() | Should -Not -Match 'GMT|, \d{2} [A-Z][a-z]{2} \d{4}' -Because 'no date is in the HTTP header form'
    }

    It 'shows a long text from Graph cut to a few KB, on one line, saying how long it was' {
        $line = 'The Intune service could not process the request because of an internal condition.'
        $long = (1..700 | ForEach-Object { "$line Activity $_." }) -join "`r`n"
        $long.Length | Should -BeGreaterThan 50000

        $record = Get-GraphError @{ status = 400; json = @{ error = @{ code = 'BadRequest'; message = $long; innerError = @{ date = '2024-01-02T03:04:05'; 'request-id' = 'r-2' } } } }

        $message = $record.ToString()
        $message.Length | Should -BeLessThan 4600
        $message | Should -Not -Match '[\r\n]'
        $message | Should -BeLike "*$line Activity 1. $line Activity 2.*" -Because 'the line breaks became spaces'
        $message | Should -Match ([regex]::Escape("... [cut: $($long.Length.ToString('N0', [cultureinfo]::InvariantCulture)) characters in all]"))
        $message | Should -Match '\(code: BadRequest, request-id: r-2, client-request-id: [0-9a-f-]{36}, date: 2024-01-02T03:04:05Z\)$' -Because 'the ids for support stay'
    }

    It 'writes an expired access token''s time in ISO 8601' {
        $expired = New-GraphEmulatorAccessToken -Emulator $emu -TenantId $DefaultTenantId -LifetimeSeconds -600
        $caught = $null
        try { Connect-IntuneVpp -AccessToken (ConvertTo-SecureString $expired -AsPlainText -Force) -GraphEndpoint $emu.Uri -ErrorAction Stop } catch { $caught = $_ }

        $caught.FullyQualifiedErrorId | Should -BeLike 'AccessTokenExpired,*'
        $caught.ToString() | Should -Match "expired at $Iso;"
    }
}
