#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Secrets stay in and requests stay on the connection's Graph host: no Apple token or access token in any stream,
# transcript, error or context object; the bearer token never leaves for another host (nextLink, redirect); ids and
# filters cannot steer a request elsewhere; bad input is refused before anything is sent. Every "nothing leaked"
# check is paired with proof that the secret did reach the emulator, so the check could have failed.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Emulator = Start-VppTokenTest
    $script:CollectionPath = '/v1.0/deviceAppManagement/vppTokens'
    $script:Id = '0f5d8d4b-3c1e-4b7a-a2d4-6e9f1b2c3d4e'
    $script:ItemPath = "$CollectionPath/$Id"
    $script:AccessTokenText = 'pester-access-7Hq2Lm9Xv4Rt8Kz1Wc6Np3'

    function Connect-Emulator {
        param([string] $Token = $AccessTokenText, [hashtable] $With = @{})
        Connect-IntuneVpp -AccessToken (ConvertTo-SecureString $Token -AsPlainText -Force) -GraphEndpoint $Emulator.Uri `
            -RequestTimeout 00:00:02 @With -ErrorAction Stop
    }

    function Get-LoggedRequest {
        param($From = $Emulator)
        @(Get-GraphEmulatorRequest -Emulator $From)
    }
}

AfterAll {
    Stop-VppTokenTest
    Remove-Module VppToken -Force -ErrorAction SilentlyContinue
}

Describe 'Secrets in streams, transcripts, errors and the context' {
    BeforeAll {
        # An Apple .vpptoken file's content: base64 of {token, expDate, orgName}. The inner token is a secret too.
        $script:AppleInnerToken = 'PesterInnerSecret+Zx81Qw4Lk7Tb2Nm5Vc0Rp9Ys3Hd6Jf=='
        $appleJson = '{"token":"' + $AppleInnerToken + '","expDate":"2027-08-15T18:13:52-0700","orgName":"Pester Security Org"}'
        $script:AppleToken = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($appleJson))
        $script:AppleSecure = ConvertTo-SecureString $AppleToken -AsPlainText -Force
        $script:MissingId = '11111111-2222-4333-8444-555555555555'

        $script:Secrets = [ordered]@{
            'the Apple token'                  = $AppleToken
            'the start of the Apple token'     = $AppleToken.Substring(0, 24)
            'the Apple token''s inner token'   = $AppleInnerToken
            'the access token'                 = $AccessTokenText
            'the bearer header'                = "Bearer $AccessTokenText"
        }

        # Connect, list, get, set the token (200), set it on a missing id (404), and a read refused with 401.
        $script:Scenario = {
            Connect-IntuneVpp -AccessToken (ConvertTo-SecureString $AccessTokenText -AsPlainText -Force) -GraphEndpoint $Emulator.Uri `
                -RequestTimeout 00:00:02 -Verbose -Debug -PassThru
            Get-IntuneVppToken -Verbose -Debug
            Get-IntuneVppToken -Id $Id -Verbose -Debug
            Set-IntuneVppToken -Id $Id -Token $AppleSecure -Verbose -Debug -PassThru
            Set-IntuneVppToken -Id $MissingId -Token $AppleSecure -Verbose -Debug -PassThru -ErrorAction Continue
            Add-GraphEmulatorScript -Emulator $Emulator -Method GET -Path $ItemPath -Response @{
                status = 401; json = @{ error = @{ code = 'InvalidAuthenticationToken'; message = 'Access token has expired or is not yet valid.' } }
            }
            Get-IntuneVppToken -Id $Id -Verbose -Debug -ErrorAction Continue
            Get-IntuneVppContext
        }

        function ConvertTo-SearchText {
            param([Parameter(ValueFromPipeline)] $InputObject)
            process {
                if ($null -eq $InputObject) { return }
                if ($InputObject -is [System.Management.Automation.ErrorRecord]) {
                    $InputObject.ToString()
                    if ($InputObject.ErrorDetails) { $InputObject.ErrorDetails.Message; $InputObject.ErrorDetails.RecommendedAction }
                    $InputObject.Exception.ToString()
                    "$($InputObject.TargetObject)"
                    $InputObject | Format-List * -Force | Out-String -Width 4096
                }
                elseif ($InputObject -is [System.Management.Automation.InformationalRecord]) { $InputObject.Message }
                else { $InputObject | Format-List * -Force | Out-String -Width 4096 }
            }
        }

        function Assert-NoSecret {
            param([string] $Text, [string] $Where)
            # Wrapped lines must not hide a secret: search the text as is and without any whitespace.
            $flat = $Text -replace '\s', ''
            foreach ($name in $Secrets.Keys) {
                $Text.Contains($Secrets[$name]) | Should -BeFalse -Because "$name must not appear in $Where"
                $flat.Contains(($Secrets[$name] -replace '\s', '')) | Should -BeFalse -Because "$name must not appear in $Where, even wrapped"
            }
        }
    }

    BeforeEach {
        Reset-GraphEmulator -Emulator $Emulator
        $Error.Clear()
    }

    It 'keeps both tokens out of a -Debug -Verbose transcript' {
        $transcript = Join-Path $TestDrive 'secrets.transcript.txt'
        $DebugPreference = 'Continue'
        $VerbosePreference = 'Continue'
        Start-Transcript -Path $transcript -Force | Out-Null
        try {
            # Objects shown in full; errors, warnings, verbose and debug reach the host (and so the transcript) as usual.
            & $Scenario | ForEach-Object { $_ | Format-List * -Force | Out-Host }
        }
        finally {
            Stop-Transcript | Out-Null
            $DebugPreference = 'SilentlyContinue'
            $VerbosePreference = 'SilentlyContinue'
        }

        $text = Get-Content -LiteralPath $transcript -Raw
        $text | Should -Match 'Request body:' -Because 'the debug stream was on and reached the transcript'
        $text | Should -Match 'Graph answered 404' -Because 'the error case reached the transcript'
        Assert-NoSecret -Text $text -Where 'the transcript'
    }

    It 'keeps both tokens out of every stream, $Error and Get-IntuneVppContext' {
        $DebugPreference = 'Continue'
        $VerbosePreference = 'Continue'
        try {
            $captured = @(& $Scenario *>&1)
        }
        finally {
            $DebugPreference = 'SilentlyContinue'
            $VerbosePreference = 'SilentlyContinue'
        }

        $streams = $captured | ConvertTo-SearchText | Out-String -Width 4096
        $debug = @($captured | Where-Object { $_ -is [System.Management.Automation.DebugRecord] })
        $debug.Message -match '^Request body: ' | Should -Not -BeNullOrEmpty -Because 'request bodies were shown, redacted'
        $debug.Message -match '^Response body: .*"token"' | Should -Not -BeNullOrEmpty -Because 'a response carrying the token was shown, redacted'
        Assert-NoSecret -Text $streams -Where 'the output, error, verbose, debug, warning and information streams'

        $errors = @($Error) | ConvertTo-SearchText | Out-String -Width 4096
        @($Error | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] -and $_.FullyQualifiedErrorId -like 'Graph*' }).Count |
            Should -Be 2 -Because 'the 404 and the 401 were recorded'
        Assert-NoSecret -Text $errors -Where '$Error'

        $context = Get-IntuneVppContext | Format-List * -Force | Out-String -Width 4096
        $context | Should -Match ([regex]::Escape($Emulator.Uri.ToString().TrimEnd('/')))
        Assert-NoSecret -Text $context -Where 'Get-IntuneVppContext'

        # Proof the searches could have failed: the secrets did go out, to the emulator only.
        $patches = @(Get-LoggedRequest | Where-Object method -EQ 'PATCH')
        $patches.Count | Should -Be 2
        $patches | ForEach-Object { $_.Json.token | Should -BeExactly $AppleToken }
        Get-LoggedRequest | ForEach-Object { $_.headers.Authorization | Should -BeExactly "Bearer $AccessTokenText" }
    }

    It 'keeps the Apple token out of the error even when Graph echoes it back in its message' {
        Connect-Emulator
        Add-GraphEmulatorScript -Emulator $Emulator -Method PATCH -Path $ItemPath -Response @{
            status = 400; json = @{ error = @{ code = 'BadRequest'; message = "Invalid value '$AppleToken' for property 'token'." } }
        }

        Set-IntuneVppToken -Id $Id -Token $AppleSecure -ErrorVariable failures -ErrorAction SilentlyContinue -Debug 5>&1 | Out-Null

        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GraphBadRequest,*'
        @(Get-LoggedRequest | Where-Object method -EQ 'PATCH').Json.token | Should -BeExactly $AppleToken
        Assert-NoSecret -Text ($failures | ConvertTo-SearchText | Out-String -Width 4096) -Where 'an error built from Graph''s answer'
    }
}

