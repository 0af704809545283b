#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# The default tables of the fleet cmdlets fit an 80-column console (a runbook's output pane, a default terminal):
# the health verdict with Status first, the renewal plan with its outcome first, and -View Full with the tenant.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:emu = Start-VppTokenTest -Connect -ApiVersion beta -Helper TokenFiles
    $script:Health = @(Test-IntuneVppToken)
    $folder = Join-Path $TestDrive 'apple'
    $null = New-TestTokenFile -Kind Valid -Directory $folder -Name 'sToken_for_Contoso_HQ.vpptoken'
    $null = New-TestTokenFile -Kind Valid -OrganizationName 'Nobody Inc' -Directory $folder -Name 'nobody.vpptoken'
    $script:Plan = @(Update-IntuneVppToken -Path (Join-Path $folder '*.vpptoken') -WhatIf -ErrorAction SilentlyContinue 6>$null)

    function script:Read-Lines([object[]] $Objects, [string] $View) {
        $format = if ($View) { @{ View = $View } } else { @{} }
        @(($Objects | Format-Table @format | Out-String -Width 80) -split "`r?`n" | Where-Object { $_.Trim() })
    }
}

AfterAll {
    Stop-VppTokenTest
}

Describe 'Fleet tables at 80 columns' {
    It 'shows health as Status, Days, Token, Location, Reasons, in that order, within 80 columns' {
        $Health.Count | Should -BeGreaterThan 2
        $lines = Read-Lines $Health
        $lines[0] -split '\s+' | Should -Be @('Status', 'Days', 'Token', 'Location', 'Reasons')
        @($lines | Where-Object { $_.Length -gt 80 }) | Should -BeNullOrEmpty
        $lines | Should -Contain ($lines | Where-Object { $_ -match '^Critical\s+-?\d+\s+c3d4e5f6\s+Contoso Retail\s+Expired' })
    }

    It 'shows the renewal plan as Outcome, File, Token, Location, Expiration, one line a file, within 80 columns' {
        $Plan.Count | Should -Be 2
        $lines = Read-Lines $Plan
        $lines[0] -split '\s+' | Should -Be @('Outcome', 'File', 'Token', 'Location', 'Expiration')
        @($lines | Where-Object { $_.Length -gt 80 }) | Should -BeNullOrEmpty
        $lines.Count | Should -Be 4 -Because 'a header, its underline and one line for each of the two files'
        $lines | Where-Object { $_ -like 'WouldRenew*' } | Should -Match '^WouldRenew\s+sToken_for_Contoso_HQ\s+0f5d8d4b\s+Contoso HQ\s+\d{4}-\d\d-\d\d -> \d{4}-\d\d-\d\d$'
    }

    It 'has a Full view of each with the tenant and whole ids' {
        (Read-Lines $Plan -View Full)[0] | Should -Match 'TenantId\s+TokenId'
        (Read-Lines $Health -View Full)[0] | Should -Match 'TenantId'
    }
}
