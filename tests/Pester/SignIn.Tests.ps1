#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Signing in from where the module runs: managed identity (Azure Automation's App Service shape), an app's secret or
# certificate against an https Entra ID-like token endpoint, and what happens when Graph refuses a token.
# Flows that go through Azure.Identity run in a child pwsh: it caches managed identity settings in statics, and a
# child is the only place SSL_CERT_FILE can name the test certificate authority without any validation bypass.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GraphEmulator.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'SignInHelpers.psm1') -Force
    Import-Module VppToken -Force

    $script:DefaultTenantId = '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f'
    $script:DefaultIdentityHeader = 'emulator-identity-header'
    $script:DefaultIdentityClientId = 'a8f3c2d1-6b5e-4f7a-9c8d-0e1f2a3b4c5d'
    $script:SecretAppId = '5e0c1a2b-3d4e-4f50-8a6b-7c8d9e0f1a2b'
    $script:Secret = 'emulator-app-secret-9f3a'
    $script:CertificateAppId = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'
    $script:CertificatePassword = 'app-pfx-password'

    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ('vpptoken-signin-' + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory -Path $Work
    $script:ServerPem = Join-Path $Work 'server.pem'
    $serverPfx = Join-Path $Work 'server.pfx'
    $null = New-TestCertificate -Subject 'localhost' -DnsName 'localhost' -IpAddress '127.0.0.1' -PfxPath $serverPfx -Password 'server-pfx' -PemPath $ServerPem
    $script:AppPfx = Join-Path $Work 'app.pfx'
    $script:AppCertificate = New-TestCertificate -Subject 'VppToken sign-in test app' -PfxPath $AppPfx -Password $CertificatePassword

    $script:Emulator = Start-GraphEmulator -HttpsCertificatePath $serverPfx -HttpsCertificatePassword 'server-pfx'
    $script:GraphUri = $Emulator.Uri.AbsoluteUri
    Register-GraphEmulatorApp $Emulator -TenantId $DefaultTenantId -ClientId $SecretAppId -ClientSecret $Secret
    Register-GraphEmulatorApp $Emulator -TenantId $DefaultTenantId -ClientId $CertificateAppId -Certificate $AppCertificate

    # Nothing in this process signs in as a managed identity, but if anything ever did, it must reach the emulator
    # and never the instance metadata address.
    $script:SavedIdentity = @{ IDENTITY_ENDPOINT = $env:IDENTITY_ENDPOINT; IDENTITY_HEADER = $env:IDENTITY_HEADER }
    $env:IDENTITY_ENDPOINT = [uri]::new($Emulator.Uri, '/msi/token').AbsoluteUri
    $env:IDENTITY_HEADER = $DefaultIdentityHeader

    $script:HttpsChild = @{ SSL_CERT_FILE = $ServerPem }
    $script:SeedOrganizations = @(Get-GraphEmulatorStoredToken $Emulator -TenantId $DefaultTenantId | ForEach-Object organizationName | Sort-Object)

    function Get-GraphRequest { Get-GraphEmulatorRequest $Emulator -Path '/v1.0/*' }
    function Get-TokenEndpointRequest { Get-GraphEmulatorRequest $Emulator -Method POST -Path '/*/oauth2/v2.0/token' }
}