Describe 'The bearer token goes to the connection''s Graph host only' {
    BeforeAll {
        $script:OtherEmulator = Start-GraphEmulator
        # A listener on another loopback address stands for a foreign host: any connection to it shows as pending.
        $script:ForeignListener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Parse('127.0.0.2'), 0)
        $ForeignListener.Start()
        $script:ForeignUri = [uri]"http://127.0.0.2:$($ForeignListener.LocalEndpoint.Port)/"
    }

    AfterAll {
        $ForeignListener.Stop()
        Stop-GraphEmulator -Emulator $OtherEmulator
    }

    BeforeEach {
        Reset-GraphEmulator -Emulator $Emulator
        Reset-GraphEmulator -Emulator $OtherEmulator
        Connect-Emulator
    }

    It 'refuses an @odata.nextLink to <Scenario>' -TestCases @(
        @{ Scenario = 'another loopback address (127.0.0.2)'; Target = 'foreign'; ErrorId = 'GraphUntrustedHost'; Category = 'SecurityError' }
        @{ Scenario = 'another port on the same address'; Target = 'other-emulator'; ErrorId = 'GraphUntrustedHost'; Category = 'SecurityError' }
        @{ Scenario = 'https on the same host and port'; Target = 'https'; ErrorId = 'GraphUntrustedHost'; Category = 'SecurityError' }
        @{ Scenario = 'a scheme-relative URL (//127.0.0.2:port/...)'; Target = 'scheme-relative'; ErrorId = 'GraphInvalidResponse'; Category = 'InvalidResult' }
    ) {
        $base = switch ($Target) {
            'foreign' { $ForeignUri }
            'scheme-relative' { $ForeignUri }
            'other-emulator' { $OtherEmulator.Uri }
            'https' { [uri]"https://127.0.0.1:$($Emulator.Uri.Port)/" }
        }
        $nextLink = [uri]::new($base, '/v1.0/deviceAppManagement/vppTokens?$skiptoken=2').AbsoluteUri
        if ($Target -eq 'scheme-relative') { $nextLink = $nextLink -replace '^http:', '' }
        Add-GraphEmulatorScript -Emulator $Emulator -Method GET -Path $CollectionPath -Response @{
            status = 200; json = @{ value = @(@{ id = $Id; organizationName = 'First page' }); '@odata.nextLink' = $nextLink }
        }

        $result = @(Get-IntuneVppToken -ErrorVariable failures -ErrorAction SilentlyContinue)

        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $failures[0].CategoryInfo.Category | Should -Be $Category
        if ($ErrorId -eq 'GraphUntrustedHost') {
            $result.Count | Should -Be 1 -Because 'the first page came from the connection''s own host'
            $failures[0].ToString() | Should -Match ([regex]::Escape($base.GetLeftPart([UriPartial]::Authority)))
        }
        @(Get-LoggedRequest).Count | Should -Be 1
        @(Get-LoggedRequest -From $OtherEmulator).Count | Should -Be 0
        Start-Sleep -Milliseconds 100
        $ForeignListener.Pending() | Should -BeFalse -Because 'no connection may be opened to a foreign host'
    }

    It 'does not follow a <Status> redirect to another host' -TestCases @(
        @{ Status = 301 }, @{ Status = 302 }, @{ Status = 303 }, @{ Status = 307 }, @{ Status = 308 }
    ) {
        $location = [uri]::new($OtherEmulator.Uri, $ItemPath).AbsoluteUri
        Add-GraphEmulatorScript -Emulator $Emulator -Method GET -Path $ItemPath -Response @{ status = $Status; headers = @{ Location = $location } }

        $result = @(Get-IntuneVppToken -Id $Id -ErrorVariable failures -ErrorAction SilentlyContinue)

        $result.Count | Should -Be 0
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GraphRedirected,*'
        $failures[0].CategoryInfo.Category | Should -Be 'SecurityError'
        $failures[0].ToString() | Should -Match "\b$Status\b"
        $failures[0].ToString() | Should -Match ([regex]::Escape($location))
        @(Get-LoggedRequest).Count | Should -Be 1
        @(Get-LoggedRequest -From $OtherEmulator).Count | Should -Be 0 -Because 'the redirect was not followed'
    }

    It 'does not carry a PATCH with the Apple token through a 307 redirect' {
        $secure = ConvertTo-SecureString 'cGVzdGVyLXJlZGlyZWN0LXNlY3JldA==' -AsPlainText -Force
        Add-GraphEmulatorScript -Emulator $Emulator -Method PATCH -Path $ItemPath -Response @{ status = 307; headers = @{ Location = [uri]::new($OtherEmulator.Uri, $ItemPath).AbsoluteUri } }

        Set-IntuneVppToken -Id $Id -Token $secure -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GraphRedirected,*'
        @(Get-LoggedRequest -From $OtherEmulator).Count | Should -Be 0
        @(Get-LoggedRequest | Where-Object method -EQ 'PATCH').Count | Should -Be 1
    }
}

