#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Get-IntuneVppTokenLicense (getLicensesForApp) and Revoke-IntuneVppTokenLicense (revokeLicenses): beta-only actions,
# refused on v1.0 before anything is sent, and checked on the wire on beta.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:emu = Start-VppTokenTest
    $script:AccessToken = ConvertTo-SecureString $TestAccessTokenText -AsPlainText -Force
    $script:Beta = Connect-IntuneVpp -AccessToken $AccessToken -GraphEndpoint $emu.Uri -ApiVersion beta -PassThru
    $script:V1 = Connect-IntuneVpp -AccessToken $AccessToken -GraphEndpoint $emu.Uri -PassThru # the current connection is v1.0
    $script:BetaPrefix = '/beta/deviceAppManagement/vppTokens/'
}

AfterAll {
    Stop-VppTokenTest
}

Describe 'Beta-only license cmdlets on a v1.0 connection' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
    }

    It 'stops <Scenario> with BetaRequired and sends nothing' -TestCases @(
        @{ Scenario = 'Get-IntuneVppTokenLicense'; Command = { Get-IntuneVppTokenLicense -BundleId 'com.contoso.app' -Connection $V1 -ErrorVariable err -ErrorAction SilentlyContinue } }
        @{ Scenario = 'Revoke-IntuneVppTokenLicense -Force'; Command = { Revoke-IntuneVppTokenLicense -Id $SeedTokenId.Contoso -Force -Connection $V1 -ErrorVariable err -ErrorAction SilentlyContinue } }
        @{ Scenario = 'Revoke-IntuneVppTokenLicense for piped ids'; Command = { $SeedTokenId.Contoso, $SeedTokenId.Labs | Revoke-IntuneVppTokenLicense -Force -Connection $V1 -ErrorVariable err -ErrorAction SilentlyContinue } }
    ) {
        $caught = $null
        try { . $Command } catch { $caught = $_ }

        $errors = Select-ErrorRecord $err $caught
        @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
        $caught | Should -Not -BeNullOrEmpty -Because 'an unusable invocation stops the whole pipeline'
        $errors.Count | Should -Be 1
        $errors[0].ToString() | Should -BeLike '*-ApiVersion beta*'
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'BetaRequired,*'
    }
}

Describe 'Get-IntuneVppTokenLicense' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
    }

    It 'sends getLicensesForApp with the bundle id <Scenario>' -TestCases @(
        @{ Scenario = 'as is'; BundleId = 'com.microsoft.Office.Word'; Raw = "getLicensesForApp(bundleId=%27com.microsoft.Office.Word%27)" }
        @{ Scenario = 'with its quote doubled and percent-encoded'; BundleId = "com.o'x"; Raw = "getLicensesForApp(bundleId=%27com.o%27%27x%27)" }
        @{ Scenario = 'with space, #, ? and / percent-encoded'; BundleId = 'com.a b#c?d/e'; Raw = "getLicensesForApp(bundleId=%27com.a%20b%23c%3Fd%2Fe%27)" }
    ) {
        $summaries = @(Get-IntuneVppTokenLicense -BundleId $BundleId -Connection $Beta -ErrorVariable err)

        $err | Should -BeNullOrEmpty
        $requests = @(Get-GraphEmulatorRequest -Emulator $emu)
        $requests.Count | Should -Be 1
        $requests[0].method | Should -Be 'GET'
        $requests[0].path | Should -BeExactly "$BetaPrefix$Raw"
        [uri]::UnescapeDataString($requests[0].path) | Should -BeExactly "$($BetaPrefix)getLicensesForApp(bundleId='$($BundleId.Replace("'", "''"))')"

        $stored = @(Get-StoredVppToken -Emulator $emu)
        $summaries.Count | Should -Be $stored.Count -Because 'Graph answers one summary per token'
        @($summaries.VppTokenId | Sort-Object) | Should -Be @($stored.id | Sort-Object)
        $summaries[0].PSObject.TypeNames | Should -Contain 'IntuneVpp.VppTokenLicenseSummary'
        @($summaries.BundleId | Sort-Object -Unique) | Should -Be @($BundleId)
        $contoso = $summaries | Where-Object VppTokenId -EQ $SeedTokenId.Contoso
        $contoso.OrganizationName | Should -BeExactly 'Contoso Ltd.'
        $contoso.AppleId | Should -BeExactly 'vpp-admin@contoso.com'
        $contoso.AvailableLicenseCount | Should -BeOfType [int]
        $contoso.UsedLicenseCount | Should -BeOfType [int]
    }

    It 'sends one request per piped bundle id' {
        $ids = 'com.contoso.one', 'com.contoso.two'

        $summaries = @($ids | Get-IntuneVppTokenLicense -Connection $Beta)

        @((Get-GraphEmulatorRequest -Emulator $emu).path) | Should -Be @($ids | ForEach-Object { "$($BetaPrefix)getLicensesForApp(bundleId=%27$_%27)" })
        @($summaries.BundleId | Sort-Object -Unique) | Should -Be @($ids)
    }
}