AfterAll {
    Stop-GraphEmulator (Get-Variable -Name Emulator -ValueOnly -ErrorAction SilentlyContinue)
    foreach ($name in $SavedIdentity.Keys) { Set-Item "env:$name" -Value $SavedIdentity[$name] -ErrorAction SilentlyContinue }
    if (-not $SavedIdentity.IDENTITY_ENDPOINT) { Remove-Item env:IDENTITY_ENDPOINT -ErrorAction SilentlyContinue }
    if (-not $SavedIdentity.IDENTITY_HEADER) { Remove-Item env:IDENTITY_HEADER -ErrorAction SilentlyContinue }
    Disconnect-IntuneVpp -ErrorAction SilentlyContinue
    Remove-Module VppToken -Force -ErrorAction SilentlyContinue
    Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Connect-IntuneVpp -Identity (managed identity, App Service shape)' {
    BeforeEach {
        Reset-GraphEmulator $Emulator
        $null = Set-GraphEmulatorManagedIdentity $Emulator -IdentityHeader $DefaultIdentityHeader -ClientId $DefaultIdentityClientId
    }

    It 'signs in as the system-assigned identity and lists the tenant''s tokens' {
        $result = Invoke-ChildPwsh -Emulator $Emulator -InputObject @{ Graph = $GraphUri } -ScriptBlock {
            param($In)
            Import-Module VppToken
            Connect-IntuneVpp -Identity -GraphEndpoint $In.Graph
            $context = Get-IntuneVppContext
            @{
                Organizations = @(Get-IntuneVppToken | ForEach-Object OrganizationName)
                SignInKind    = $context.SignInKind
                TenantId      = $context.TenantId
                ClientId      = $context.ClientId
            }
        }

        @($result.Organizations | Sort-Object) | Should -Be $SeedOrganizations
        $result.SignInKind | Should -Be 'ManagedIdentity'
        $result.TenantId | Should -Be $DefaultTenantId
        $result.ClientId | Should -Be $DefaultIdentityClientId

        $identity = @(Get-GraphEmulatorRequest $Emulator -Path '/msi/token*')
        $identity.Count | Should -Be 1
        $identity[0].method | Should -Be 'GET'
        Get-RequestHeader $identity[0] 'X-IDENTITY-HEADER' | Should -Be $DefaultIdentityHeader
        $query = Get-RequestQuery $identity[0]
        $query['api-version'] | Should -Be '2019-08-01'
        $query['resource'] | Should -Be $Emulator.Uri.GetLeftPart([UriPartial]::Authority) -Because 'a -GraphEndpoint of one''s own is the resource'
        $query.ContainsKey('client_id') | Should -BeFalse -Because 'a system-assigned identity names no client'
        Get-RequestHeader $identity[0] 'User-Agent' | Should -Not -BeLike 'azsdk-net-*' -Because 'Azure SDK telemetry is off for every sign-in (CredentialFactory.OptionsFor)'

        $graph = @(Get-GraphRequest)
        $graph.Count | Should -Be 1
        $graph[0].sequence | Should -BeGreaterThan $identity[0].sequence
        (Get-JwtPayload (Get-RequestBearer $graph[0])).appid | Should -Be $DefaultIdentityClientId
    }

    It 'asks for a user-assigned identity by its client id (-ClientId)' {
        $userAssigned = 'd4c3b2a1-9f8e-4d7c-8b6a-5f4e3d2c1b0a'
        $null = Set-GraphEmulatorManagedIdentity $Emulator -ClientId $userAssigned

        $result = Invoke-ChildPwsh -Emulator $Emulator -InputObject @{ Graph = $GraphUri; ClientId = $userAssigned } -ScriptBlock {
            param($In)
            Import-Module VppToken
            Connect-IntuneVpp -Identity -ClientId $In.ClientId -GraphEndpoint $In.Graph
            @{ Count = @(Get-IntuneVppToken).Count; ClientId = (Get-IntuneVppContext).ClientId }
        }

        $result.Count | Should -Be $SeedOrganizations.Count
        $result.ClientId | Should -Be $userAssigned
        $identity = @(Get-GraphEmulatorRequest $Emulator -Path '/msi/token*')
        $identity.Count | Should -Be 1
        $query = Get-RequestQuery $identity[0]
        $query['client_id'] | Should -Be $userAssigned
        $query['api-version'] | Should -Be '2019-08-01'
        Get-RequestHeader $identity[0] 'X-IDENTITY-HEADER' | Should -Be $DefaultIdentityHeader
    }

    It 'fails with one SignInFailed error that names the flow, without a stack trace, when the identity header is wrong' {
        $result = Invoke-ChildPwsh -Emulator $Emulator -IdentityHeader 'not-the-identity-secret' -InputObject @{ Graph = $GraphUri } -ScriptBlock {
            param($In)
            Import-Module VppToken
            $Error.Clear()
            $caught = $null
            try { Connect-IntuneVpp -Identity -GraphEndpoint $In.Graph } catch { $caught = ConvertTo-ErrorSummary $_ }
            @{ Caught = $caught; ErrorCount = $Error.Count; Connected = $null -ne (Get-IntuneVppContext) }
        }

        $result.Caught | Should -Not -BeNullOrEmpty
        $result.Caught.ErrorId | Should -BeLike 'SignInFailed,*'
        $result.Caught.Category | Should -Be 'AuthenticationError'
        $result.ErrorCount | Should -Be 1
        $result.Connected | Should -BeFalse
        $result.Caught.Message | Should -BeLike 'Managed identity sign-in*failed*'
        $result.Caught.Message | Should -Not -Match '\s+at \S+\(' -Because 'a stack trace helps no one reading the error'
        $result.Caught.Message | Should -Not -Match '[\r\n]'

        $identity = @(Get-GraphEmulatorRequest $Emulator -Path '/msi/token*')
        $identity.Count | Should -BeGreaterOrEqual 1
        $identity | ForEach-Object { Get-RequestHeader $_ 'X-IDENTITY-HEADER' } | Should -Be (@('not-the-identity-secret') * $identity.Count)
        @(Get-GraphRequest).Count | Should -Be 0
    }
}

