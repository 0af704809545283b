#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Secrets that come back later: Graph and Entra ID quote values they refused, and not only in the answer to the
# request that carried them. Every secret a connection has sent (Apple tokens, access tokens, a client secret, the
# assertions MSAL signs) must stay masked in whatever that connection writes afterwards: errors, -Debug, transcripts,
# $Error and its Export-Clixml. Each "nothing leaked" check comes with proof, from the emulator's request log, that the
# secret did go out, so the check could have failed.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GraphEmulator.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TokenFiles.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'SignInHelpers.psm1') -Force
    Import-Module VppToken -Force -ErrorAction Stop

    $script:CollectionPath = '/v1.0/deviceAppManagement/vppTokens'
    $script:AccessTokenText = 'pester-echo-access-4Rt8Kz1Wc6Np3Hq2Lm9X'

    # Wrapped lines must not hide a secret, nor JSON escaping ('+' as \u002B): search as is, flat, and escaped.
    function Assert-NoSecret {
        param([string] $Text, [hashtable] $Secrets, [string] $Where)
        $flat = $Text -replace '\s', ''
        foreach ($name in $Secrets.Keys) {
            $secret = $Secrets[$name]
            $escaped = [System.Text.Json.JsonSerializer]::Serialize($secret, [string], [System.Text.Json.JsonSerializerOptions]$null).Trim('"')
            $Text.Contains($secret) | Should -BeFalse -Because "$name must not appear in $Where"
            $flat.Contains(($secret -replace '\s', '')) | Should -BeFalse -Because "$name must not appear in $Where, even wrapped"
            $Text.Contains($escaped) | Should -BeFalse -Because "$name must not appear in $Where, even escaped"
            $Text.Contains([uri]::EscapeDataString($secret)) | Should -BeFalse -Because "$name must not appear in $Where, even URL-encoded"
        }
    }
}

Describe 'An Apple token sent earlier is masked when a later, unrelated request quotes it' {
    BeforeAll {
        $script:Emulator = Start-GraphEmulator
        $script:Renewed = $SeedTokenId.Contoso
        $script:Unrelated = $SeedTokenId.Fabrikam
    }

    AfterAll {
        Disconnect-IntuneVpp -ErrorAction SilentlyContinue
        Stop-GraphEmulator -Emulator $Emulator
    }

    BeforeEach {
        Reset-GraphEmulator -Emulator $Emulator
        Connect-IntuneVpp -AccessToken (ConvertTo-SecureString $AccessTokenText -AsPlainText -Force) -GraphEndpoint $Emulator.Uri -ErrorAction Stop
    }

    It 'after Set-IntuneVppToken <Scenario>: not in the error, -Debug or the transcript' -TestCases @(
        @{ Scenario = '-Token'; Source = 'Token' }
        @{ Scenario = '-TokenFile'; Source = 'TokenFile' }
    ) {
        $file = New-TestTokenFile -Kind Valid -OrganizationName 'Contoso Ltd.' -Name "echo-$Source.vpptoken"
        $inner = ([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($file.Content)) | ConvertFrom-Json).token
        $secrets = @{ 'the Apple token' = $file.Content; 'its inner token' = $inner; 'the access token' = $AccessTokenText }
        $parameters = if ($Source -eq 'Token') { @{ Token = ConvertTo-SecureString $file.Content -AsPlainText -Force } } else { @{ TokenFile = $file.Path } }
        Set-IntuneVppToken -Id $Renewed @parameters -ErrorAction Stop
        # A later request about another token is refused with a message that quotes all three.
        Add-GraphEmulatorScript -Emulator $Emulator -Method GET -Path "$CollectionPath/$Unrelated" -Response @{
            status = 400; json = @{ error = @{ code = 'BadRequest'; message = "Token '$($file.Content)' (inner '$inner') and bearer $AccessTokenText are not valid here." } }
        }

        $transcript = Join-Path $TestDrive "echo-$Source.transcript.txt"
        $DebugPreference = 'Continue'
        Start-Transcript -Path $transcript -Force | Out-Null
        try {
            $captured = @(Get-IntuneVppToken -Id $Unrelated -Debug -ErrorVariable failures -ErrorAction Continue *>&1)
            $captured | Out-Host
        }
        finally {
            Stop-Transcript | Out-Null
            $DebugPreference = 'SilentlyContinue'
        }

        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GraphBadRequest,*'
        $failures[0].ToString() | Should -Match ([regex]::Escape("Token '***' (inner '***') and bearer *** are not valid here."))
        $text = Get-Content -LiteralPath $transcript -Raw
        $text | Should -Match 'Response body:' -Because 'the debug stream reached the transcript'
        Assert-NoSecret -Text $text -Secrets $secrets -Where 'the transcript'
        Assert-NoSecret -Text ($captured | ConvertTo-StreamText | Out-String -Width 4096) -Secrets $secrets -Where 'the streams'
        Assert-NoSecret -Text ($failures | ConvertTo-StreamText | Out-String -Width 4096) -Secrets $secrets -Where 'the error record'

        $patch = @(Get-GraphEmulatorRequest -Emulator $Emulator -Method PATCH)
        $patch.Count | Should -Be 1
        $patch[0].Json.token | Should -BeExactly $file.Content -Because 'the secret did go out, earlier'
    }
}

