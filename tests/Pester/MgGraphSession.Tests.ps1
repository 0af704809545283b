#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Borrowing a Connect-MgGraph session. Microsoft.Graph.Authentication comes from the PowerShell Gallery only, so the
# tests load a stand-in (MgGraphStandIn/) with the same public commands and output shapes; its requests go to the
# emulator like ours, and the log tells the two apart by User-Agent.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GraphEmulator.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'SignInHelpers.psm1') -Force
    Import-Module VppToken -Force

    $script:StandInName = 'Microsoft.Graph.Authentication'
    $script:StandInRoot = Join-Path $PSScriptRoot 'MgGraphStandIn'
    $script:StandInManifest = Join-Path $StandInRoot "$StandInName/$StandInName.psd1"
    $script:SavedModulePath = $env:PSModulePath
    # On the module path, so that a command lookup could autoload it: the module must only use a session already loaded.
    $env:PSModulePath = $StandInRoot + [IO.Path]::PathSeparator + $env:PSModulePath

    $script:Emulator = Start-GraphEmulator
    $script:DefaultTenantId = '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f'
    $script:ProbePath = '/v1.0/deviceAppManagement/vppTokens?$top=1'
    $script:ListPath = '/v1.0/deviceAppManagement/vppTokens'
    $script:SeedOrganizations = @(Get-GraphEmulatorStoredToken $Emulator -TenantId $DefaultTenantId | ForEach-Object organizationName | Sort-Object)

    # Each test signs in as an app of its own: the module keeps a borrowed connection per session identity, and a
    # fresh identity keeps one test's borrowed connection out of the next.
    function Connect-StandIn {
        param([int] $LifetimeSeconds = 3600)
        $null = Import-Module $StandInManifest -Force -PassThru
        $null = Add-MgEnvironment -Name 'Emulator' -GraphEndpoint $Emulator.Uri.AbsoluteUri -AzureADEndpoint 'https://login.emulator.invalid'
        $token = New-GraphEmulatorAccessToken $Emulator -TenantId $DefaultTenantId -ClientId ([guid]::NewGuid()) -LifetimeSeconds $LifetimeSeconds
        Connect-MgGraph -AccessToken (ConvertTo-SecureString $token -AsPlainText -Force) -Environment 'Emulator' -NoWelcome
        $token
    }

    function Get-StandInRequest { @(Get-GraphEmulatorRequest $Emulator | Where-Object { (Get-RequestHeader $_ 'User-Agent') -like '*Invoke-MgGraphRequest*' }) }
    function Get-OwnRequest { @(Get-GraphEmulatorRequest $Emulator | Where-Object { (Get-RequestHeader $_ 'User-Agent') -like 'VppToken*' }) }
}

AfterAll {
    Disconnect-IntuneVpp -ErrorAction SilentlyContinue
    Remove-Module $StandInName -Force -ErrorAction SilentlyContinue
    $env:PSModulePath = $SavedModulePath
    Stop-GraphEmulator (Get-Variable -Name Emulator -ValueOnly -ErrorAction SilentlyContinue)
    Remove-Module VppToken -Force -ErrorAction SilentlyContinue
}