Describe 'Connect-IntuneVpp with an app''s secret or certificate (Entra ID token endpoint over https)' {
    BeforeEach {
        Reset-GraphEmulator $Emulator
    }

    It 'signs in with -ClientSecretCredential and lists the tenant''s tokens' {
        $result = Invoke-ChildPwsh -Emulator $Emulator -Environment $HttpsChild -InputObject @{
            Graph = $GraphUri; Authority = $Emulator.HttpsUri.AbsoluteUri; TenantId = $DefaultTenantId; ClientId = $SecretAppId; Secret = $Secret
        } -ScriptBlock {
            param($In)
            Import-Module VppToken
            $credential = [pscredential]::new($In.ClientId, (ConvertTo-SecureString $In.Secret -AsPlainText -Force))
            Connect-IntuneVpp -TenantId $In.TenantId -ClientSecretCredential $credential -AuthorityHost $In.Authority -GraphEndpoint $In.Graph
            $context = Get-IntuneVppContext
            @{ Organizations = @(Get-IntuneVppToken | ForEach-Object OrganizationName); SignInKind = $context.SignInKind; ClientId = $context.ClientId; TenantId = $context.TenantId }
        }

        @($result.Organizations | Sort-Object) | Should -Be $SeedOrganizations
        $result.SignInKind | Should -Be 'ClientSecret'
        $result.ClientId | Should -Be $SecretAppId
        $result.TenantId | Should -Be $DefaultTenantId

        $token = @(Get-TokenEndpointRequest)
        $token.Count | Should -Be 1
        $token[0].path | Should -Be "/$DefaultTenantId/oauth2/v2.0/token"
        Get-RequestHeader $token[0] 'Host' | Should -Be $Emulator.HttpsUri.Authority
        $form = Get-RequestQuery @{ path = '?' + $token[0].body }
        $form['grant_type'] | Should -Be 'client_credentials'
        $form['client_id'] | Should -Be $SecretAppId
        $form['scope'] | Should -Be ($Emulator.Uri.GetLeftPart([UriPartial]::Authority) + '/.default')
        Get-RequestHeader $token[0] 'User-Agent' | Should -Not -BeLike 'azsdk-net-*' -Because 'Azure SDK telemetry is off for every sign-in'
        # Instance discovery would have gone to the real cloud, which this offline run cannot reach; the emulator's
        # own discovery route must stay unused too.
        @(Get-GraphEmulatorRequest $Emulator -Path '*discovery*').Count | Should -Be 0

        $graph = @(Get-GraphRequest)
        $graph.Count | Should -Be 1
        (Get-JwtPayload (Get-RequestBearer $graph[0])).appid | Should -Be $SecretAppId
    }

    It 'signs in with the app''s certificate given as <Scenario>' -TestCases @(
        @{ Scenario = '-CertificatePath and -CertificatePassword'; UseObject = $false }
        @{ Scenario = 'an X509Certificate2 (-Certificate)'; UseObject = $true }
    ) {
        $result = Invoke-ChildPwsh -Emulator $Emulator -Environment $HttpsChild -InputObject @{
            Graph = $GraphUri; Authority = $Emulator.HttpsUri.AbsoluteUri; TenantId = $DefaultTenantId; ClientId = $CertificateAppId
            Pfx = $AppPfx; Password = $CertificatePassword; UseObject = $UseObject
        } -ScriptBlock {
            param($In)
            Import-Module VppToken
            $password = ConvertTo-SecureString $In.Password -AsPlainText -Force
            $common = @{ TenantId = $In.TenantId; ClientId = $In.ClientId; AuthorityHost = $In.Authority; GraphEndpoint = $In.Graph }
            try {
                if ($In.UseObject) {
                    $certificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($In.Pfx, $password)
                    Connect-IntuneVpp @common -Certificate $certificate
                }
                else {
                    Connect-IntuneVpp @common -CertificatePath $In.Pfx -CertificatePassword $password
                }
                @{ Count = @(Get-IntuneVppToken).Count; SignInKind = (Get-IntuneVppContext).SignInKind }
            }
            catch { @{ Error = ConvertTo-ErrorSummary $_ } }
        }

        $result.PSObject.Properties['Error'] | Should -BeNullOrEmpty -Because "the sign-in should succeed: $($result | ConvertTo-Json -Compress)"
        $result.Count | Should -Be $SeedOrganizations.Count
        $result.SignInKind | Should -Be 'Certificate'

        $token = @(Get-TokenEndpointRequest)
        $token.Count | Should -Be 1
        $token[0].path | Should -Be "/$DefaultTenantId/oauth2/v2.0/token"
        $form = Get-RequestQuery @{ path = '?' + $token[0].body }
        $form['client_assertion_type'] | Should -Be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
        $form.ContainsKey('client_secret') | Should -BeFalse
        (Get-JwtPayload $form['client_assertion']).aud | Should -Be ($Emulator.HttpsUri.AbsoluteUri.TrimEnd('/') + "/$DefaultTenantId/oauth2/v2.0/token")
        @(Get-GraphRequest).Count | Should -Be 1
    }

    It 'fails with SignInFailed naming AADSTS7000215 and the tenant when the secret is wrong' {
        $result = Invoke-ChildPwsh -Emulator $Emulator -Environment $HttpsChild -InputObject @{
            Graph = $GraphUri; Authority = $Emulator.HttpsUri.AbsoluteUri; TenantId = $DefaultTenantId; ClientId = $SecretAppId
        } -ScriptBlock {
            param($In)
            Import-Module VppToken
            $credential = [pscredential]::new($In.ClientId, (ConvertTo-SecureString 'not-the-secret' -AsPlainText -Force))
            $Error.Clear()
            $caught = $null
            try { Connect-IntuneVpp -TenantId $In.TenantId -ClientSecretCredential $credential -AuthorityHost $In.Authority -GraphEndpoint $In.Graph }
            catch { $caught = ConvertTo-ErrorSummary $_ }
            @{ Caught = $caught; ErrorCount = $Error.Count; Connected = $null -ne (Get-IntuneVppContext) }
        }

        $result.Caught.ErrorId | Should -BeLike 'SignInFailed,*'
        $result.ErrorCount | Should -Be 1
        $result.Connected | Should -BeFalse
        $result.Caught.Message | Should -Match 'AADSTS7000215'
        $result.Caught.Message | Should -Match ([regex]::Escape($DefaultTenantId))
        $result.Caught.Message | Should -BeLike 'Client secret sign-in*'
        $result.Caught.Message | Should -Not -Match 'not-the-secret' -Because 'a secret never reaches an error message'
        @(Get-TokenEndpointRequest).Count | Should -Be 1 -Because 'a refused secret is not tried again'
        @(Get-GraphRequest).Count | Should -Be 0
    }
}

