#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# One connection per tenant: connection objects for -Connection, a default connection per runspace (so
# ForEach-Object -Parallel runspaces never overwrite each other's tenant), what Get-IntuneVppContext shows and hides,
# Disconnect-IntuneVpp, and the clouds' Graph endpoints. Every check of "which tenant" is made on the wire: the
# bearer token each request carried, as the emulator logged it.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Emulator = Start-VppTokenTest -Helper SignInHelpers
    $script:GraphUri = $Emulator.Uri.AbsoluteUri
    $script:ClientId = '3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a'

    # 50 tenants, each holding one token named after it; ids are stable so a failure names the same tenant twice.
    $script:Tenants = foreach ($n in 1..50) {
        $tenantId = '7e57{0:d4}-0000-4000-8000-{0:d12}' -f $n
        Set-GraphEmulatorTenant $Emulator -TenantId $tenantId -VppToken @(@{ organizationName = "Tenant $n"; expirationDateTime = '+30d' })
        [pscustomobject]@{
            TenantId     = $tenantId
            Organization = "Tenant $n"
            Token        = New-GraphEmulatorAccessToken $Emulator -TenantId $tenantId -ClientId $ClientId
        }
    }

    function ConvertTo-SecureToken([string] $Token) { ConvertTo-SecureString $Token -AsPlainText -Force }

    function Get-VppTokenRequest { @(Get-GraphEmulatorRequest $Emulator -Method GET -Path '/v1.0/deviceAppManagement/vppTokens*') }
}

AfterAll {
    Stop-VppTokenTest
    Remove-Module VppToken -Force -ErrorAction SilentlyContinue
}