Describe 'Revoke-IntuneVppTokenLicense' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
    }

    It 'declares ConfirmImpact High' {
        $metadata = [System.Management.Automation.CommandMetadata]::new((Get-Command Revoke-IntuneVppTokenLicense))
        $metadata.SupportsShouldProcess | Should -BeTrue
        $metadata.ConfirmImpact | Should -Be ([System.Management.Automation.ConfirmImpact]::High)
    }

    It 'POSTs revokeLicenses with both booleans as JSON booleans for <Scenario>' -TestCases @(
        @{ Scenario = 'no switches given (both false)'; Splat = @{}; Notify = 'False'; Untracked = 'False' }
        @{ Scenario = '-NotifyManagedDevices $true -RevokeUntrackedLicenses $false'; Splat = @{ NotifyManagedDevices = $true; RevokeUntrackedLicenses = $false }; Notify = 'True'; Untracked = 'False' }
        @{ Scenario = '-NotifyManagedDevices $false -RevokeUntrackedLicenses $true'; Splat = @{ NotifyManagedDevices = $false; RevokeUntrackedLicenses = $true }; Notify = 'False'; Untracked = 'True' }
        @{ Scenario = 'both $true'; Splat = @{ NotifyManagedDevices = $true; RevokeUntrackedLicenses = $true }; Notify = 'True'; Untracked = 'True' }
    ) {
        $output = Revoke-IntuneVppTokenLicense -Id $SeedTokenId.Fabrikam @Splat -Force -Connection $Beta -ErrorVariable err

        $err | Should -BeNullOrEmpty
        $output | Should -BeNullOrEmpty
        $requests = @(Get-GraphEmulatorRequest -Emulator $emu)
        @($requests.method) | Should -Be @('POST')
        $requests[0].path | Should -BeExactly "$BetaPrefix$($SeedTokenId.Fabrikam)/revokeLicenses"
        @(Format-WireJson -Json $requests[0].body | Sort-Object) | Should -Be @(
            "notifyManagedDevices $Notify $($Notify.ToLowerInvariant())"
            "revokeUntrackedLicenses $Untracked $($Untracked.ToLowerInvariant())"
        )
    }

    It 'revokes nothing with <Scenario>' -TestCases @(
        @{ Scenario = '-WhatIf'; Splat = @{ WhatIf = $true } }
        @{ Scenario = '-Force -WhatIf'; Splat = @{ Force = $true; WhatIf = $true } }
    ) {
        $run = Invoke-WithWhatIf -TranscriptPath (Join-Path $TestDrive 'whatif.txt') -ScriptBlock {
            Revoke-IntuneVppTokenLicense -Id $SeedTokenId.Fabrikam -NotifyManagedDevices $true @Splat -Connection $Beta
        }

        $run.Errors | Should -BeNullOrEmpty -Because 'a cmdlet that failed before sending would also send nothing'
        $run.WhatIf.Count | Should -Be 1
        $run.WhatIf[0] | Should -BeLike "*Revoke licenses*NotifyManagedDevices = True*$($SeedTokenId.Fabrikam)*"
        @(Get-GraphEmulatorRequest -Emulator $emu | Where-Object method -NE 'GET').Count | Should -Be 0
    }

    It 'revokes for each token piped from Get-IntuneVppToken, and goes on after an unknown id' {
        $tokens = @(Get-IntuneVppToken -Connection $Beta)
        Clear-GraphEmulatorRequest -Emulator $emu
        $unknown = '11111111-2222-4333-8444-555555555555'

        @($tokens[0].Id, $unknown) + @($tokens | Select-Object -Skip 1) |
            Revoke-IntuneVppTokenLicense -RevokeUntrackedLicenses $true -Force -Connection $Beta -ErrorVariable err -ErrorAction SilentlyContinue

        @($err).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'GraphNotFound,*'
        $err[0].TargetObject | Should -Be $unknown
        $posts = @(Get-GraphEmulatorRequest -Emulator $emu -Method POST)
        @($posts.path) | Should -Be @(@($tokens[0].Id, $unknown) + @($tokens | Select-Object -Skip 1 | ForEach-Object Id) | ForEach-Object { "$BetaPrefix$_/revokeLicenses" })
    }
}
