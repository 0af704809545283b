#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Test-IntuneVppToken against the emulator with three tenants: one (beta) holding a token for every reason a token
# needs attention, one (v1.0) with a healthy token, and one the connection may not read. Each record is checked
# against the token the emulator holds; the wire shows one listing per tenant and nothing written.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:emu = Start-VppTokenTest -Helper SignInHelpers

    $script:Tenant = @{
        Schools  = 'd0000000-0000-4000-8000-000000000001'
        Retail   = 'd0000000-0000-4000-8000-000000000002'
        Unreadable = 'd0000000-0000-4000-8000-000000000003'
    }
    function script:TokenId([int] $n) { 'b0000000-0000-4000-8000-{0:d12}' -f $n }

    # One token per case: Name = its organization, Codes = the reasons it must get, Status = what they make it.
    $script:Cases = @(
        @{ Name = 'Healthy'; Token = @{}; Codes = @(); Status = 'Healthy' }
        @{ Name = 'Warning window'; Token = @{ expirationDateTime = '+20d' }; Codes = @('ExpiresWithinWarningDays'); Status = 'Warning' }
        @{ Name = 'Critical window'; Token = @{ expirationDateTime = '+3d' }; Codes = @('ExpiresWithinCriticalDays'); Status = 'Critical' }
        @{ Name = 'Expired'; Token = @{ expirationDateTime = '-5d'; state = 'expired' }; Codes = @('Expired'); Status = 'Critical' }
        @{ Name = 'Claimed'; Token = @{ state = 'assignedToExternalMDM' }; Codes = @('AssignedToExternalMdm'); Status = 'Critical' }
        @{ Name = 'Duplicate'; Token = @{ state = 'duplicateLocationId' }; Codes = @('DuplicateLocationId'); Status = 'Critical' }
        @{ Name = 'Invalid'; Token = @{ state = 'invalid' }; Codes = @('InvalidState'); Status = 'Critical' }
        @{ Name = 'Unknown state'; Token = @{ state = 'unknown' }; Codes = @('StateNotValid'); Status = 'Critical' }
        @{ Name = 'Sync failed'; Token = @{ lastSyncStatus = 'failed' }; Codes = @('LastSyncFailed'); Status = 'Warning' }
        @{ Name = 'Stale'; Token = @{ lastSyncDateTime = '-20d' }; Codes = @('SyncStale'); Status = 'Warning' }
        @{ Name = 'Never synced'; Token = @{ lastSyncDateTime = '0001-01-01T00:00:00Z'; lastSyncStatus = 'none' }; Codes = @('SyncStale'); Status = 'Warning' }
        @{ Name = 'Everything'; Token = @{ expirationDateTime = '+20d'; state = 'invalid'; lastSyncStatus = 'failed'; lastSyncDateTime = '-30d' }
            Codes = @('ExpiresWithinWarningDays', 'InvalidState', 'LastSyncFailed', 'SyncStale'); Status = 'Critical' }
    )

    function script:Set-TestTenant {
        Reset-GraphEmulator -Emulator $emu
        $n = 0
        $tokens = foreach ($case in $Cases) {
            $n++
            $token = @{ id = (TokenId $n); organizationName = $case.Name; locationName = "Location $n"; expirationDateTime = '+200d'
                state = 'valid'; lastSyncStatus = 'completed'; lastSyncDateTime = '-1d' }
            foreach ($key in $case.Token.Keys) { $token[$key] = $case.Token[$key] }
            $token
        }
        Set-GraphEmulatorTenant $emu -TenantId $Tenant.Schools -VppToken @($tokens)
        Set-GraphEmulatorTenant $emu -TenantId $Tenant.Retail -VppToken @(
            @{ id = (TokenId 100); organizationName = 'Retail'; expirationDateTime = '+200d'; state = 'valid'; lastSyncStatus = 'completed'; lastSyncDateTime = '-1d' })
        Set-GraphEmulatorTenant $emu -TenantId $Tenant.Unreadable -VppToken @(@{ organizationName = 'Hidden'; expirationDateTime = '+200d' })
        Clear-GraphEmulatorRequest -Emulator $emu
    }
    Set-TestTenant

    function script:Connect-TestTenant([string] $TenantId, [string] $ApiVersion = 'beta', [string[]] $Role = @('DeviceManagementServiceConfig.Read.All')) {
        Connect-EmulatorTenant -Emulator $emu -TenantId $TenantId -Role $Role -ApiVersion $ApiVersion
    }
    $script:Schools = Connect-TestTenant $Tenant.Schools
    $script:Retail = Connect-TestTenant $Tenant.Retail -ApiVersion v1.0
    $script:Denied = Connect-TestTenant $Tenant.Unreadable -Role 'User.Read.All'
    $script:ConnectionOf = @{ Schools = $Schools; Retail = $Retail; Denied = $Denied }
}