Describe 'Connect-IntuneVpp -UseDeviceCode (device authorization against the emulator over https)' {
    BeforeAll {
        # What a person at the verification page would do, while the child pwsh waits in Connect-IntuneVpp.
        function Invoke-DeviceCodeSignIn {
            param([string] $Outcome, [string[]] $Scopes, [string] $User = 'admin@contoso.example')
            $child = Start-ChildPwsh -Emulator $Emulator -Environment $HttpsChild -InputObject @{
                Graph = $GraphUri; Authority = $Emulator.HttpsUri.AbsoluteUri; TenantId = $DefaultTenantId; Scopes = $Scopes
            } -ScriptBlock {
                param($In)
                Import-Module VppToken
                $scopes = if ($In.Scopes) { @{ Scopes = [string[]]$In.Scopes } } else { @{} }
                $Error.Clear()
                try {
                    Connect-IntuneVpp -UseDeviceCode -TenantId $In.TenantId -AuthorityHost $In.Authority -GraphEndpoint $In.Graph @scopes
                    $context = Get-IntuneVppContext
                    $tokens = @(Get-IntuneVppToken -ErrorVariable failed -ErrorAction SilentlyContinue)
                    @{ SignInKind = $context.SignInKind; Permissions = @($context.Permissions); Count = $tokens.Count; Errors = @($failed | ForEach-Object { ConvertTo-ErrorSummary $_ }) }
                }
                catch { @{ Caught = ConvertTo-ErrorSummary $_; ErrorCount = $Error.Count; Connected = $null -ne (Get-IntuneVppContext) } }
            }
            $pending = Wait-GraphEmulatorDeviceCode $Emulator
            $null = Set-GraphEmulatorDeviceCode $Emulator -UserCode $pending.userCode -Outcome $Outcome -User $User
            $run = Receive-ChildPwsh -Child $child
            $run | Add-Member -NotePropertyName Pending -NotePropertyValue $pending -PassThru
        }

        function Get-DeviceCodeRequest { @(Get-GraphEmulatorRequest $Emulator -Method POST -Path '/*/oauth2/v2.0/devicecode') }
        # A form body writes spaces as '+'.
        function Get-FormOf { param($Request) Get-RequestQuery @{ path = '?' + ($Request.body -replace '\+', '%20') } }
        $script:GraphResource = $Emulator.Uri.GetLeftPart([UriPartial]::Authority)
    }

    BeforeEach {
        Reset-GraphEmulator $Emulator
    }

    It 'asks for <Expected> on the connection''s Graph host (<Scenario>), shows the code, and lists the tokens' -TestCases @(
        @{ Scenario = 'by default'; Scopes = @(); Expected = @('DeviceManagementServiceConfig.ReadWrite.All') }
        @{ Scenario = '-Scopes, short names'; Scopes = @('DeviceManagementServiceConfig.Read.All', 'DeviceManagementApps.ReadWrite.All')
            Expected = @('DeviceManagementServiceConfig.Read.All', 'DeviceManagementApps.ReadWrite.All') }
    ) {
        $run = Invoke-DeviceCodeSignIn -Outcome approve -Scopes $Scopes

        $run.Result.PSObject.Properties['Caught'] | Should -BeNullOrEmpty -Because "the sign-in should succeed: $($run.Result | ConvertTo-Json -Compress -Depth 5)"
        $run.Result.SignInKind | Should -Be 'DeviceCode'
        $run.Result.Count | Should -Be $SeedOrganizations.Count
        @($run.Result.Errors).Count | Should -Be 0
        @($run.Result.Permissions | Sort-Object) | Should -Be @($Expected | Sort-Object)

        # The scope on the wire: named delegated permissions on the Graph host, so Entra ID can ask for consent; never .default.
        $deviceCode = @(Get-DeviceCodeRequest)
        $deviceCode.Count | Should -Be 1
        $deviceCode[0].path | Should -Be "/$DefaultTenantId/oauth2/v2.0/devicecode"
        $form = Get-FormOf $deviceCode[0]
        $form['client_id'] | Should -Be '14d82eec-204b-4c2f-b7e8-296a70dab67e' -Because 'the public client Connect-MgGraph uses by default'
        $asked = @($form['scope'] -split ' ')
        @($asked | Where-Object { $_ -notin 'openid', 'profile', 'offline_access' } | Sort-Object) | Should -Be @($Expected | ForEach-Object { "$GraphResource/$_" } | Sort-Object)
        $form['scope'] | Should -Not -Match '\.default'
        $run.Pending.permissions | Should -Be $Expected

        $polls = @(Get-TokenEndpointRequest)
        $polls.Count | Should -BeGreaterOrEqual 1
        $polls | ForEach-Object { (Get-FormOf $_)['grant_type'] } | Should -Be (@('device_code') * $polls.Count)
        $graph = @(Get-GraphRequest)
        $graph.Count | Should -Be 1
        $claims = Get-JwtPayload (Get-RequestBearer $graph[0])
        @($claims.scp -split ' ' | Sort-Object) | Should -Be @($Expected | Sort-Object)
        $claims.upn | Should -Be 'admin@contoso.example'

        # The message reaches the person (host output: the child's stdout), the secrets do not.
        $run.Stdout | Should -Match ([regex]::Escape("enter the code $($run.Pending.userCode)"))
        $run.Stdout | Should -Match ([regex]::Escape($Emulator.HttpsUri.GetLeftPart([UriPartial]::Authority) + '/devicelogin'))
        $everything = $run.Stdout + $run.Stderr + ($run.Result | ConvertTo-Json -Depth 10)
        $secretDeviceCode = (Get-FormOf $polls[0])['device_code']
        $secretDeviceCode | Should -Not -BeNullOrEmpty
        $everything | Should -Not -Match ([regex]::Escape($secretDeviceCode)) -Because 'the device code is the client''s polling secret'
        $everything | Should -Not -Match ([regex]::Escape((Get-RequestBearer $graph[0])))
    }

    It 'fails with SignInFailed naming <Code> when the sign-in is <Outcome>' -TestCases @(
        @{ Outcome = 'decline'; Code = 'AADSTS65004' }
        @{ Outcome = 'expire'; Code = 'AADSTS70020' }
        @{ Outcome = 'slow_down'; Code = 'AADSTS70016' }
    ) {
        $run = Invoke-DeviceCodeSignIn -Outcome $Outcome

        $run.Result.Caught.ErrorId | Should -BeLike 'SignInFailed,*'
        $run.Result.Caught.Category | Should -Be 'AuthenticationError'
        $run.Result.ErrorCount | Should -Be 1
        $run.Result.Connected | Should -BeFalse
        $run.Result.Caught.Message | Should -BeLike 'Device code sign-in*failed*'
        $run.Result.Caught.Message | Should -Match $Code
        $run.Result.Caught.RecommendedAction | Should -Match 'Connect-IntuneVpp again'
        @(Get-GraphRequest).Count | Should -Be 0
    }

    It 'asked for .default, gets only what was consented before, and the 403 says how to get consent' {
        $run = Invoke-DeviceCodeSignIn -Outcome approve -Scopes '.default'

        $form = Get-FormOf (Get-DeviceCodeRequest)[0]
        @($form['scope'] -split ' ') | Should -Contain "$GraphResource/.default"
        $run.Result.Count | Should -Be 0
        @($run.Result.Errors).Count | Should -Be 1
        $failure = $run.Result.Errors[0]
        $failure.ErrorId | Should -BeLike 'GraphForbidden,*'
        $failure.Category | Should -Be 'PermissionDenied'
        foreach ($way in '-Scopes DeviceManagementServiceConfig.ReadWrite.All', 'admin consent', '-ClientId') {
            $failure.RecommendedAction | Should -Match ([regex]::Escape($way))
        }
        (Get-JwtPayload (Get-RequestBearer (Get-GraphRequest)[0])).scp | Should -Be 'User.Read'
    }

    It 'refuses -Scopes that mix .default with named permissions before anything is sent' {
        $run = Invoke-CollectingError {
            Connect-IntuneVpp -UseDeviceCode -TenantId $DefaultTenantId -AuthorityHost $Emulator.HttpsUri -GraphEndpoint $GraphUri -Scopes '.default', 'DeviceManagementServiceConfig.ReadWrite.All'
        }

        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidScopes,*'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        @(Get-GraphEmulatorRequest $Emulator).Count | Should -Be 0
    }
}

