#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# What Connect-IntuneVpp says about its own inputs before it signs in: a -CertificatePath that is missing or a
# folder, and -EnvironmentVariable without the AZURE_* variables it signs in from. None of these reaches Entra ID or
# Graph (an -AuthorityHost of .invalid would fail loudly if anything tried).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module VppToken -Force

    $script:Tenant = '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f'
    $script:App = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'
    $script:Nowhere = 'https://login.nowhere.invalid'
    $script:AzureNames = @('AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PATH',
        'AZURE_CLIENT_CERTIFICATE_PASSWORD', 'AZURE_FEDERATED_TOKEN_FILE', 'AZURE_USERNAME', 'AZURE_PASSWORD', 'AZURE_AUTHORITY_HOST')
    $script:SavedAzure = @{}
    foreach ($name in $AzureNames) { $SavedAzure[$name] = [Environment]::GetEnvironmentVariable($name) }

    function script:Invoke-Connect([hashtable] $Splat) {
        $caught = $null
        try { Connect-IntuneVpp @Splat -ErrorVariable err -ErrorAction Stop } catch { $caught = $_ }
        Select-ErrorRecord $err $caught
    }
}

AfterAll {
    foreach ($name in $AzureNames) { [Environment]::SetEnvironmentVariable($name, $SavedAzure[$name]) }
    Disconnect-IntuneVpp -ErrorAction SilentlyContinue
}

Describe 'Connect-IntuneVpp -CertificatePath' {
    It 'says the file is missing, not an OpenSSL code' {
        $path = Join-Path $TestDrive 'no-such-app.pfx'

        $records = Invoke-Connect @{ TenantId = $Tenant; ClientId = $App; CertificatePath = $path; AuthorityHost = $Nowhere }

        $records.Count | Should -Be 1
        $records[0].FullyQualifiedErrorId | Should -BeLike 'CertificateFileNotFound,*'
        $records[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $records[0].ToString() | Should -BeExactly "The certificate file '$path' does not exist."
    }

    It 'says a folder is a folder' {
        $records = Invoke-Connect @{ TenantId = $Tenant; ClientId = $App; CertificatePath = $TestDrive; AuthorityHost = $Nowhere }

        $records.Count | Should -Be 1
        $records[0].FullyQualifiedErrorId | Should -BeLike 'CertificateFileIsFolder,*'
        $records[0].ToString() | Should -BeLike "*is a folder*"
    }
}

Describe 'Connect-IntuneVpp -EnvironmentVariable' {
    BeforeEach {
        foreach ($name in $AzureNames) { [Environment]::SetEnvironmentVariable($name, $null) }
    }

    It 'names the AZURE_* variables it looks for when none is set' {
        $records = Invoke-Connect @{ EnvironmentVariable = $true; AuthorityHost = $Nowhere }

        $records.Count | Should -Be 1
        $records[0].FullyQualifiedErrorId | Should -BeLike 'EnvironmentVariableMissing,*'
        $records[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        foreach ($name in 'AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PATH', 'AZURE_FEDERATED_TOKEN_FILE') {
            $records[0].ToString() | Should -BeLike "*$name*"
        }
    }

    It 'names what is missing besides <Scenario>' -TestCases @(
        @{ Scenario = 'a tenant and an app'; Set = @{ AZURE_TENANT_ID = 'contoso.onmicrosoft.com'; AZURE_CLIENT_ID = '1b2c' }; Missing = @('AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PATH', 'AZURE_FEDERATED_TOKEN_FILE'); NotMissing = @('AZURE_TENANT_ID', 'AZURE_CLIENT_ID') }
        @{ Scenario = 'a secret alone'; Set = @{ AZURE_CLIENT_SECRET = 'pester-secret-value' }; Missing = @('AZURE_TENANT_ID', 'AZURE_CLIENT_ID'); NotMissing = @() }
        @{ Scenario = 'a federated token file and an app'; Set = @{ AZURE_FEDERATED_TOKEN_FILE = '/var/run/token'; AZURE_CLIENT_ID = '1b2c' }; Missing = @('AZURE_TENANT_ID'); NotMissing = @('AZURE_CLIENT_SECRET') }
    ) {
        foreach ($name in $Set.Keys) { [Environment]::SetEnvironmentVariable($name, $Set[$name]) }

        $records = Invoke-Connect @{ EnvironmentVariable = $true; AuthorityHost = $Nowhere }

        $records.Count | Should -Be 1
        $records[0].FullyQualifiedErrorId | Should -BeLike 'EnvironmentVariableMissing,*'
        $message = $records[0].ToString()
        $needs = ($message -split ' as well as ')[0]
        foreach ($name in $Missing) { $needs | Should -BeLike "*$name*" }
        foreach ($name in $NotMissing) { $needs | Should -Not -BeLike "*$name*" }
        $message | Should -Not -BeLike '*pester-secret-value*' -Because 'a variable''s value, a secret perhaps, is never quoted'
    }
}
