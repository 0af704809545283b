#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# The module's one table of writable vppToken properties (VppTokenChanges.Writable) against the emulator, which checks
# bodies as Graph's OData layer does: a wrong JSON name is refused as an unknown property, a beta-only property on
# v1.0 too. Each row is sent alone through Set-IntuneVppToken, so each row's JSON name and beta flag is on the wire.

BeforeDiscovery {
    # Discovery runs before the module is imported by the tests; the table's names are fixed here and checked below.
    $script:Rows = @(
        @{ Name = 'OrganizationName'; Value = 'Contoso Renamed' }
        @{ Name = 'VppTokenAccountType'; Value = 'education' }
        @{ Name = 'AppleId'; Value = 'renamed@contoso.com' }
        @{ Name = 'ExpirationDateTime'; Value = [DateTimeOffset]'2027-06-30T12:00:00+02:00' }
        @{ Name = 'LastSyncDateTime'; Value = [DateTimeOffset]'2026-11-30T08:00:00Z' }
        @{ Name = 'State'; Value = 'valid' }
        @{ Name = 'LastSyncStatus'; Value = 'completed' }
        @{ Name = 'AutomaticallyUpdateApps'; Value = $false }
        @{ Name = 'CountryOrRegion'; Value = 'fr' }
        @{ Name = 'DisplayName'; Value = 'Paris campus' }
        @{ Name = 'DataSharingConsentGranted'; Value = $false }
        @{ Name = 'ClaimTokenManagementFromExternalMdm'; Value = $false }
        @{ Name = 'RoleScopeTagIds'; Value = [string[]]@('0', '7') }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:emu = Start-VppTokenTest
    $secure = ConvertTo-SecureString $TestAccessTokenText -AsPlainText -Force
    $script:V1 = Connect-IntuneVpp -AccessToken $secure -GraphEndpoint $emu.Uri -PassThru
    $script:Beta = Connect-IntuneVpp -AccessToken $secure -GraphEndpoint $emu.Uri -ApiVersion beta -PassThru
    # The client assembly loads in the module's own load context on PowerShell 7, where a type name does not reach it.
    $changesType = (Get-Command Set-IntuneVppToken).ImplementingType.Assembly.GetType('IntuneVpp.Commands.Tokens.TokenSettings').GetMethod('ToChanges').ReturnType
    $script:Table = $changesType.GetField('Writable').GetValue($null)
}

AfterAll {
    Stop-VppTokenTest
}

Describe 'The table of writable properties' {
    It 'lists every settable parameter of Set-IntuneVppToken, and the token, once' {
        $names = @($Table.Name)
        @($names | Sort-Object -Unique).Count | Should -Be $names.Count
        @($names | Where-Object { $_ -ne 'Token' } | Sort-Object) | Should -Be @($Rows.Name | Sort-Object)
        $names | Should -Contain 'Token'
        @($Table | Where-Object IsSecret).Name | Should -Be @('Token')
    }
}

Describe '-<Name> on the wire' -ForEach $Rows {
    BeforeAll {
        $script:Row = $Table | Where-Object Name -EQ $Name
        $script:Splat = @{ $Name = $Value }
    }

    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
        Clear-GraphEmulatorRequest -Emulator $emu
    }

    It 'reaches beta as its JSON name alone, and the emulator takes it' {
        Set-IntuneVppToken -Id $SeedTokenId.Contoso @Splat -Connection $Beta -Confirm:$false -ErrorVariable err

        $err | Should -BeNullOrEmpty
        $patch = @(Get-GraphEmulatorRequest -Emulator $emu | Where-Object method -EQ 'PATCH')
        $patch.Count | Should -Be 1
        $body = $patch[0].body | ConvertFrom-Json -AsHashtable
        @($body.Keys | Where-Object { $_ -ne '@odata.type' }) | Should -Be @($Row.JsonName)
        if ($Value -is [bool]) { $body[$Row.JsonName] | Should -BeExactly $Value -Because '$false is a value to send, not a missing one' }
    }

    It 'is sent on v1.0 exactly when it is not beta-only' {
        $caught = $null
        try { Set-IntuneVppToken -Id $SeedTokenId.Contoso @Splat -Connection $V1 -Confirm:$false -ErrorAction Stop }
        catch { $caught = $_ }

        $patches = @(Get-GraphEmulatorRequest -Emulator $emu | Where-Object method -EQ 'PATCH')
        if ($Row.IsBeta) {
            $patches.Count | Should -Be 0
            $caught.FullyQualifiedErrorId | Should -BeLike 'BetaRequired,*'
            $caught.Exception.Message | Should -BeLike "*-$Name*"
        }
        else {
            $caught | Should -BeNullOrEmpty -Because 'the emulator refuses a property v1.0 does not have'
            $patches.Count | Should -Be 1
        }
    }
}