Describe 'Ids and filters cannot reach another endpoint' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $Emulator
        Connect-Emulator
    }

    It '<Command> refuses -Id <Scenario> before sending anything' -TestCases @(
        foreach ($command in 'Get-IntuneVppToken', 'Set-IntuneVppToken') {
            @{ Command = $command; Scenario = "'../../me'"; Value = '../../me' }
            @{ Command = $command; Scenario = "'..%2F..%2Fme'"; Value = '..%2F..%2Fme' }
            @{ Command = $command; Scenario = "'x?`$top=1'"; Value = 'x?$top=1' }
            @{ Command = $command; Scenario = 'with a newline'; Value = "x`n" }
            @{ Command = $command; Scenario = "'x#y'"; Value = 'x#y' }
            @{ Command = $command; Scenario = 'a GUID with a path after it'; Value = '0f5d8d4b-3c1e-4b7a-a2d4-6e9f1b2c3d4e/../../me' }
            @{ Command = $command; Scenario = 'a GUID with a query after it'; Value = '0f5d8d4b-3c1e-4b7a-a2d4-6e9f1b2c3d4e?$select=token' }
        }
    ) {
        $parameters = @{ Id = $Value; ErrorVariable = 'failures'; ErrorAction = 'SilentlyContinue' }
        if ($Command -eq 'Set-IntuneVppToken') { $parameters.CountryOrRegion = 'gb' }

        $result = @(& $Command @parameters)

        $result.Count | Should -Be 0
        @(Get-LoggedRequest).Count | Should -Be 0 -Because 'nothing may be sent for an id that is not a GUID'
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidVppTokenId,*'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[0].TargetObject | Should -BeExactly $Value
        $failures[0].ToString() | Should -Not -Match "`n" -Because 'control characters are not echoed'
    }

    It 'sends -Filter <Scenario> only as the $filter value' -TestCases @(
        @{ Scenario = 'with &$top=1'; Filter = "state eq 'valid'&`$top=1"; Raw = '$filter=state%20eq%20%27valid%27%26%24top%3D1' }
        @{ Scenario = 'with #frag'; Filter = 'x#frag'; Raw = '$filter=x%23frag' }
        @{ Scenario = 'with ?, / and ..'; Filter = "x eq '?a=b/../../me'"; Raw = $null }
    ) {
        Get-IntuneVppToken -Filter $Filter -ErrorAction SilentlyContinue | Out-Null

        $requests = @(Get-LoggedRequest)
        $requests.Count | Should -Be 1
        $requests[0].method | Should -Be 'GET'
        $path, $query = $requests[0].path -split '\?', 2
        $path | Should -BeExactly $CollectionPath
        $pairs = @($query -split '&')
        $pairs.Count | Should -Be 1 -Because 'the filter adds no query parameter of its own'
        $name, $value = $pairs[0] -split '=', 2
        $name | Should -BeExactly '$filter'
        [uri]::UnescapeDataString($value) | Should -BeExactly $Filter
        $value | Should -Not -Match "[#&?/' ]" -Because 'the value is percent-encoded on the wire'
        if ($Raw) { $query | Should -BeExactly $Raw }
    }
}