Describe 'Connection objects (-PassThru and -Connection)' {
    BeforeEach {
        Clear-GraphEmulatorRequest $Emulator
    }

    AfterEach {
        Disconnect-IntuneVpp -ErrorAction SilentlyContinue
    }

    It 'writes the connection only with -PassThru' {
        $quiet = Connect-IntuneVpp -AccessToken (ConvertTo-SecureToken $Tenants[0].Token) -GraphEndpoint $GraphUri
        $connection = Connect-IntuneVpp -AccessToken (ConvertTo-SecureToken $Tenants[0].Token) -GraphEndpoint $GraphUri -PassThru

        $quiet | Should -BeNullOrEmpty
        @($connection).Count | Should -Be 1
        $connection.GetType().FullName | Should -Be 'IntuneVpp.Connections.IntuneVppConnection'
        $connection.TenantId | Should -Be $Tenants[0].TenantId
        $connection.ClientId | Should -Be $ClientId
        $connection.SignInKind | Should -Be 'AccessToken'
        (Get-IntuneVppContext).Id | Should -Be $connection.Id -Because 'the last connect becomes the session''s current connection'
    }

    It 'keeps two tenants apart in one session: each -Connection sees its own tokens and sends its own token' {
        $first, $second = $Tenants[0], $Tenants[1]
        $a = Connect-IntuneVpp -AccessToken (ConvertTo-SecureToken $first.Token) -GraphEndpoint $GraphUri -PassThru
        $b = Connect-IntuneVpp -AccessToken (ConvertTo-SecureToken $second.Token) -GraphEndpoint $GraphUri -PassThru

        $fromA = @(Get-IntuneVppToken -Connection $a)
        $fromB = @(Get-IntuneVppToken -Connection $b)

        $fromA.OrganizationName | Should -Be @($first.Organization)
        $fromB.OrganizationName | Should -Be @($second.Organization)
        (Get-VppTokenRequest | Get-RequestBearer) | Should -Be @($first.Token, $second.Token)
    }

    It 'serves 50 tenants from 50 parallel runspaces, each with its own -Connection' {
        $connections = foreach ($tenant in $Tenants) {
            Connect-IntuneVpp -AccessToken (ConvertTo-SecureToken $tenant.Token) -GraphEndpoint $GraphUri -PassThru
        }
        $connections.Count | Should -Be 50

        $results = $connections | ForEach-Object -Parallel {
            Import-Module VppToken
            [pscustomobject]@{ TenantId = $_.TenantId; Organizations = @(Get-IntuneVppToken -Connection $_ | ForEach-Object OrganizationName) }
        } -ThrottleLimit 50

        $results.Count | Should -Be 50
        foreach ($tenant in $Tenants) {
            $result = @($results | Where-Object TenantId -EQ $tenant.TenantId)
            $result.Count | Should -Be 1 -Because "tenant $($tenant.TenantId) was asked once"
            $result[0].Organizations | Should -Be @($tenant.Organization) -Because "tenant $($tenant.TenantId) sees only its own token"
        }
        $sent = @(Get-VppTokenRequest | Get-RequestBearer | Sort-Object)
        $sent | Should -Be @($Tenants.Token | Sort-Object) -Because 'each tenant''s token went out exactly once'
    }

    It 'gives each runspace its own default connection (Connect-IntuneVpp inside ForEach-Object -Parallel)' {
        $main = Connect-IntuneVpp -AccessToken (ConvertTo-SecureToken $Tenants[0].Token) -GraphEndpoint $GraphUri -PassThru
        $parallel = $Tenants[1..10]
        $everyoneConnected = [System.Threading.CountdownEvent]::new($parallel.Count)
        try {
            $results = $parallel | ForEach-Object -Parallel {
                Import-Module VppToken
                $tenant = $_
                Connect-IntuneVpp -AccessToken (ConvertTo-SecureString $tenant.Token -AsPlainText -Force) -GraphEndpoint $using:GraphUri
                # Every runspace connects before any reads, so a shared default would be overwritten by now.
                $barrier = $using:everyoneConnected
                $null = $barrier.Signal()
                $together = $barrier.Wait(30000)
                [pscustomobject]@{
                    TenantId      = $tenant.TenantId
                    Together      = $together
                    Context       = (Get-IntuneVppContext).TenantId
                    Organizations = @(Get-IntuneVppToken | ForEach-Object OrganizationName)
                }
            } -ThrottleLimit $parallel.Count
        }
        finally {
            $everyoneConnected.Dispose()
        }

        $results.Count | Should -Be $parallel.Count
        foreach ($tenant in $parallel) {
            $result = $results | Where-Object TenantId -EQ $tenant.TenantId
            $result.Together | Should -BeTrue
            $result.Context | Should -Be $tenant.TenantId
            $result.Organizations | Should -Be @($tenant.Organization)
        }
        (Get-IntuneVppContext).Id | Should -Be $main.Id -Because 'the parallel runspaces did not touch this runspace''s default'
        @(Get-VppTokenRequest | Get-RequestBearer | Sort-Object) | Should -Be @($parallel.Token | Sort-Object)
    }
}