Describe 'Secrets of an app sign-in (Entra ID token endpoint over https, in a child pwsh)' {
    BeforeAll {
        $script:TenantId = $DefaultTenantId
        $script:SecretAppId = '5e0c1a2b-3d4e-4f50-8a6b-7c8d9e0f1a2b'
        $script:Secret = 'echo-app-secret~Q8.v3_Zp-7Kd'
        $script:CertificateAppId = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'
        $script:Work = Join-Path ([IO.Path]::GetTempPath()) ('vpptoken-echo-' + [guid]::NewGuid().ToString('n'))
        $null = New-Item -ItemType Directory -Path $Work
        $script:ServerPem = Join-Path $Work 'server.pem'
        $serverPfx = Join-Path $Work 'server.pfx'
        $null = New-TestCertificate -Subject 'localhost' -DnsName 'localhost' -IpAddress '127.0.0.1' -PfxPath $serverPfx -Password 'server-pfx' -PemPath $ServerPem
        $script:AppPfx = Join-Path $Work 'app.pfx'
        $appCertificate = New-TestCertificate -Subject 'VppToken echo test app' -PfxPath $AppPfx -Password 'app-pfx'
        $script:Emulator = Start-GraphEmulator -HttpsCertificatePath $serverPfx -HttpsCertificatePassword 'server-pfx'
        Register-GraphEmulatorApp $Emulator -TenantId $TenantId -ClientId $SecretAppId -ClientSecret $Secret
        Register-GraphEmulatorApp $Emulator -TenantId $TenantId -ClientId $CertificateAppId -Certificate $appCertificate
        $script:Child = @{ Emulator = $Emulator; Environment = @{ SSL_CERT_FILE = $ServerPem } }
        $script:Common = @{ Graph = $Emulator.Uri.AbsoluteUri; Authority = $Emulator.HttpsUri.AbsoluteUri; TenantId = $TenantId }

        function Get-TokenRequestForm {
            foreach ($request in @(Get-GraphEmulatorRequest $Emulator -Method POST -Path '/*/oauth2/v2.0/token')) {
                Get-RequestQuery @{ path = '?' + $request.body }
            }
        }
    }

    AfterAll {
        Stop-GraphEmulator (Get-Variable -Name Emulator -ValueOnly -ErrorAction SilentlyContinue)
        Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue
    }

    BeforeEach {
        Reset-GraphEmulator $Emulator
    }

    It 'keeps a client secret that the token endpoint quotes out of Connect''s error, the transcript and $Error | Export-Clixml, and MSAL''s raw answer out of the record' {
        $marker = 'RAW-ANSWER-MARKER-' + [guid]::NewGuid().ToString('n')
        Add-GraphEmulatorScript $Emulator -Method POST -Path "/$TenantId/oauth2/v2.0/token" -Response @{
            status = 401; json = [ordered]@{
                error             = 'invalid_client'
                error_description = "AADSTS7000215: Invalid client secret provided. The secret sent was '$Secret'. Trace ID: 1b2c3d4e"
                error_codes       = @(7000215)
                trace_id          = '1b2c3d4e-0000-0000-0000-000000000000'
                correlation_id    = '5f6a7b8c-0000-0000-0000-000000000000'
                pester_marker     = $marker
            }
        }

        $result = Invoke-ChildPwsh @Child -InputObject ($Common + @{ ClientId = $SecretAppId; Secret = $Secret }) -ScriptBlock {
            param($In)
            Import-Module VppToken
            $transcript = Join-Path ([IO.Path]::GetTempPath()) ('echo-' + [guid]::NewGuid().ToString('n') + '.txt')
            $clixml = [IO.Path]::ChangeExtension($transcript, '.clixml')
            $credential = [pscredential]::new($In.ClientId, (ConvertTo-SecureString $In.Secret -AsPlainText -Force))
            $Error.Clear()
            $DebugPreference = 'Continue'
            $null = Start-Transcript -Path $transcript
            $caught = $null
            try { Connect-IntuneVpp -TenantId $In.TenantId -ClientSecretCredential $credential -AuthorityHost $In.Authority -GraphEndpoint $In.Graph -Debug }
            catch { $caught = $_; $_ | Out-Host }
            $null = Stop-Transcript
            $DebugPreference = 'SilentlyContinue'
            $Error | Export-Clixml -LiteralPath $clixml
            @{
                Caught     = if ($caught) { ConvertTo-ErrorSummary $caught }
                HasInner   = if ($caught) { $null -ne $caught.Exception.InnerException } else { $null }
                ErrorCount = $Error.Count
                Transcript = Get-Content -LiteralPath $transcript -Raw
                Clixml     = Get-Content -LiteralPath $clixml -Raw
            }
        }

        $result.Caught.ErrorId | Should -BeLike 'SignInFailed,*'
        $result.Caught.Message | Should -Match 'AADSTS7000215' -Because 'Entra ID''s own words are kept'
        $result.Caught.Message | Should -Match ([regex]::Escape("The secret sent was '***'"))
        $result.Transcript | Should -Match 'AADSTS7000215' -Because 'the error reached the transcript'
        $result.Clixml | Should -Match 'AADSTS7000215' -Because 'the error reached $Error'
        $secrets = @{ 'the client secret' = $Secret }
        Assert-NoSecret -Text $result.Caught.Message -Secrets $secrets -Where 'Connect''s error'
        Assert-NoSecret -Text "$($result.Caught.DetailsMessage)" -Secrets $secrets -Where 'its details'
        Assert-NoSecret -Text $result.Transcript -Secrets $secrets -Where 'the -Debug transcript'
        Assert-NoSecret -Text $result.Clixml -Secrets $secrets -Where '$Error | Export-Clixml'
        $result.Clixml.Contains($marker) | Should -BeFalse -Because 'Entra ID''s raw answer stays out of the record'
        $result.Transcript.Contains($marker) | Should -BeFalse
        $result.HasInner | Should -BeFalse -Because 'MSAL''s exception keeps the raw answer'

        @(Get-TokenRequestForm).client_secret | Should -Be @($Secret) -Because 'the secret did go out, once'
    }

    It 'masks the <Scenario> when Graph quotes it after the sign-in, with the access token' -TestCases @(
        @{ Scenario = 'client secret'; Kind = 'Secret' }
        @{ Scenario = 'certificate''s signed assertion'; Kind = 'Certificate' }
    ) {
        $result = Invoke-ChildPwsh @Child -InputObject ($Common + @{ Kind = $Kind; SecretAppId = $SecretAppId; Secret = $Secret; CertificateAppId = $CertificateAppId; Pfx = $AppPfx; Id = $SeedTokenId.Fabrikam }) -ScriptBlock {
            param($In)
            Import-Module VppToken
            $common = @{ TenantId = $In.TenantId; AuthorityHost = $In.Authority; GraphEndpoint = $In.Graph }
            if ($In.Kind -eq 'Secret') {
                Connect-IntuneVpp @common -ClientSecretCredential ([pscredential]::new($In.SecretAppId, (ConvertTo-SecureString $In.Secret -AsPlainText -Force)))
            }
            else {
                Connect-IntuneVpp @common -ClientId $In.CertificateAppId -CertificatePath $In.Pfx -CertificatePassword (ConvertTo-SecureString 'app-pfx' -AsPlainText -Force)
            }
            # What went out, read back from the emulator: the form the token endpoint got, and the bearer Graph got.
            $null = Get-IntuneVppToken
            $control = [uri]::new([uri]$In.Graph, '/_emulator/')
            $log = Invoke-RestMethod -Uri ([uri]::new($control, 'requests'))
            $form = ($log | Where-Object { $_.path -like '*/oauth2/v2.0/token' } | Select-Object -Last 1).body
            $sent = if ($In.Kind -eq 'Secret') { $In.Secret } else { [uri]::UnescapeDataString((($form -split '&') -match '^client_assertion=' -replace '^client_assertion=', '')) }
            $bearer = (($log | Where-Object { $_.path -like '/v1.0/*' } | Select-Object -Last 1).headers.Authorization) -replace '^Bearer ', ''
            $script = @{
                method    = 'GET'; path = "/v1.0/deviceAppManagement/vppTokens/$($In.Id)"
                responses = @(@{ status = 400; json = @{ error = @{ code = 'BadRequest'; message = "Credential '$sent' with bearer '$bearer' is not accepted." } } })
            }
            $null = Invoke-RestMethod -Method POST -Uri ([uri]::new($control, 'scripts')) -Body (ConvertTo-Json $script -Depth 10) -ContentType 'application/json'
            $transcript = Join-Path ([IO.Path]::GetTempPath()) ('echo-' + [guid]::NewGuid().ToString('n') + '.txt')
            $DebugPreference = 'Continue'
            $null = Start-Transcript -Path $transcript
            Get-IntuneVppToken -Id $In.Id -Debug -ErrorAction Continue -ErrorVariable failures 2>&1 | Out-Host
            $null = Stop-Transcript
            @{ Sent = $sent; Bearer = $bearer; Message = "$($failures[0])"; Transcript = Get-Content -LiteralPath $transcript -Raw }
        }

        $result.Sent.Length | Should -BeGreaterThan 20 -Because 'the credential was read from what the token endpoint received'
        $result.Bearer.Length | Should -BeGreaterThan 20
        if ($Kind -eq 'Certificate') { @(Get-TokenRequestForm).client_assertion | Should -Contain $result.Sent }
        $result.Message | Should -Match ([regex]::Escape("Credential '***' with bearer '***' is not accepted."))
        $result.Transcript | Should -Match 'Response body:'
        $secrets = @{ "the $Scenario" = $result.Sent; 'the access token' = $result.Bearer }
        Assert-NoSecret -Text $result.Message -Secrets $secrets -Where 'the error'
        Assert-NoSecret -Text $result.Transcript -Secrets $secrets -Where 'the -Debug transcript'
    }
}
