#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# A parameter that does nothing in the combination given is refused before anything is sent, or, where a reasonable
# script could give it on purpose, warned about; never silently ignored.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GraphEmulator.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module VppToken -Force

    $script:emu = Start-GraphEmulator
    $script:Secure = { ConvertTo-SecureString 'pester-token' -AsPlainText -Force }
    Connect-IntuneVpp -AccessToken (& $Secure) -GraphEndpoint $emu.Uri
    $script:ItemPrefix = '/v1.0/deviceAppManagement/vppTokens/'

    # Runs $Command as at a prompt; returns its error records (terminating or not) and warnings.
    function script:Invoke-Checked([scriptblock] $Command) {
        $ErrorActionPreference = 'Continue'
        $caught = $null
        $records = @()
        try { $records = @(& $Command 2>&1 3>&1) } catch { $caught = $_ }
        [pscustomobject]@{
            Errors   = Select-ErrorRecord @($records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) $caught
            Warnings = @($records | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object Message)
        }
    }

    # Should -Identity ever get as far as signing in, it must reach the emulator, never the instance metadata address.
    $script:AzureNames = @('AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_FEDERATED_TOKEN_FILE', 'IDENTITY_ENDPOINT', 'IDENTITY_HEADER')
    $script:SavedAzure = @{}
    foreach ($name in $AzureNames) { $SavedAzure[$name] = [Environment]::GetEnvironmentVariable($name) }
    $env:IDENTITY_ENDPOINT = [uri]::new($emu.Uri, '/msi/token').AbsoluteUri
    $env:IDENTITY_HEADER = 'emulator-identity-header'
}

AfterAll {
    foreach ($name in $AzureNames) { [Environment]::SetEnvironmentVariable($name, $SavedAzure[$name]) }
    Disconnect-IntuneVpp -ErrorAction SilentlyContinue
    Stop-GraphEmulator -Emulator $emu
}

Describe 'Sync-IntuneVppToken -Timeout and -PollInterval' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
    }

    It 'refuses -<Parameter> without -Wait, before any sync is started' -TestCases @(
        @{ Parameter = 'Timeout' }
        @{ Parameter = 'PollInterval' }
    ) {
        $splat = @{ Id = $SeedTokenId.Contoso; $Parameter = '00:01:00' }

        $run = Invoke-Checked { Sync-IntuneVppToken @splat }

        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ParameterHasNoEffect,*'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $run.Errors[0].ToString() | Should -BeLike "-$Parameter has no effect without -Wait*"
        @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
    }

    It 'warns, and starts the sync, when -Wait is given as $false' {
        $wait = $false

        $run = Invoke-Checked { Sync-IntuneVppToken -Id $SeedTokenId.Contoso -Wait:$wait -Timeout '00:01:00' }

        $run.Errors | Should -BeNullOrEmpty
        $run.Warnings | Should -BeLike '-Timeout has no effect without -Wait*'
        @((Get-GraphEmulatorRequest -Emulator $emu -Method POST).path) | Should -Be @("$ItemPrefix$($SeedTokenId.Contoso)/syncLicenses")
    }
}

Describe 'Set-IntuneVppToken -Force' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
    }

    It 'warns without -TokenFile, saying it does not skip confirmation, and still sends' {
        $run = Invoke-Checked { Set-IntuneVppToken -Id $SeedTokenId.Contoso -CountryOrRegion gb -Force }

        $run.Errors | Should -BeNullOrEmpty
        $run.Warnings.Count | Should -Be 1
        $run.Warnings[0] | Should -BeLike '-Force has no effect without -TokenFile*-Confirm:$false*'
        @(Get-GraphEmulatorRequest -Emulator $emu -Method PATCH).Count | Should -Be 1
    }

    It 'says nothing with -TokenFile' {
        Import-Module (Join-Path $PSScriptRoot 'TokenFiles.psm1') -Force
        $file = New-TestTokenFile -Kind WrongOrganization

        $run = Invoke-Checked { Set-IntuneVppToken -Id $SeedTokenId.Contoso -TokenFile $file.Path -Force }

        $run.Warnings | Should -BeNullOrEmpty
        $run.Errors | Should -BeNullOrEmpty
        @(Get-GraphEmulatorRequest -Emulator $emu -Method PATCH).Count | Should -Be 1
    }
}