Describe 'Bad input is refused before anything is sent' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $Emulator
        Connect-Emulator
    }

    It 'refuses <Scenario>' -TestCases @(
        @{ Scenario = 'an invalid enum (-State bogus)'; Parameters = @{ Id = $null; State = 'bogus' }; ErrorId = 'ParameterArgumentValidationError'; Names = 'State' }
        @{ Scenario = 'an invalid account type'; Parameters = @{ Id = $null; VppTokenAccountType = 'personal' }; ErrorId = 'ParameterArgumentValidationError'; Names = 'VppTokenAccountType' }
        @{ Scenario = 'an unparseable date'; Parameters = @{ Id = $null; ExpirationDateTime = 'not-a-date' }; ErrorId = 'CannotConvertArgumentNoMessage'; Names = 'ExpirationDateTime' }
        @{ Scenario = '-Id with -InputObject'; Parameters = @{ Id = $null; InputObject = 'token'; CountryOrRegion = 'gb' }; ErrorId = 'AmbiguousParameterSet'; Names = $null }
        @{ Scenario = 'nothing to change'; Parameters = @{ Id = $null }; ErrorId = 'NothingToChange'; Names = 'CountryOrRegion' }
        @{ Scenario = 'an empty -Id'; Parameters = @{ Id = ''; CountryOrRegion = 'gb' }; ErrorId = 'ParameterArgumentValidationError'; Names = 'Id' }
    ) {
        $token = Get-IntuneVppToken -Id $Id -ErrorAction Stop
        Clear-GraphEmulatorRequest -Emulator $Emulator
        $arguments = @{}
        foreach ($key in $Parameters.Keys) { $arguments[$key] = $Parameters[$key] }
        if ($null -eq $arguments['Id']) { $arguments['Id'] = $Id }
        if ($arguments.ContainsKey('InputObject')) { $arguments['InputObject'] = $token }

        $thrown = { Set-IntuneVppToken @arguments } | Should -Throw -PassThru -ErrorId "$ErrorId,IntuneVpp.Commands.Tokens.SetIntuneVppTokenCommand"

        if ($Names) { $thrown.ToString() | Should -Match $Names -Because 'the error names the parameter to fix' }
        @(Get-LoggedRequest).Count | Should -Be 0
    }

    It 'refuses an empty -Filter' {
        { Get-IntuneVppToken -Filter '' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,IntuneVpp.Commands.Tokens.GetIntuneVppTokenCommand'
        @(Get-LoggedRequest).Count | Should -Be 0
    }
}