Describe 'Get-IntuneVppContext' {
    BeforeAll {
        $script:Tenant = $Tenants[2]
        $script:Claims = Get-JwtPayload $Tenant.Token
    }

    AfterEach {
        Disconnect-IntuneVpp -ErrorAction SilentlyContinue
    }

    It 'shows tenant, client id, sign-in kind, cloud, endpoint, expiry and permissions' {
        Connect-IntuneVpp -AccessToken (ConvertTo-SecureToken $Tenant.Token) -GraphEndpoint $GraphUri

        $context = Get-IntuneVppContext

        $context.TenantId | Should -Be $Tenant.TenantId
        $context.ClientId | Should -Be $ClientId
        $context.SignInKind | Should -Be 'AccessToken'
        $context.Environment | Should -Be 'Custom'
        $context.GraphEndpoint | Should -Be $Emulator.Uri
        $context.TokenExpiresOn | Should -Be ([DateTimeOffset]::FromUnixTimeSeconds($Claims.exp))
        $context.Permissions | Should -Be @('DeviceManagementServiceConfig.ReadWrite.All')
    }

    It 'never shows the token, in Format-List *, ConvertTo-Json or the verbose and debug streams' {
        $signature = $Tenant.Token.Split('.')[2]
        $streams = Connect-IntuneVpp -AccessToken (ConvertTo-SecureToken $Tenant.Token) -GraphEndpoint $GraphUri -PassThru -Verbose -Debug *>&1 | Out-String -Width 10000
        $streams += Get-IntuneVppToken -Verbose -Debug *>&1 | Out-String -Width 10000
        $context = Get-IntuneVppContext

        $list = $context | Format-List * | Out-String -Width 10000
        $json = $context | ConvertTo-Json -Depth 6

        $list | Should -Match ([regex]::Escape($Tenant.TenantId)) -Because 'the listing is the real one'
        foreach ($text in $list, $json, $streams) {
            $text | Should -Not -BeLike "*$signature*"
        }
    }

    It 'shows nothing when not connected' {
        Get-IntuneVppContext | Should -BeNullOrEmpty
    }
}

Describe 'Disconnect-IntuneVpp' {
    BeforeEach {
        Clear-GraphEmulatorRequest $Emulator
    }

    It 'forgets the current connection: the next Get-IntuneVppToken fails with NotConnected and sends nothing' {
        Connect-IntuneVpp -AccessToken (ConvertTo-SecureToken $Tenants[3].Token) -GraphEndpoint $GraphUri

        Disconnect-IntuneVpp
        $run = Invoke-CollectingError { Get-IntuneVppToken }

        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'NotConnected,*'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        Get-IntuneVppContext | Should -BeNullOrEmpty
        @(Get-GraphEmulatorRequest $Emulator).Count | Should -Be 0
    }

    It 'forgets a -Connection object, and leaves the current connection alone' {
        $other = Connect-IntuneVpp -AccessToken (ConvertTo-SecureToken $Tenants[5].Token) -GraphEndpoint $GraphUri -PassThru
        $current = Connect-IntuneVpp -AccessToken (ConvertTo-SecureToken $Tenants[4].Token) -GraphEndpoint $GraphUri -PassThru

        Disconnect-IntuneVpp -Connection $other
        $run = Invoke-CollectingError { Get-IntuneVppToken -Connection $other }

        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'NotConnected,*'
        (Get-IntuneVppContext).Id | Should -Be $current.Id
        (Get-IntuneVppToken).OrganizationName | Should -Be $Tenants[4].Organization
        (Get-VppTokenRequest | Get-RequestBearer) | Should -Be @($Tenants[4].Token)
        Disconnect-IntuneVpp
    }
}

Describe 'Connect-IntuneVpp -Environment' {
    AfterEach {
        Disconnect-IntuneVpp -ErrorAction SilentlyContinue
    }

    It 'points a <Environment> connection at <Expected>' -TestCases @(
        @{ Environment = 'Global'; Expected = 'https://graph.microsoft.com/' }
        @{ Environment = 'USGov'; Expected = 'https://graph.microsoft.us/' }
        @{ Environment = 'USGovDoD'; Expected = 'https://dod-graph.microsoft.us/' }
        @{ Environment = 'China'; Expected = 'https://microsoftgraph.chinacloudapi.cn/' }
    ) {
        Clear-GraphEmulatorRequest $Emulator
        Connect-IntuneVpp -AccessToken (ConvertTo-SecureToken 'opaque-token-for-a-national-cloud') -Environment $Environment

        $context = Get-IntuneVppContext

        $context.Environment | Should -Be $Environment
        $context.GraphEndpoint.AbsoluteUri | Should -Be $Expected
        @(Get-GraphEmulatorRequest $Emulator).Count | Should -Be 0 -Because 'connecting with an access token sends nothing'
    }
}
