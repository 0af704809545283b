#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Connect-IntuneVpp, Disconnect-IntuneVpp and Get-IntuneVppContext: where requests go (the emulators' logs), which
# token they carry, and that the token never shows.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:emu = Start-VppTokenTest
    $script:AccessTokenText = $TestAccessTokenText
    $script:CollectionPath = '/v1.0/deviceAppManagement/vppTokens'

    function script:ConvertTo-Secret([string] $Text) { ConvertTo-SecureString $Text -AsPlainText -Force }
}

AfterAll {
    Stop-VppTokenTest
}

Describe 'Connect-IntuneVpp' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
    }

    AfterEach {
        Disconnect-IntuneVpp -ErrorAction SilentlyContinue
    }

    It 'connects to https://graph.microsoft.com when no -GraphEndpoint is given, without a request' {
        Connect-IntuneVpp -AccessToken (ConvertTo-Secret $AccessTokenText)

        $context = Get-IntuneVppContext
        $context | Should -Not -BeNullOrEmpty
        $context.GraphEndpoint.Scheme | Should -Be 'https'
        $context.GraphEndpoint.Host | Should -Be 'graph.microsoft.com'
        $context.GraphEndpoint.AbsolutePath | Should -Be '/'
        @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
    }

    It 'sends its requests to -GraphEndpoint with the token as a bearer token' {
        Connect-IntuneVpp -AccessToken (ConvertTo-Secret $AccessTokenText) -GraphEndpoint $emu.Uri

        $tokens = @(Get-IntuneVppToken)

        $tokens.Count | Should -Be 4
        $request = @(Get-GraphEmulatorRequest -Emulator $emu)
        $request.Count | Should -Be 1
        $request[0].path | Should -BeExactly $CollectionPath
        $request[0].headers.Authorization | Should -BeExactly "Bearer $AccessTokenText"
    }

    It 'accepts <Scenario> as -GraphEndpoint' -TestCases @(
        @{ Scenario = 'http on 127.0.0.1'; Endpoint = 'http://127.0.0.1:{port}' }
        @{ Scenario = 'http on localhost'; Endpoint = 'http://localhost:{port}/' }
        @{ Scenario = 'http on 127.0.0.1 with a trailing path slash'; Endpoint = 'http://127.0.0.1:{port}/' }
    ) {
        $endpoint = [uri]($Endpoint -replace '\{port\}', $emu.Uri.Port)
        Connect-IntuneVpp -AccessToken (ConvertTo-Secret $AccessTokenText) -GraphEndpoint $endpoint -ErrorVariable err

        $err | Should -BeNullOrEmpty
        (Get-IntuneVppContext).GraphEndpoint.Port | Should -Be $emu.Uri.Port
        $null = Get-IntuneVppToken -Id $SeedTokenId.Contoso
        @((Get-GraphEmulatorRequest -Emulator $emu).path) | Should -Be @("$CollectionPath/$($SeedTokenId.Contoso)")
    }

    It 'accepts https on any host, such as a national cloud' {
        Connect-IntuneVpp -AccessToken (ConvertTo-Secret $AccessTokenText) -GraphEndpoint 'https://graph.microsoft.us'
        (Get-IntuneVppContext).GraphEndpoint.Host | Should -Be 'graph.microsoft.us'
    }

    It 'refuses <Endpoint> with InvalidGraphEndpoint and keeps the current connection' -TestCases @(
        @{ Endpoint = 'http://example.com' }
        @{ Endpoint = 'http://10.0.0.1:8080/' }
        @{ Endpoint = 'http://graph.microsoft.com' }
        @{ Endpoint = 'ftp://127.0.0.1/' }
    ) {
        Connect-IntuneVpp -AccessToken (ConvertTo-Secret $AccessTokenText) -GraphEndpoint $emu.Uri
        $caught = $null
        $err = $null

        try { Connect-IntuneVpp -AccessToken (ConvertTo-Secret 'other-token') -GraphEndpoint $Endpoint -ErrorVariable err -ErrorAction SilentlyContinue } catch { $caught = $_ }

        $errors = @(@($err) + @($caught) | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $errors.Count | Should -BeGreaterThan 0
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidGraphEndpoint,*'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        (Get-IntuneVppContext).GraphEndpoint.Port | Should -Be $emu.Uri.Port
        $null = Get-IntuneVppToken -Id $SeedTokenId.Contoso
        @((Get-GraphEmulatorRequest -Emulator $emu).headers.Authorization) | Should -Be @("Bearer $AccessTokenText")
    }

    It 'strips a leading "Bearer " from the access token' {
        Connect-IntuneVpp -AccessToken (ConvertTo-Secret "Bearer $AccessTokenText") -GraphEndpoint $emu.Uri
        $null = Get-IntuneVppToken -Id $SeedTokenId.Contoso
        @((Get-GraphEmulatorRequest -Emulator $emu).headers.Authorization) | Should -Be @("Bearer $AccessTokenText")
    }

    It 'refuses an access token that is <Scenario>' -TestCases @(
        @{ Scenario = 'blank'; Kind = 'Blank'; ErrorId = 'InvalidAccessToken' }
        @{ Scenario = 'an expired JWT'; Kind = 'Expired'; ErrorId = 'AccessTokenExpired' }
    ) {
        $text = if ($Kind -eq 'Blank') { '   ' } else { New-GraphEmulatorAccessToken -Emulator $emu -TenantId $DefaultTenantId -LifetimeSeconds -600 }
        $caught = $null
        $err = $null

        try { Connect-IntuneVpp -AccessToken (ConvertTo-Secret $text) -GraphEndpoint $emu.Uri -ErrorVariable err -ErrorAction SilentlyContinue } catch { $caught = $_ }

        $errors = @(@($err) + @($caught) | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $errors.Count | Should -BeGreaterThan 0
        $errors[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        Get-IntuneVppContext | Should -BeNullOrEmpty
        @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
    }

    Context '-PassThru and -Connection' {
        It 'writes the connection only with -PassThru' {
            $silent = Connect-IntuneVpp -AccessToken (ConvertTo-Secret $AccessTokenText) -GraphEndpoint $emu.Uri
            $connection = Connect-IntuneVpp -AccessToken (ConvertTo-Secret $AccessTokenText) -GraphEndpoint $emu.Uri -PassThru

            $silent | Should -BeNullOrEmpty
            @($connection).Count | Should -Be 1
            $connection.PSObject.TypeNames | Should -Contain 'IntuneVpp.Connections.IntuneVppConnection'
            $connection.GraphEndpoint.Port | Should -Be $emu.Uri.Port
        }

        It 'uses the -Connection given to <Command> rather than the current one' -TestCases @(
            @{ Command = 'Get-IntuneVppToken'; Method = 'GET' }
            @{ Command = 'Set-IntuneVppToken'; Method = 'PATCH' }
        ) {
            $other = Start-GraphEmulator
            try {
                $connection = Connect-IntuneVpp -AccessToken (ConvertTo-Secret 'pester-token-a') -GraphEndpoint $emu.Uri -PassThru
                Connect-IntuneVpp -AccessToken (ConvertTo-Secret 'pester-token-b') -GraphEndpoint $other.Uri

                if ($Command -eq 'Get-IntuneVppToken') {
                    $null = Get-IntuneVppToken -Id $SeedTokenId.Labs -Connection $connection
                }
                else {
                    Set-IntuneVppToken -Id $SeedTokenId.Labs -CountryOrRegion 'se' -Connection $connection -Confirm:$false
                }

                $requests = @(Get-GraphEmulatorRequest -Emulator $emu)
                @($requests.method) | Should -Be @($Method)
                $requests[0].path | Should -BeExactly "$CollectionPath/$($SeedTokenId.Labs)"
                $requests[0].headers.Authorization | Should -BeExactly 'Bearer pester-token-a'
                @(Get-GraphEmulatorRequest -Emulator $other).Count | Should -Be 0
            }
            finally {
                Stop-GraphEmulator -Emulator $other
            }
        }

        It 'keeps two connections to two emulators apart' {
            $other = Start-GraphEmulator
            try {
                $a = Connect-IntuneVpp -AccessToken (ConvertTo-Secret 'pester-token-a') -GraphEndpoint $emu.Uri -PassThru
                $b = Connect-IntuneVpp -AccessToken (ConvertTo-Secret 'pester-token-b') -GraphEndpoint $other.Uri -PassThru

                $null = Get-IntuneVppToken -Connection $a
                Set-IntuneVppToken -Id $SeedTokenId.Contoso -State invalid -Connection $b -Confirm:$false
                $null = Get-IntuneVppToken -Id $SeedTokenId.Retail -Connection $a

                $onA = @(Get-GraphEmulatorRequest -Emulator $emu)
                $onB = @(Get-GraphEmulatorRequest -Emulator $other)
                @($onA.method) | Should -Be @('GET', 'GET')
                @($onA.headers.Authorization | Sort-Object -Unique) | Should -Be @('Bearer pester-token-a')
                @($onB.method) | Should -Be @('PATCH')
                $onB[0].headers.Authorization | Should -BeExactly 'Bearer pester-token-b'
                (Get-StoredVppToken -Emulator $other | Where-Object id -EQ $SeedTokenId.Contoso).state | Should -Be 'invalid'
                (Get-StoredVppToken -Emulator $emu | Where-Object id -EQ $SeedTokenId.Contoso).state | Should -Be 'valid'
            }
            finally {
                Stop-GraphEmulator -Emulator $other
            }
        }

        It 'keeps two tokens to the same emulator apart' {
            $a = Connect-IntuneVpp -AccessToken (ConvertTo-Secret 'pester-token-a') -GraphEndpoint $emu.Uri -PassThru
            $b = Connect-IntuneVpp -AccessToken (ConvertTo-Secret 'pester-token-b') -GraphEndpoint $emu.Uri -PassThru

            $null = Get-IntuneVppToken -Id $SeedTokenId.Contoso -Connection $a
            $null = Get-IntuneVppToken -Id $SeedTokenId.Fabrikam -Connection $b
            $null = Get-IntuneVppToken -Id $SeedTokenId.Retail -Connection $a
            $null = Get-IntuneVppToken -Id $SeedTokenId.Labs

            @((Get-GraphEmulatorRequest -Emulator $emu).headers.Authorization) |
                Should -Be @('Bearer pester-token-a', 'Bearer pester-token-b', 'Bearer pester-token-a', 'Bearer pester-token-b')
        }
    }

    Context 'Showing the connection' {
        BeforeAll {
            $script:SecretAccessToken = 'pester-access-' + [guid]::NewGuid().ToString('N')
        }

        It 'never shows the access token in <Scenario>' -TestCases @(
            @{ Scenario = 'Get-IntuneVppContext | Format-List *'; View = 'ContextListAll' }
            @{ Scenario = 'Get-IntuneVppContext default display'; View = 'ContextDefault' }
            @{ Scenario = 'Get-IntuneVppContext | Format-Table *'; View = 'ContextTableAll' }
            @{ Scenario = 'Get-IntuneVppContext | ConvertTo-Json'; View = 'ContextJson' }
            @{ Scenario = 'the -PassThru object | Format-List * -Force'; View = 'PassThruListForce' }
            @{ Scenario = 'Connect-IntuneVpp -Verbose -Debug output'; View = 'ConnectStreams' }
        ) {
            $connectStreams = @(Connect-IntuneVpp -AccessToken (ConvertTo-Secret $SecretAccessToken) -GraphEndpoint $emu.Uri -PassThru -Verbose -Debug *>&1)
            $connection = $connectStreams | Where-Object { $_.PSObject.TypeNames -contains 'IntuneVpp.Connections.IntuneVppConnection' }

            $text = switch ($View) {
                'ContextListAll' { Get-IntuneVppContext | Format-List * | Out-String -Width 4096 }
                'ContextDefault' { Get-IntuneVppContext | Out-String -Width 4096 }
                'ContextTableAll' { Get-IntuneVppContext | Format-Table * | Out-String -Width 4096 }
                'ContextJson' { Get-IntuneVppContext | ConvertTo-Json -Depth 4 -WarningAction SilentlyContinue }
                'PassThruListForce' { $connection | Format-List * -Force | Out-String -Width 4096 }
                'ConnectStreams' { ($connectStreams | ConvertTo-StreamText) -join "`n" }
            }
            $text | Should -Not -BeNullOrEmpty
            $text | Should -BeLike "*$($emu.Uri.Port)*"
            $text | Should -Not -BeLike "*$SecretAccessToken*"

            # The connection does hold the token: it reaches the emulator.
            $null = Get-IntuneVppToken -Id $SeedTokenId.Contoso
            @(Get-GraphEmulatorRequest -Emulator $emu)[-1].headers.Authorization | Should -BeExactly "Bearer $SecretAccessToken"
        }
    }
}

Describe 'Disconnect-IntuneVpp' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
    }

    AfterEach {
        Disconnect-IntuneVpp -ErrorAction SilentlyContinue
    }

    It 'forgets the current connection: no context, and <Command> stops with NotConnected without a request' -TestCases @(
        @{ Command = 'Get-IntuneVppToken' }
        @{ Command = 'Set-IntuneVppToken' }
    ) {
        Connect-IntuneVpp -AccessToken (ConvertTo-Secret $AccessTokenText) -GraphEndpoint $emu.Uri

        Disconnect-IntuneVpp

        Get-IntuneVppContext | Should -BeNullOrEmpty
        $caught = $null
        $err = $null
        try {
            if ($Command -eq 'Get-IntuneVppToken') { Get-IntuneVppToken -ErrorAction Stop }
            else { Set-IntuneVppToken -Id $SeedTokenId.Contoso -State valid -Confirm:$false -ErrorAction Stop }
        }
        catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'NotConnected,*'
        @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
    }

    It 'makes a disconnected -PassThru object unusable with -Connection' {
        $connection = Connect-IntuneVpp -AccessToken (ConvertTo-Secret $AccessTokenText) -GraphEndpoint $emu.Uri -PassThru
        Disconnect-IntuneVpp

        $caught = $null
        $err = $null
        try { Get-IntuneVppToken -Connection $connection -ErrorAction Stop } catch { $caught = $_ }

        $caught.FullyQualifiedErrorId | Should -BeLike 'NotConnected,*'
        @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
    }

    It 'with -Connection forgets only that connection' {
        $a = Connect-IntuneVpp -AccessToken (ConvertTo-Secret 'pester-token-a') -GraphEndpoint $emu.Uri -PassThru
        Connect-IntuneVpp -AccessToken (ConvertTo-Secret 'pester-token-b') -GraphEndpoint $emu.Uri

        Disconnect-IntuneVpp -Connection $a

        $caught = $null
        $err = $null
        try { Get-IntuneVppToken -Connection $a -ErrorAction Stop } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'NotConnected,*'
        Get-IntuneVppContext | Should -Not -BeNullOrEmpty
        $null = Get-IntuneVppToken -Id $SeedTokenId.Contoso
        @((Get-GraphEmulatorRequest -Emulator $emu).headers.Authorization) | Should -Be @('Bearer pester-token-b')
    }

    It 'does nothing, quietly, when there is no connection' {
        { Disconnect-IntuneVpp -ErrorAction Stop } | Should -Not -Throw
        Get-IntuneVppContext | Should -BeNullOrEmpty
    }
}

