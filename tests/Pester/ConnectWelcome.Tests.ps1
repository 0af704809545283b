#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Where a person is connected: the one line Connect-IntuneVpp writes on the host (as Write-Host does, on the
# information stream tagged PSHOST), and Get-IntuneVppContext showing the Connect-MgGraph session the cmdlets would
# borrow. The Connect-MgGraph session comes from the stand-in module (MgGraphStandIn/).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GraphEmulator.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'SignInHelpers.psm1') -Force
    Import-Module VppToken -Force

    $script:emu = Start-GraphEmulator
    $script:AppId = '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f'
    $script:StandInName = 'Microsoft.Graph.Authentication'
    $script:StandInManifest = Join-Path $PSScriptRoot "MgGraphStandIn/$StandInName/$StandInName.psd1"

    # An unsigned JWT with the given claims: Connect-IntuneVpp -AccessToken only reads it, and sends nothing.
    function script:New-UnsignedJwt([hashtable] $Claims) {
        $encode = { param($text) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($text)).TrimEnd('=').Replace('+', '-').Replace('/', '_') }
        '{0}.{1}.{2}' -f (& $encode '{"alg":"none","typ":"JWT"}'), (& $encode (ConvertTo-Json $Claims -Compress)), 'unsigned'
    }

    # Connects as given; returns the host lines (PSHOST information records) and whatever was written.
    function script:Invoke-Connect([hashtable] $Splat) {
        $records = @(Connect-IntuneVpp @Splat 6>&1)
        [pscustomobject]@{
            HostLines = @($records | Where-Object { $_ -is [System.Management.Automation.InformationRecord] -and $_.Tags -contains 'PSHOST' } | ForEach-Object { "$($_.MessageData)" })
            Output    = @($records | Where-Object { $_ -isnot [System.Management.Automation.InformationRecord] })
        }
    }

    function script:ConvertTo-Secure([string] $Text) { ConvertTo-SecureString $Text -AsPlainText -Force }
}

AfterAll {
    Disconnect-IntuneVpp -ErrorAction SilentlyContinue
    if (Get-Module $StandInName) { Remove-Module $StandInName -Force }
    Stop-GraphEmulator -Emulator $emu
}

