#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# The exception inside each error record is part of the contract, as its ErrorId and category are: a script's
# `catch [System.ArgumentException]` or `catch [System.Management.Automation.ItemNotFoundException]` must mean the
# same as the category it sees. Each case is a real call that fails before anything is sent.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GraphEmulator.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TokenFiles.psm1') -Force
    Import-Module VppToken -Force

    $script:emu = Start-GraphEmulator
    $script:AccessToken = ConvertTo-SecureString 'pester-token' -AsPlainText -Force
    $script:V1 = Connect-IntuneVpp -AccessToken $AccessToken -GraphEndpoint $emu.Uri -MaxRetries 0 -PassThru
    $script:Tenant = '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f'
    $script:App = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'
    $script:Nowhere = 'https://login.nowhere.invalid'

    # The one error record of a call, terminating or not.
    function script:Get-OnlyError([scriptblock] $Command) {
        $caught = $null
        try { . $Command } catch { $caught = $_ }
        $errors = Select-ErrorRecord $err $caught
        $errors.Count | Should -Be 1
        $errors[0]
    }
}

AfterAll {
    Disconnect-IntuneVpp -ErrorAction SilentlyContinue
    Stop-GraphEmulator -Emulator $emu
}

Describe 'The exception of each error category' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
    }

    It '<ErrorId> (<Category>) carries a <Exception>' -TestCases @(
        @{ ErrorId = 'CertificateNotFound'; Category = 'ObjectNotFound'; Exception = 'System.Management.Automation.ItemNotFoundException'
            Command = { Connect-IntuneVpp -TenantId $Tenant -ClientId $App -CertificateThumbprint ('AB' * 20) -AuthorityHost $Nowhere -ErrorVariable err -ErrorAction Stop } }
        @{ ErrorId = 'CertificateFileNotFound'; Category = 'ObjectNotFound'; Exception = 'System.Management.Automation.ItemNotFoundException'
            Command = { Connect-IntuneVpp -TenantId $Tenant -ClientId $App -CertificatePath (Join-Path $TestDrive 'none.pfx') -AuthorityHost $Nowhere -ErrorVariable err -ErrorAction Stop } }
        @{ ErrorId = 'CertificateFileIsFolder'; Category = 'InvalidArgument'; Exception = 'System.ArgumentException'
            Command = { Connect-IntuneVpp -TenantId $Tenant -ClientId $App -CertificatePath $TestDrive -AuthorityHost $Nowhere -ErrorVariable err -ErrorAction Stop } }
        @{ ErrorId = 'CertificateUnreadable'; Category = 'ReadError'; Exception = 'System.IO.IOException'
            Command = {
                $notPfx = Join-Path $TestDrive 'not.pfx'
                Set-Content -LiteralPath $notPfx -Value 'not a certificate'
                Connect-IntuneVpp -TenantId $Tenant -ClientId $App -CertificatePath $notPfx -AuthorityHost $Nowhere -ErrorVariable err -ErrorAction Stop
            } }
        @{ ErrorId = 'InvalidGraphEndpoint'; Category = 'InvalidArgument'; Exception = 'System.ArgumentException'
            Command = { Connect-IntuneVpp -AccessToken $AccessToken -GraphEndpoint 'http://graph.example.com' -ErrorVariable err -ErrorAction Stop } }
        @{ ErrorId = 'AccessTokenExpired'; Category = 'AuthenticationError'; Exception = 'System.Security.Authentication.AuthenticationException'
            Command = {
                $expired = New-GraphEmulatorAccessToken -Emulator $emu -TenantId $DefaultTenantId -LifetimeSeconds -600
                Connect-IntuneVpp -AccessToken (ConvertTo-SecureString $expired -AsPlainText -Force) -GraphEndpoint $emu.Uri -ErrorVariable err -ErrorAction Stop
            } }
        @{ ErrorId = 'BetaRequired'; Category = 'InvalidOperation'; Exception = 'System.InvalidOperationException'
            Command = { Get-IntuneVppTokenLicense -BundleId 'com.contoso.app' -Connection $V1 -ErrorVariable err -ErrorAction SilentlyContinue } }
        @{ ErrorId = 'TokenFileNotFound'; Category = 'ObjectNotFound'; Exception = 'System.Management.Automation.ItemNotFoundException'
            Command = { Read-IntuneVppTokenFile -Path (Join-Path $TestDrive 'none.vpptoken') -ErrorVariable err -ErrorAction SilentlyContinue } }
        @{ ErrorId = 'TokenFileNotOnFileSystem'; Category = 'InvalidArgument'; Exception = 'System.ArgumentException'
            Command = { Read-IntuneVppTokenFile -Path 'Env:\PATH' -ErrorVariable err -ErrorAction SilentlyContinue } }
        @{ ErrorId = 'TokenFileExpired'; Category = 'InvalidArgument'; Exception = 'System.ArgumentException'
            Command = { New-IntuneVppToken -TokenFile (New-TestTokenFile -Kind Expired).Path -Connection $V1 -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue } }
        @{ ErrorId = 'ConflictingParameters'; Category = 'InvalidArgument'; Exception = 'System.ArgumentException'
            Command = { Set-IntuneVppToken -Id $SeedTokenId.Contoso -Token $AccessToken -TokenFile (New-TestTokenFile -Kind Valid).Path -Connection $V1 -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue } }
    ) {
        $record = Get-OnlyError $Command

        $record.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $record.CategoryInfo.Category | Should -Be $Category
        $record.Exception.GetType().FullName | Should -Be $Exception
        $record.Exception.Message | Should -Not -BeNullOrEmpty
        @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0 -Because 'each of these is refused before anything is sent'
    }

    It 'NotConnected (AuthenticationError) carries an AuthenticationException' {
        Disconnect-IntuneVpp
        try {
            $record = Get-OnlyError { Get-IntuneVppToken -ErrorVariable err -ErrorAction Stop }
        }
        finally {
            Connect-IntuneVpp -AccessToken $AccessToken -GraphEndpoint $emu.Uri -MaxRetries 0
        }

        $record.FullyQualifiedErrorId | Should -BeLike 'NotConnected,*'
        $record.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $record.Exception.GetType().FullName | Should -Be 'System.Security.Authentication.AuthenticationException'
    }
}