Describe 'Get-IntuneVppContext' {
    AfterEach {
        Disconnect-IntuneVpp -ErrorAction SilentlyContinue
    }

    It 'returns nothing before Connect-IntuneVpp' {
        Disconnect-IntuneVpp
        Get-IntuneVppContext | Should -BeNullOrEmpty
    }

    It 'returns the current connection: sign-in kind, endpoint, API version' {
        Connect-IntuneVpp -AccessToken (ConvertTo-Secret $AccessTokenText) -GraphEndpoint $emu.Uri

        $context = @(Get-IntuneVppContext)

        $context.Count | Should -Be 1
        $context[0].SignInKind | Should -Be 'AccessToken'
        $context[0].GraphEndpoint.Port | Should -Be $emu.Uri.Port
        $context[0].ApiVersion | Should -Be 'v1.0'
    }

    It 'reads the tenant from a JWT access token' {
        $jwt = New-GraphEmulatorAccessToken -Emulator $emu -TenantId $DefaultTenantId -ClientId '11111111-2222-3333-4444-555555555555'
        Connect-IntuneVpp -AccessToken (ConvertTo-Secret $jwt) -GraphEndpoint $emu.Uri

        $context = Get-IntuneVppContext

        $context.TenantId | Should -Be $DefaultTenantId
        $context.ClientId | Should -Be '11111111-2222-3333-4444-555555555555'
        ($context | Format-List * | Out-String -Width 4096) | Should -Not -BeLike "*$jwt*"
    }

    It 'tells, when not connected, only Connect-IntuneVpp parameters that exist: <Source>' -TestCases @(
        @{ Source = 'the message shown'; Part = 'Shown' }
        @{ Source = 'the exception message'; Part = 'Exception' }
        @{ Source = 'the recommended action'; Part = 'Action' }
    ) {
        Disconnect-IntuneVpp
        $caught = $null
        $err = $null
        try { Get-IntuneVppToken -ErrorAction Stop } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty

        $text = switch ($Part) {
            'Shown' { $caught.ToString() }
            'Exception' { $caught.Exception.Message }
            'Action' { if ($caught.ErrorDetails) { $caught.ErrorDetails.RecommendedAction } }
        }
        $text | Should -BeLike '*Connect-IntuneVpp*'
        $named = @([regex]::Matches($text, '(?<!Get-Help\s+)Connect-IntuneVpp((?:\s+-\w+(?:\s+<[^>]+>)?)*)') |
                ForEach-Object { [regex]::Matches($_.Groups[1].Value, '-(\w+)') } | ForEach-Object { $_.Groups[1].Value })
        $parameters = (Get-Command Connect-IntuneVpp).Parameters.Keys
        foreach ($name in $named) {
            $parameters | Should -Contain $name -Because "the NotConnected advice tells users to run Connect-IntuneVpp -$name"
        }
    }
}