Describe 'Connect-IntuneVpp''s welcome line' {
    AfterEach {
        Disconnect-IntuneVpp -ErrorAction SilentlyContinue
    }

    It 'names the tenant, the app, the sign-in, the cloud and the API version for an app''s token' {
        $token = New-GraphEmulatorAccessToken -Emulator $emu -TenantId $DefaultTenantId -ClientId $AppId

        $run = Invoke-Connect @{ AccessToken = (ConvertTo-Secure $token); GraphEndpoint = $emu.Uri }

        $run.Output | Should -BeNullOrEmpty
        $run.HostLines | Should -Be @("Connected to tenant $DefaultTenantId as app $AppId (access token): Custom cloud, Graph v1.0 at $($emu.Uri).")
    }

    It 'names the user of a delegated token, and the beta API' {
        $jwt = New-UnsignedJwt @{ tid = 'contoso.example'; appid = $AppId; upn = 'admin@contoso.example'; scp = 'DeviceManagementServiceConfig.ReadWrite.All'; exp = [DateTimeOffset]::UtcNow.AddHours(1).ToUnixTimeSeconds() }

        $run = Invoke-Connect @{ AccessToken = (ConvertTo-Secure $jwt); GraphEndpoint = $emu.Uri; ApiVersion = 'beta' }

        $run.HostLines | Should -Be @("Connected to tenant contoso.example as admin@contoso.example (access token): Custom cloud, Graph beta at $($emu.Uri).")
    }

    It 'says an opaque token names no tenant or account' {
        $run = Invoke-Connect @{ AccessToken = (ConvertTo-Secure 'pester-opaque'); GraphEndpoint = $emu.Uri }

        $run.HostLines | Should -Be @("Connected with an access token that names no tenant or account: Custom cloud, Graph v1.0 at $($emu.Uri).")
    }

    It 'writes no line with <Scenario>' -TestCases @(
        @{ Scenario = '-NoWelcome'; Splat = @{ NoWelcome = $true }; Writes = 0 }
        @{ Scenario = '-PassThru'; Splat = @{ PassThru = $true }; Writes = 1 }
    ) {
        $run = Invoke-Connect (@{ AccessToken = (ConvertTo-Secure 'pester-opaque'); GraphEndpoint = $emu.Uri } + $Splat)

        $run.HostLines | Should -BeNullOrEmpty
        @($run.Output).Count | Should -Be $Writes
        (Get-IntuneVppContext).GraphEndpoint | Should -Be $emu.Uri -Because 'the connection was made all the same'
    }

    It 'keeps the access token out of the line' {
        $token = New-GraphEmulatorAccessToken -Emulator $emu -TenantId $DefaultTenantId -ClientId $AppId

        $run = Invoke-Connect @{ AccessToken = (ConvertTo-Secure $token); GraphEndpoint = $emu.Uri }

        $run.HostLines -join "`n" | Should -Not -BeLike "*$($token.Split('.')[2])*"
    }

    It 'reaches the host of a pwsh session as one line on its screen' {
        $module = Join-Path (Get-Module VppToken).ModuleBase 'VppToken.psd1'
        $command = "Import-Module '$module'; Connect-IntuneVpp -AccessToken (ConvertTo-SecureString 'pester-opaque' -AsPlainText -Force) -GraphEndpoint '$($emu.Uri)'"
        # Under `dotnet pwsh` (the build's local tool) this process is the dotnet host running pwsh.dll.
        $hostPath = [Environment]::ProcessPath
        $arguments = @(if ([IO.Path]::GetFileNameWithoutExtension($hostPath) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' }) + @('-NoProfile', '-NonInteractive', '-Command', $command)

        $screen = @(& $hostPath @arguments 2>&1 | ForEach-Object { "$_" } | Where-Object { $_.Trim() })

        $screen | Should -Be @("Connected with an access token that names no tenant or account: Custom cloud, Graph v1.0 at $($emu.Uri).")
    }
}

Describe 'With a Connect-MgGraph session' {
    BeforeAll {
        $script:SavedModulePath = $env:PSModulePath
        $env:PSModulePath = (Join-Path $PSScriptRoot 'MgGraphStandIn') + [IO.Path]::PathSeparator + $env:PSModulePath
    }

    AfterAll {
        $env:PSModulePath = $SavedModulePath
    }

    BeforeEach {
        Disconnect-IntuneVpp -ErrorAction SilentlyContinue
        $null = Import-Module $StandInManifest -Force -PassThru
        $null = Add-MgEnvironment -Name 'Emulator' -GraphEndpoint $emu.Uri.AbsoluteUri -AzureADEndpoint 'https://login.emulator.invalid'
        # A fresh app each time: the module keeps one borrowed connection per session identity.
        $script:SessionApp = [guid]::NewGuid().ToString()
        $script:SessionToken = New-GraphEmulatorAccessToken -Emulator $emu -TenantId $DefaultTenantId -ClientId $SessionApp
        Connect-MgGraph -AccessToken (ConvertTo-Secure $SessionToken) -Environment 'Emulator' -NoWelcome
        Clear-GraphEmulatorRequest -Emulator $emu
    }

    AfterEach {
        Disconnect-IntuneVpp -ErrorAction SilentlyContinue
        if (Microsoft.Graph.Authentication\Get-MgContext) { $null = Microsoft.Graph.Authentication\Disconnect-MgGraph }
        Remove-Module $StandInName -Force
    }

    It 'Get-IntuneVppContext shows the session the cmdlets would borrow, and they use that same one' {
        $context = Get-IntuneVppContext

        $context | Should -Not -BeNullOrEmpty
        $context.SignInKind | Should -Be 'MgGraphSession'
        $context.TenantId | Should -Be $DefaultTenantId
        $context.ClientId | Should -Be $SessionApp
        $context.GraphEndpoint | Should -Be $emu.Uri
        $context.TokenExpiresOn | Should -BeGreaterThan ([DateTimeOffset]::UtcNow)

        $null = Get-IntuneVppToken

        $probes = @(Get-GraphEmulatorRequest -Emulator $emu | Where-Object { (Get-RequestHeader $_ 'User-Agent') -like '*Invoke-MgGraphRequest*' })
        $probes.Count | Should -Be 1 -Because 'Get-IntuneVppToken used the connection Get-IntuneVppContext borrowed'
        @(Get-GraphEmulatorRequest -Emulator $emu | Where-Object { (Get-RequestHeader $_ 'User-Agent') -like 'VppToken*' } | Get-RequestBearer) | Should -Be @($SessionToken)
    }

    It 'Get-IntuneVppContext shows the connection of its own when there is one' {
        $own = Connect-IntuneVpp -AccessToken (ConvertTo-Secure 'pester-opaque') -GraphEndpoint $emu.Uri -PassThru

        (Get-IntuneVppContext).Id | Should -Be $own.Id
        @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0 -Because 'the session is not even asked'
    }

    It 'Connect-IntuneVpp -MgGraphSession says it goes through the session' {
        $run = Invoke-Connect @{ MgGraphSession = $true }

        $run.HostLines | Should -Be @("Connected to tenant $DefaultTenantId as app $SessionApp (Connect-MgGraph session): Emulator cloud, Graph v1.0 at $($emu.Uri).")
    }
}

Describe 'Get-IntuneVppContext with no connection and no session' {
    It 'writes nothing and no error' {
        Disconnect-IntuneVpp -ErrorAction SilentlyContinue

        $context = Get-IntuneVppContext -ErrorVariable err

        $context | Should -BeNullOrEmpty
        $err | Should -BeNullOrEmpty
    }
}