Describe 'Using a Connect-MgGraph session' {
    BeforeEach {
        Clear-GraphEmulatorRequest $Emulator
    }

    AfterEach {
        Disconnect-IntuneVpp -ErrorAction SilentlyContinue
        if (Get-Module $StandInName) {
            if (Microsoft.Graph.Authentication\Get-MgContext) { $null = Microsoft.Graph.Authentication\Disconnect-MgGraph }
            Remove-Module $StandInName -Force
        }
    }

    It 'lists tokens through the session when there is no connection of its own, and says so with -Verbose' {
        $token = Connect-StandIn

        $records = Get-IntuneVppToken -Verbose 4>&1
        $tokens = @($records | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $verbose = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)

        @($tokens.OrganizationName | Sort-Object) | Should -Be $SeedOrganizations
        $verbose -join "`n" | Should -Match 'Connect-MgGraph session'
        $log = @(Get-GraphEmulatorRequest $Emulator)
        $log.path | Should -Be @($ProbePath, $ListPath)
        Get-RequestHeader $log[0] 'User-Agent' | Should -BeLike '*Invoke-MgGraphRequest*' -Because 'the stand-in sent the probe'
        Get-RequestHeader $log[1] 'User-Agent' | Should -BeLike 'VppToken*'
        $log | Get-RequestBearer | Should -Be @($token, $token)
    }

    It 'does not probe the session again while the borrowed token is fresh' {
        $token = Connect-StandIn -LifetimeSeconds 3600

        $null = Get-IntuneVppToken
        $null = Get-IntuneVppToken

        @(Get-StandInRequest).Count | Should -Be 1
        (Get-OwnRequest).path | Should -Be @($ListPath, $ListPath)
        Get-OwnRequest | Get-RequestBearer | Should -Be @($token, $token)
    }

    It 'takes a fresh token from the session when the borrowed one is about to expire' {
        $first = Connect-StandIn -LifetimeSeconds 120
        $null = Get-IntuneVppToken
        # The session renews its token; same app, same tenant.
        $renewed = New-GraphEmulatorAccessToken $Emulator -TenantId $DefaultTenantId -ClientId (Microsoft.Graph.Authentication\Get-MgContext).ClientId -LifetimeSeconds 3600
        Microsoft.Graph.Authentication\Connect-MgGraph -AccessToken (ConvertTo-SecureString $renewed -AsPlainText -Force) -Environment 'Emulator' -NoWelcome

        $records = Get-IntuneVppToken -Verbose 4>&1

        ($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message) -join "`n" | Should -Match 'about to expire'
        @(Get-StandInRequest).Count | Should -Be 2
        Get-OwnRequest | Get-RequestBearer | Should -Be @($first, $renewed)
    }

    It 'makes the session the current connection with Connect-IntuneVpp -MgGraphSession' {
        $token = Connect-StandIn

        $connection = Connect-IntuneVpp -MgGraphSession -PassThru
        $tokens = @(Get-IntuneVppToken)

        $connection.SignInKind | Should -Be 'MgGraphSession'
        $connection.TenantId | Should -Be $DefaultTenantId
        $connection.GraphEndpoint | Should -Be $Emulator.Uri
        (Get-IntuneVppContext).Id | Should -Be $connection.Id
        $tokens.Count | Should -Be $SeedOrganizations.Count
        $log = @(Get-GraphEmulatorRequest $Emulator)
        $log.path | Should -Be @($ProbePath, $ListPath)
        $log | Get-RequestBearer | Should -Be @($token, $token)
    }

    It 'fails with NotConnected when Microsoft.Graph.Authentication is not loaded, without loading it' {
        Get-Module $StandInName | Should -BeNullOrEmpty

        $run = Invoke-CollectingError { Get-IntuneVppToken }

        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'NotConnected,*'
        Get-Module $StandInName | Should -BeNullOrEmpty -Because 'only a session already loaded is borrowed'
        @(Get-GraphEmulatorRequest $Emulator).Count | Should -Be 0
    }

    It 'fails with NotConnected when Microsoft.Graph.Authentication is loaded but not connected' {
        Import-Module $StandInManifest -Force

        $run = Invoke-CollectingError { Get-IntuneVppToken }

        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'NotConnected,*'
        @(Get-GraphEmulatorRequest $Emulator).Count | Should -Be 0
    }

    It 'fails <Command> with MgGraphSessionFailed when the session cannot reach its Graph' -TestCases @(
        @{ Command = 'Get-IntuneVppToken'; Invoke = { Get-IntuneVppToken } }
        @{ Command = 'Connect-IntuneVpp -MgGraphSession'; Invoke = { Connect-IntuneVpp -MgGraphSession } }
    ) {
        $null = Import-Module $StandInManifest -Force -PassThru
        # Port 9 (discard) on loopback: nothing listens, so the session's probe is refused at once.
        $null = Add-MgEnvironment -Name 'Unreachable' -GraphEndpoint 'http://127.0.0.1:9' -AzureADEndpoint 'https://login.emulator.invalid'
        Connect-MgGraph -AccessToken (ConvertTo-SecureString 'opaque-session-token' -AsPlainText -Force) -Environment 'Unreachable' -NoWelcome

        $run = Invoke-CollectingError $Invoke

        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'MgGraphSessionFailed,*' -Because 'a failed Connect-MgGraph session is reported by our command with a stable ErrorId, not as Invoke-MgGraphRequest''s own error'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        # No connection was made: the context can only say again that the session fails.
        Get-IntuneVppContext -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'fails Connect-IntuneVpp -MgGraphSession with MgGraphSessionNotFound when <Scenario>' -TestCases @(
        @{ Scenario = 'the module is loaded but not connected'; Load = $true }
        @{ Scenario = 'the module is not loaded'; Load = $false }
    ) {
        if ($Load) { Import-Module $StandInManifest -Force }

        $run = Invoke-CollectingError { Connect-IntuneVpp -MgGraphSession }

        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'MgGraphSessionNotFound,*'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        Get-IntuneVppContext | Should -BeNullOrEmpty
        @(Get-GraphEmulatorRequest $Emulator).Count | Should -Be 0
    }
}