Describe 'Connect-IntuneVpp refuses an unusable app sign-in before sending anything' {
    BeforeAll {
        $script:NoKeyPath = Join-Path $Work 'app-public.cer'
        [IO.File]::WriteAllBytes($NoKeyPath, $AppCertificate.RawData)
    }

    BeforeEach {
        Clear-GraphEmulatorRequest $Emulator
    }

    It 'fails with <ErrorId> when <Scenario>' -TestCases @(
        @{ Scenario = 'the authority host is plain http'; ErrorId = 'InvalidAuthorityHost'; Category = 'InvalidArgument'
            Parameters = { @{ ClientSecretCredential = [pscredential]::new($SecretAppId, (ConvertTo-SecureString $Secret -AsPlainText -Force)); AuthorityHost = $Emulator.Uri } } }
        @{ Scenario = 'the .pfx password is wrong'; ErrorId = 'CertificateUnreadable'; Category = 'ReadError'
            Parameters = { @{ ClientId = $CertificateAppId; CertificatePath = $AppPfx; CertificatePassword = (ConvertTo-SecureString 'not-the-password' -AsPlainText -Force); AuthorityHost = $Emulator.HttpsUri } } }
        @{ Scenario = 'the certificate file has no private key'; ErrorId = 'CertificateHasNoPrivateKey'; Category = 'InvalidData'
            Parameters = { @{ ClientId = $CertificateAppId; CertificatePath = $NoKeyPath; AuthorityHost = $Emulator.HttpsUri } } }
    ) {
        $parameters = & $Parameters

        $run = Invoke-CollectingError { Connect-IntuneVpp -TenantId $DefaultTenantId -GraphEndpoint $GraphUri @parameters }

        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $run.Errors[0].CategoryInfo.Category | Should -Be $Category
        Get-IntuneVppContext | Should -BeNullOrEmpty
        @(Get-GraphEmulatorRequest $Emulator).Count | Should -Be 0
    }
}