AfterAll {
    Stop-VppTokenTest
}

Describe 'Test-IntuneVppToken' {
    BeforeEach {
        Set-TestTenant
    }

    It 'writes one record per token, with every reason a token can have, and a Critical record for a tenant it cannot read' {
        $records = @(Test-IntuneVppToken -Connection $Schools, $Retail, $Denied -ErrorVariable err)

        $err | Should -BeNullOrEmpty -Because 'a tenant that cannot be read is a record, not an error'
        $records.Count | Should -Be ($Cases.Count + 2)
        $records[0].GetType().FullName | Should -Be 'IntuneVpp.VppTokenHealth'
        $n = 0
        foreach ($case in $Cases) {
            $n++
            $record = $records | Where-Object TokenId -EQ (TokenId $n)
            $record | Should -Not -BeNullOrEmpty -Because "$($case.Name) has a record"
            $record.TenantId | Should -Be $Tenant.Schools
            $record.OrganizationName | Should -Be $case.Name
            $record.Location | Should -Be "Location $n"
            @($record.Reasons | ForEach-Object { [string]$_.Code }) | Should -Be $case.Codes -Because $case.Name
            [string]$record.Status | Should -Be $case.Status -Because $case.Name
        }
        ($records | Where-Object TokenId -EQ (TokenId 2)).DaysLeft | Should -Be 19 -Because 'a token 20 days out, minus the moments since, has 19 whole days left'
        ($records | Where-Object TokenId -EQ (TokenId 4)).DaysLeft | Should -Be -6 -Because 'whole days left are counted down, as Get-IntuneVppToken''s DaysUntilExpiration counts them: 5 days and a moment ago is -6'
        (($records | Where-Object TokenId -EQ (TokenId 5)).Reasons[0].Message) | Should -BeLike '*another MDM has claimed the token*'
        (($records | Where-Object TokenId -EQ (TokenId 11)).Reasons[0].Message) | Should -Be 'never synced with Apple'

        $retail = $records | Where-Object TenantId -EQ $Tenant.Retail
        ($retail.TokenId, [string]$retail.Status, $retail.Location) | Should -Be @((TokenId 100), 'Healthy', $null) -Because 'v1.0 has no location'

        $unreadable = @($records | Where-Object TenantId -EQ $Tenant.Unreadable)
        $unreadable.Count | Should -Be 1
        [string]$unreadable[0].Status | Should -Be 'Critical'
        $unreadable[0].TokenId | Should -BeNullOrEmpty
        [string]$unreadable[0].Reasons[0].Code | Should -Be 'TenantUnreadable'
        $unreadable[0].Reasons[0].Message | Should -BeLike '*could not be read*403*'

        # On the wire: one listing per tenant, each with its own tenant's token, and nothing else.
        $requests = @(Get-GraphEmulatorRequest -Emulator $emu)
        @($requests | ForEach-Object { '{0} {1} {2}' -f $_.method, $_.path, (Get-JwtPayload (Get-RequestBearer $_)).tid } | Sort-Object) | Should -Be @(
            "GET /beta/deviceAppManagement/vppTokens $($Tenant.Schools)"
            "GET /beta/deviceAppManagement/vppTokens $($Tenant.Unreadable)"
            "GET /v1.0/deviceAppManagement/vppTokens $($Tenant.Retail)"
        )
    }

    It 'answers -Quiet with one <Answer> for <Scenario>' -TestCases @(
        @{ Scenario = 'a tenant whose every token is healthy'; Connections = 'Retail'; Answer = $true }
        @{ Scenario = 'tenants one of which has tokens needing attention'; Connections = 'Retail', 'Schools'; Answer = $false }
        @{ Scenario = 'a healthy tenant beside one it cannot read'; Connections = 'Retail', 'Denied'; Answer = $false }
    ) {
        $use = @($Connections | ForEach-Object { $ConnectionOf[$_] })

        $said = @(Test-IntuneVppToken -Connection $use -Quiet)

        $said.Count | Should -Be 1
        $said[0] | Should -BeOfType [bool]
        $said[0] | Should -Be $Answer
    }

    It 'applies -WarningDays, -CriticalDays and -StaleSyncDays' {
        $records = @(Test-IntuneVppToken -Connection $Schools -WarningDays 300 -CriticalDays 25 -StaleSyncDays 60)

        @(($records | Where-Object TokenId -EQ (TokenId 1)).Reasons.Code) | Should -Be @('ExpiresWithinWarningDays')
        @(($records | Where-Object TokenId -EQ (TokenId 2)).Reasons.Code) | Should -Be @('ExpiresWithinCriticalDays')
        @(($records | Where-Object TokenId -EQ (TokenId 10)).Reasons.Code) | Should -Be @('ExpiresWithinWarningDays') -Because 'a sync 20 days ago is not stale within 60'
    }

    It 'refuses -CriticalDays longer than -WarningDays before anything is sent' {
        { Test-IntuneVppToken -Connection $Schools -WarningDays 5 -CriticalDays 10 -ErrorAction Stop } |
            Should -Throw -ErrorId 'CriticalDaysExceedWarningDays,IntuneVpp.Commands.Fleet.TestIntuneVppTokenCommand'
        Get-GraphEmulatorRequest -Emulator $emu | Should -BeNullOrEmpty
    }

    It 'checks only the tokens asked for by -Id or the pipeline, and says which it did not find' {
        $missing = 'b0000000-0000-4000-8000-999999999999'

        $byId = @(Test-IntuneVppToken (TokenId 3), $missing -Connection $Schools, $Retail)
        $piped = @(Get-IntuneVppToken -Connection $Retail | Test-IntuneVppToken -Connection $Schools, $Retail)

        @($byId.TokenId) | Should -Be @((TokenId 3), $missing)
        [string]$byId[1].Status | Should -Be 'Critical'
        [string]$byId[1].Reasons[0].Code | Should -Be 'TokenNotFound'
        $byId[1].Reasons[0].Message | Should -BeLike '*2 tenants*'
        @($piped.TokenId) | Should -Be @((TokenId 100))
    }

    It 'uses the current connection by default' {
        Connect-IntuneVpp -AccessToken (ConvertTo-SecureString (New-GraphEmulatorAccessToken $emu -TenantId $Tenant.Retail) -AsPlainText -Force) -GraphEndpoint $emu.Uri
        try { $records = @(Test-IntuneVppToken) } finally { Disconnect-IntuneVpp }

        @($records.TokenId) | Should -Be @((TokenId 100))
    }

    It 'shows a table with Status first and the reasons by code (the Full view, with the tenant)' {
        $table = (Test-IntuneVppToken -Connection $Schools | Format-Table -View Full | Out-String -Width 400) -split "`r?`n" | Where-Object { $_.Trim() }

        $table[0] -split '\s+' | Where-Object { $_ } | Should -Be @('Status', 'Days', 'Organization', 'Location', 'TenantId', 'Reasons')
        $table | Where-Object { $_ -like 'Critical*Everything*' } | Should -BeLike '*ExpiresWithinWarningDays, InvalidState, LastSyncFailed, SyncStale*'
        $table | Where-Object { $_ -like '*Healthy*' } | Should -BeLike 'Healthy *'
    }
}