Describe 'Connect-IntuneVpp' {
    BeforeEach {
        Clear-GraphEmulatorRequest -Emulator $emu
    }

    AfterAll {
        Connect-IntuneVpp -AccessToken (& $Secure) -GraphEndpoint $emu.Uri
    }

    It 'refuses <Scenario>, before anything is sent' -TestCases @(
        @{ Scenario = '-AuthorityHost with -Identity'; Parameter = 'AuthorityHost'; Splat = { @{ Identity = $true; AuthorityHost = 'https://login.nowhere.invalid' } } }
        @{ Scenario = '-AuthorityHost with -AccessToken'; Parameter = 'AuthorityHost'; Splat = { @{ AccessToken = (& $Secure); GraphEndpoint = $emu.Uri; AuthorityHost = 'https://login.nowhere.invalid' } } }
        @{ Scenario = '-AuthorityHost with -MgGraphSession'; Parameter = 'AuthorityHost'; Splat = { @{ MgGraphSession = $true; AuthorityHost = 'https://login.nowhere.invalid' } } }
        @{ Scenario = '-GraphEndpoint with -MgGraphSession'; Parameter = 'GraphEndpoint'; Splat = { @{ MgGraphSession = $true; GraphEndpoint = $emu.Uri } } }
    ) {
        $splat = & $Splat

        $run = Invoke-Checked { Connect-IntuneVpp @splat }

        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ParameterHasNoEffect,*'
        $run.Errors[0].ToString() | Should -BeLike "-$Parameter has no effect with -*"
        @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
    }

    It 'warns about <Scenario>, and connects' -TestCases @(
        @{ Scenario = '-WriteWindow with -WriteLimit 0'; Parameter = 'WriteWindow'; Splat = @{ WriteLimit = 0; WriteWindow = '00:00:30' } }
        @{ Scenario = '-MaxRetryWait with -MaxRetries 0'; Parameter = 'MaxRetryWait'; Splat = @{ MaxRetries = 0; MaxRetryWait = '00:01:00' } }
    ) {
        $run = Invoke-Checked { Connect-IntuneVpp -AccessToken (& $Secure) -GraphEndpoint $emu.Uri @Splat }

        $run.Errors | Should -BeNullOrEmpty
        $run.Warnings | Should -BeLike "-$Parameter has no effect with*"
        (Get-IntuneVppContext).GraphEndpoint | Should -Be $emu.Uri
    }

    It 'refuses -TenantId with -EnvironmentVariable when AZURE_TENANT_ID names another tenant' {
        [Environment]::SetEnvironmentVariable('AZURE_TENANT_ID', 'fabrikam.onmicrosoft.com')
        [Environment]::SetEnvironmentVariable('AZURE_CLIENT_ID', '1b2c3d4e-0000-4000-8000-000000000001')
        [Environment]::SetEnvironmentVariable('AZURE_CLIENT_SECRET', 'pester-environment-secret')
        [Environment]::SetEnvironmentVariable('AZURE_FEDERATED_TOKEN_FILE', $null)
        try {
            $run = Invoke-Checked { Connect-IntuneVpp -EnvironmentVariable -TenantId contoso.onmicrosoft.com -AuthorityHost 'https://login.nowhere.invalid' }
        }
        finally {
            foreach ($name in 'AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_FEDERATED_TOKEN_FILE') {
                [Environment]::SetEnvironmentVariable($name, $SavedAzure[$name])
            }
        }

        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ParameterHasNoEffect,*'
        $run.Errors[0].ToString() | Should -BeLike '*-TenantId has no effect with -EnvironmentVariable*fabrikam.onmicrosoft.com*'
        $run.Errors[0].ToString() | Should -Not -BeLike '*pester-environment-secret*'
    }
}