Describe 'When Graph refuses the token' {
    BeforeEach {
        Reset-GraphEmulator $Emulator
    }

    AfterEach {
        Disconnect-IntuneVpp -ErrorAction SilentlyContinue
    }

    It 'refuses an expired -AccessToken with AccessTokenExpired before sending anything' {
        $expired = New-GraphEmulatorAccessToken $Emulator -TenantId $DefaultTenantId -LifetimeSeconds -60
        $secure = ConvertTo-SecureString $expired -AsPlainText -Force

        $run = Invoke-CollectingError { Connect-IntuneVpp -AccessToken $secure -GraphEndpoint $GraphUri }

        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AccessTokenExpired,*'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        Get-IntuneVppContext | Should -BeNullOrEmpty
        @(Get-GraphEmulatorRequest $Emulator).Count | Should -Be 0
    }

    It 'reports Graph''s 401 for a token of a tenant Graph does not know, and does not replay a token it cannot refresh' {
        $stranger = New-GraphEmulatorAccessToken $Emulator -TenantId '0badc0de-0000-4000-8000-000000000000'
        Connect-IntuneVpp -AccessToken (ConvertTo-SecureString $stranger -AsPlainText -Force) -GraphEndpoint $GraphUri

        $run = Invoke-CollectingError { Get-IntuneVppToken }

        $run.Output | Should -BeNullOrEmpty
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'GraphUnauthorized,*'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        $graph = @(Get-GraphRequest)
        $graph.Count | Should -Be 1
        Get-RequestBearer $graph[0] | Should -Be $stranger
    }

    It 'gets a fresh token and replays once when Graph answers 401 to a client-secret connection' {
        Add-GraphEmulatorScript $Emulator -Method GET -Path '/v1.0/deviceAppManagement/vppTokens' -Response @{
            status = 401; json = @{ error = @{ code = 'InvalidAuthenticationToken'; message = 'Lifetime validation failed, the token is expired.' } }
        }

        $result = Invoke-ChildPwsh -Emulator $Emulator -Environment $HttpsChild -InputObject @{
            Graph = $GraphUri; Authority = $Emulator.HttpsUri.AbsoluteUri; TenantId = $DefaultTenantId; ClientId = $SecretAppId; Secret = $Secret
        } -ScriptBlock {
            param($In)
            Import-Module VppToken
            $credential = [pscredential]::new($In.ClientId, (ConvertTo-SecureString $In.Secret -AsPlainText -Force))
            Connect-IntuneVpp -TenantId $In.TenantId -ClientSecretCredential $credential -AuthorityHost $In.Authority -GraphEndpoint $In.Graph
            try { @{ Count = @(Get-IntuneVppToken).Count } } catch { @{ Error = ConvertTo-ErrorSummary $_ } }
        }

        $result.PSObject.Properties['Error'] | Should -BeNullOrEmpty
        $result.Count | Should -Be $SeedOrganizations.Count
        $log = @(Get-GraphEmulatorRequest $Emulator | Where-Object { $_.path -like '/v1.0/*' -or $_.path -like '*/oauth2/v2.0/token' })
        $log | ForEach-Object { '{0} {1}' -f $_.method, ($_.path -replace '\?.*$') } | Should -Be @(
            "POST /$DefaultTenantId/oauth2/v2.0/token"
            'GET /v1.0/deviceAppManagement/vppTokens'
            "POST /$DefaultTenantId/oauth2/v2.0/token"
            'GET /v1.0/deviceAppManagement/vppTokens'
        )
    }

    It 'does not replay a second time when the fresh token gets 401 too' {
        $unauthorized = @{ status = 401; json = @{ error = @{ code = 'InvalidAuthenticationToken'; message = 'Access token validation failure.' } } }
        Add-GraphEmulatorScript $Emulator -Method GET -Path '/v1.0/deviceAppManagement/vppTokens' -Response $unauthorized, $unauthorized, $unauthorized

        $result = Invoke-ChildPwsh -Emulator $Emulator -Environment $HttpsChild -InputObject @{
            Graph = $GraphUri; Authority = $Emulator.HttpsUri.AbsoluteUri; TenantId = $DefaultTenantId; ClientId = $SecretAppId; Secret = $Secret
        } -ScriptBlock {
            param($In)
            Import-Module VppToken
            $credential = [pscredential]::new($In.ClientId, (ConvertTo-SecureString $In.Secret -AsPlainText -Force))
            Connect-IntuneVpp -TenantId $In.TenantId -ClientSecretCredential $credential -AuthorityHost $In.Authority -GraphEndpoint $In.Graph
            try { $tokens = @(Get-IntuneVppToken -ErrorAction Stop); @{ Count = $tokens.Count } } catch { @{ Error = ConvertTo-ErrorSummary $_ } }
        }

        $result.Error.ErrorId | Should -BeLike 'GraphUnauthorized,*'
        @(Get-GraphRequest).Count | Should -Be 2
        @(Get-TokenEndpointRequest).Count | Should -Be 2
    }

    It 'says how to get consent when Graph answers 403 to a <Scenario> token without the permission' -TestCases @(
        @{ Scenario = 'user''s (delegated)'; Role = @(); Scope = 'User.Read'; Expected = @('-Scopes DeviceManagementServiceConfig.ReadWrite.All', 'admin consent', '-ClientId'); Not = 'application permission' }
        @{ Scenario = 'app''s (application permissions)'; Role = @('Group.Read.All'); Scope = $null; Expected = @('application permission', 'admin consent'); Not = '-Scopes' }
    ) {
        $token = New-GraphEmulatorAccessToken $Emulator -TenantId $DefaultTenantId -Role $Role -Scope $Scope
        Connect-IntuneVpp -AccessToken (ConvertTo-SecureString $token -AsPlainText -Force) -GraphEndpoint $GraphUri

        $run = Invoke-CollectingError { Get-IntuneVppToken }

        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'GraphForbidden,*'
        $action = $run.Errors[0].ErrorDetails.RecommendedAction
        $action | Should -Match 'DeviceManagementServiceConfig\.Read\.All'
        foreach ($way in $Expected) { $action | Should -Match ([regex]::Escape($way)) }
        $action | Should -Not -Match ([regex]::Escape($Not))
        @(Get-GraphRequest).Count | Should -Be 1
    }

    It 'names DeviceManagementServiceConfig.ReadWrite.All when Graph answers 403 to a change made with a read-only token' {
        $readOnly = New-GraphEmulatorAccessToken $Emulator -TenantId $DefaultTenantId -Role 'DeviceManagementServiceConfig.Read.All'
        Connect-IntuneVpp -AccessToken (ConvertTo-SecureString $readOnly -AsPlainText -Force) -GraphEndpoint $GraphUri
        $target = Get-GraphEmulatorStoredToken $Emulator -TenantId $DefaultTenantId | Select-Object -First 1

        $run = Invoke-CollectingError { Set-IntuneVppToken -Id $target.id -OrganizationName 'Renamed by a read-only token' -Confirm:$false }

        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'GraphForbidden,*'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        ($run.Errors[0] | Out-String) | Should -Match 'DeviceManagementServiceConfig\.ReadWrite\.All'
        $patch = @(Get-GraphEmulatorRequest $Emulator -Method PATCH)
        $patch.Count | Should -Be 1
        Get-RequestBearer $patch[0] | Should -Be $readOnly
        (Get-GraphEmulatorStoredToken $Emulator -TenantId $DefaultTenantId | Where-Object id -EQ $target.id).organizationName | Should -Be $target.organizationName
    }
}
