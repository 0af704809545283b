#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# How the module holds up when Graph throttles, fails, hangs or answers nonsense: retries and their caps, pacing of
# writes, Ctrl+C, and the error records a caller gets. Every assertion is on what reached the emulator (its request
# log) and on what the cmdlet wrote (output, -ErrorVariable, verbose records). Waits are kept to tenths of a second;
# elapsed times are checked from below only (a slow machine must not fail them), except where a run must not have
# waited a long Retry-After.

BeforeDiscovery {
    # Every key in every case, so the build's Set-StrictMode -Version Latest never meets an unset variable.
    function New-ErrorCase {
        param([hashtable] $Case)
        $full = @{ Json = $null; Body = $null; ContentType = $null; Tries = 1; Says = $null }
        foreach ($key in $Case.Keys) { $full[$key] = $Case[$key] }
        $full
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Emulator = Start-VppTokenTest
    $script:AccessToken = ConvertTo-SecureString $TestAccessTokenText -AsPlainText -Force
    # The default tenant of tests/GraphEmulator/seed.json and its four tokens.
    $script:TenantId = '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f'
    $script:SeedIds = @(
        '0f5d8d4b-3c1e-4b7a-a2d4-6e9f1b2c3d4e'
        '7a2b9c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d'
        'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f'
        'e9f8a7b6-c5d4-4e3f-9a2b-1c0d9e8f7a6b'
    )
    $script:Id = $SeedIds[0]
    $script:ItemPath = "/v1.0/deviceAppManagement/vppTokens/$Id"
    $script:CollectionPath = '/v1.0/deviceAppManagement/vppTokens'
    $script:ThrottledBody = @{ error = @{ code = 'TooManyRequests'; message = 'Too many requests.' } }

    function Connect-Emulator {
        param([hashtable] $With = @{})
        Connect-IntuneVpp -AccessToken $AccessToken -GraphEndpoint $Emulator.Uri -RequestTimeout 00:00:02 @With -ErrorAction Stop
    }

    function Get-LoggedRequest {
        param([string] $Method, [string] $Path)
        $filter = @{ Emulator = $Emulator }
        if ($Method) { $filter.Method = $Method }
        if ($Path) { $filter.Path = $Path }
        @(Get-GraphEmulatorRequest @filter)
    }

    function Get-ReplayedRequest {
        # The log holds requests, not answers: a retry shows as the same client-request-id sent more than once.
        param([object[]] $Requests)
        $Requests | Group-Object { $_.headers.'client-request-id' } | Where-Object Count -GT 1
    }

    # A message fit for a person: says the status, and is no .NET exception text or stack trace.
    function Assert-PlainMessage {
        param([System.Management.Automation.ErrorRecord] $Record, [string] $Status)
        $message = $Record.ToString()
        $message | Should -Not -BeNullOrEmpty
        if ($Status) { $message | Should -Match "\b$Status\b" -Because 'the message states the HTTP status' }
        $message | Should -Not -Match 'System\.' -Because 'no .NET type name belongs in the message'
        $message | Should -Not -Match 'NullReference|JsonException|JsonReaderException|InvalidDataException|Object reference not set'
        $message | Should -Not -Match "'<' is an invalid start|Expected depth to be zero|LineNumber:|BytePositionInLine"
        $message | Should -Not -Match '(?m)^\s*at [\w.<>`]+\(' -Because 'no stack trace belongs in the message'
    }
}

AfterAll {
    Stop-VppTokenTest
    Remove-Module VppToken -Force -ErrorAction SilentlyContinue
}

Describe 'Retries' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $Emulator
        Connect-Emulator
    }

    It 'retries <Scenario> and writes one result' -TestCases @(
        @{ Scenario = '429 then 200'; Answers = @(@{ status = 429; headers = @{ 'Retry-After' = '0.2' }; json = @{ error = @{ code = 'TooManyRequests'; message = 'Slow down.' } } }); MinSeconds = 0.15 }
        @{ Scenario = '503 then 200'; Answers = @(@{ status = 503; headers = @{ 'Retry-After' = '0.2' }; json = @{ error = @{ code = 'ServiceUnavailable'; message = 'Try later.' } } }); MinSeconds = 0.15 }
        @{ Scenario = '504 then 200'; Answers = @(@{ status = 504; headers = @{ 'Retry-After' = '0.2' }; json = @{ error = @{ code = 'GatewayTimeout'; message = 'Timed out.' } } }); MinSeconds = 0.15 }
        @{ Scenario = '429, 503 then 200'; Answers = @(
                @{ status = 429; headers = @{ 'Retry-After' = '0.2' } }
                @{ status = 503; headers = @{ 'Retry-After' = '0.2' } }); MinSeconds = 0.35 }
    ) {
        Add-GraphEmulatorScript -Emulator $Emulator -Method PATCH -Path $ItemPath -Response $Answers

        $clock = [Diagnostics.Stopwatch]::StartNew()
        $result = @(Set-IntuneVppToken -Id $Id -CountryOrRegion 'gb' -PassThru -ErrorVariable failures)
        $clock.Stop()

        $failures | Should -BeNullOrEmpty
        $result.Count | Should -Be 1
        $result[0].Id | Should -Be $Id
        $result[0].CountryOrRegion | Should -Be 'gb'
        $patches = @(Get-LoggedRequest -Method PATCH -Path $ItemPath)
        $patches.Count | Should -Be (@($Answers).Count + 1)
        # The same request is sent again, body and all.
        @($patches.body | Select-Object -Unique).Count | Should -Be 1
        $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual $MinSeconds
    }

    It 'waits what Retry-After asks for when it is <Scenario>' -TestCases @(
        @{ Scenario = 'whole seconds (1)'; Value = '1'; MinSeconds = 0.9; MaxSeconds = $null }
        @{ Scenario = 'fractional seconds (0.3)'; Value = '0.3'; MinSeconds = 0.25; MaxSeconds = $null }
        # Above the module's own first backoff (0.5-1.0 s), so a header that was ignored cannot pass for one that was read.
        @{ Scenario = 'an HTTP date about 2 s ahead'; Value = 'http-date'; MinSeconds = 2; MaxSeconds = $null }
        @{ Scenario = 'a list (0.2,120): the first entry'; Value = '0.2,120'; MinSeconds = 0.15; MaxSeconds = 10 }
        # The module's first backoff step is half to all of 1 s: never less than 0.5 s.
        @{ Scenario = 'missing (own backoff)'; Value = $null; MinSeconds = 0.5; MaxSeconds = $null }
    ) {
        # Started before the date is written, so the wait up to that date is all inside the time measured.
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $headers = @{}
        if ($Value -eq 'http-date') {
            # HTTP dates have whole seconds: three seconds ahead, truncated, is still at least two seconds ahead.
            $headers['Retry-After'] = [DateTimeOffset]::UtcNow.AddSeconds(3).ToString('r', [Globalization.CultureInfo]::InvariantCulture)
        }
        elseif ($Value) {
            $headers['Retry-After'] = $Value
        }
        Add-GraphEmulatorScript -Emulator $Emulator -Method PATCH -Path $ItemPath -Response @{ status = 429; headers = $headers; json = $ThrottledBody }

        $result = @(Set-IntuneVppToken -Id $Id -AutomaticallyUpdateApps $false -PassThru -ErrorVariable failures)
        $clock.Stop()

        $failures | Should -BeNullOrEmpty
        $result.Count | Should -Be 1
        @(Get-LoggedRequest -Method PATCH -Path $ItemPath).Count | Should -Be 2
        $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual $MinSeconds
        if ($MaxSeconds) {
            $clock.Elapsed.TotalSeconds | Should -BeLessThan $MaxSeconds -Because 'only the first entry of a list counts, not its 120 s'
        }
    }
}

Describe 'Caps on retrying' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $Emulator
    }

    It 'stops after -MaxRetries 2: three tries, one GraphThrottled error' {
        Connect-Emulator -With @{ MaxRetries = 2 }
        $forever = 1..10 | ForEach-Object { @{ status = 429; headers = @{ 'Retry-After' = '0.1' }; json = $ThrottledBody } }
        Add-GraphEmulatorScript -Emulator $Emulator -Method PATCH -Path $ItemPath -Response $forever

        $result = @(Set-IntuneVppToken -Id $Id -CountryOrRegion 'gb' -PassThru -ErrorVariable failures -ErrorAction SilentlyContinue)

        $result.Count | Should -Be 0
        @(Get-LoggedRequest -Method PATCH -Path $ItemPath).Count | Should -Be 3
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GraphThrottled,*'
        $failures[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $failures[0].TargetObject | Should -Be $Id
        Get-ErrorText $failures[0] | Should -Match 'gave up after 3 tries'
        Assert-PlainMessage -Record $failures[0] -Status 429
    }

    It 'gives up at once when Retry-After (120 s) is more than -MaxRetryWait allows' {
        Connect-Emulator -With @{ MaxRetryWait = [TimeSpan]::FromSeconds(1) }
        Add-GraphEmulatorScript -Emulator $Emulator -Method PATCH -Path $ItemPath -Response @{ status = 429; headers = @{ 'Retry-After' = '120' }; json = $ThrottledBody }

        $clock = [Diagnostics.Stopwatch]::StartNew()
        $output = @(Set-IntuneVppToken -Id $Id -CountryOrRegion 'gb' -PassThru -ErrorVariable failures -ErrorAction SilentlyContinue -Verbose 4>&1)
        $clock.Stop()

        $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
        @(Get-LoggedRequest -Method PATCH -Path $ItemPath).Count | Should -Be 1
        @($output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Count | Should -Be 0
        ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message |
            Should -Contain 'Graph answered 429 Too Many Requests; giving up after 1 tries: waiting 120 s more would pass the 1 s total wait allowed.'
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GraphThrottled,*'
        $failures[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
        Assert-PlainMessage -Record $failures[0] -Status 429
        # The error itself, not only -Verbose, must say why nothing was retried and what to change.
        Get-ErrorText $failures[0] | Should -Match 'MaxRetryWait' -Because 'a caller without -Verbose must learn that the wait cap, not the server, ended the request'
    }

    It 'honours a Retry-After (3 s) longer than -RequestTimeout (2 s)' {
        Connect-Emulator
        Add-GraphEmulatorScript -Emulator $Emulator -Method PATCH -Path $ItemPath -Response @{ status = 429; headers = @{ 'Retry-After' = '3' }; json = $ThrottledBody }

        $clock = [Diagnostics.Stopwatch]::StartNew()
        $result = @(Set-IntuneVppToken -Id $Id -CountryOrRegion 'gb' -PassThru -ErrorVariable failures)
        $clock.Stop()

        $failures | Should -BeNullOrEmpty
        $result.Count | Should -Be 1
        @(Get-LoggedRequest -Method PATCH -Path $ItemPath).Count | Should -Be 2
        $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 2.9
    }
}

Describe 'Dropped connections and silence' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $Emulator
    }

    It 'sends a PATCH again after <Scenario> and succeeds' -TestCases @(
        @{ Scenario = 'a reset connection'; Fault = @{ fault = 'reset' } }
        @{ Scenario = 'a connection reset in the middle of the body'; Fault = @{ status = 200; fault = 'reset-mid-body' } }
        @{ Scenario = 'no answer within -RequestTimeout (hang)'; Fault = @{ fault = 'hang' } }
    ) {
        Connect-Emulator -With @{ RequestTimeout = [TimeSpan]::FromSeconds(1) }
        Add-GraphEmulatorScript -Emulator $Emulator -Method PATCH -Path $ItemPath -Response $Fault

        $result = @(Set-IntuneVppToken -Id $Id -CountryOrRegion 'gb' -PassThru -ErrorVariable failures)

        $failures | Should -BeNullOrEmpty
        $result.Count | Should -Be 1
        $result[0].CountryOrRegion | Should -Be 'gb'
        @(Get-LoggedRequest -Method PATCH -Path $ItemPath).Count | Should -Be 2
    }

    It 'ends with GraphNoAnswer in bounded time when every try hangs' {
        Connect-Emulator -With @{ RequestTimeout = [TimeSpan]::FromSeconds(1); MaxRetries = 1 }
        Add-GraphEmulatorScript -Emulator $Emulator -Method PATCH -Path $ItemPath -Response @(@{ fault = 'hang' }, @{ fault = 'hang' }, @{ fault = 'hang' })

        $clock = [Diagnostics.Stopwatch]::StartNew()
        $result = @(Set-IntuneVppToken -Id $Id -CountryOrRegion 'gb' -PassThru -ErrorVariable failures -ErrorAction SilentlyContinue)
        $clock.Stop()

        $result.Count | Should -Be 0
        @(Get-LoggedRequest -Method PATCH -Path $ItemPath).Count | Should -Be 2
        $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 1.9
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GraphNoAnswer,*'
        $failures[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $failures[0].TargetObject | Should -Be $Id
        $failures[0].ToString() | Should -Match 'no answer'
        $failures[0].ToString() | Should -Match '2 tries'
        Assert-PlainMessage -Record $failures[0]
    }
}

Describe 'A create is never sent twice (client level)' {
    BeforeAll {
        # No cmdlet creates a token yet, so the rule is driven through the client the connection holds, by reflection
        # on its internal SendAsync; if that signature changes this block fails loudly rather than passing.
        function Send-GraphRequest {
            param([string] $Method, [string] $Path, [string] $Body, [bool] $Replayable)
            $connection = Get-IntuneVppContext
            $flags = [Reflection.BindingFlags]'NonPublic, Instance'
            $client = $connection.GetType().GetProperty('Client', $flags).GetValue($connection)
            $send = $client.GetType().GetMethod('SendAsync', $flags)
            $parameters = $send.GetParameters()
            $requestMethod = $parameters[0].ParameterType::Parse($Method)
            $log = $parameters[5].ParameterType.Assembly.GetType('IntuneVpp.Client.Diagnostics.NullGraphLog')::Instance
            $bytes = [Text.Encoding]::UTF8.GetBytes($Body)
            $task = $send.Invoke($client, @($requestMethod, [uri]::new($Emulator.Uri, $Path), $bytes, $true, $Replayable, $log, [Threading.CancellationToken]::None))
            try {
                $null = $task.GetAwaiter().GetResult()
                $null
            }
            catch {
                $e = $_.Exception
                while ($e -and $e.GetType().Name -ne 'GraphException') { $e = $e.InnerException }
                $e
            }
        }
        $script:NewTokenBody = '{"@odata.type":"#microsoft.graph.vppToken","token":"bmV3LXRva2Vu","countryOrRegion":"us"}'
    }

    BeforeEach {
        Reset-GraphEmulator -Emulator $Emulator
        Connect-Emulator -With @{ RequestTimeout = [TimeSpan]::FromSeconds(1) }
    }

    It 'sends a POST once after <Scenario>, and says it was not sent again' -TestCases @(
        @{ Scenario = 'a reset connection'; Fault = @{ fault = 'reset' }; Kind = 'NoAnswer' }
        @{ Scenario = 'a reset in the middle of the body'; Fault = @{ status = 201; fault = 'reset-mid-body' }; Kind = 'NoAnswer' }
        @{ Scenario = 'no answer within the timeout'; Fault = @{ fault = 'hang' }; Kind = 'NoAnswer' }
        @{ Scenario = '504 Gateway Timeout'; Fault = @{ status = 504; headers = @{ 'Retry-After' = '0.1' }; json = @{ error = @{ code = 'GatewayTimeout'; message = 'Timed out.' } } }; Kind = 'GatewayTimeout' }
    ) {
        Add-GraphEmulatorScript -Emulator $Emulator -Method POST -Path $CollectionPath -Response $Fault

        $failure = Send-GraphRequest -Method POST -Path $CollectionPath -Body $NewTokenBody -Replayable $false

        $failure | Should -Not -BeNullOrEmpty -Because 'the create had no usable answer'
        "$($failure.Kind)" | Should -Be $Kind
        @(Get-LoggedRequest -Method POST -Path $CollectionPath).Count | Should -Be 1 -Because 'a replayed create could make a duplicate'
        $failure.Message | Should -Match 'not sent again.*check whether it took effect' -Because 'a 504 may have been applied as much as a timeout'
    }

    It 'still sends a POST again after 429 (the server did not apply it)' {
        Add-GraphEmulatorScript -Emulator $Emulator -Method POST -Path $CollectionPath -Response @{ status = 429; headers = @{ 'Retry-After' = '0.1' }; json = $ThrottledBody }

        $failure = Send-GraphRequest -Method POST -Path $CollectionPath -Body $NewTokenBody -Replayable $false

        $failure | Should -BeNullOrEmpty
        @(Get-LoggedRequest -Method POST -Path $CollectionPath).Count | Should -Be 2
    }
}

Describe 'Ctrl+C' {
    BeforeAll {
        # A runspace of its own, connected, so that PowerShell.Stop() is exactly what Ctrl+C does to a pipeline.
        function Invoke-Stopped {
            param([scriptblock] $Work, [int] $SettleMilliseconds = 1000)
            $runspace = [runspacefactory]::CreateRunspace()
            $runspace.Open()
            $shell = [powershell]::Create()
            $shell.Runspace = $runspace
            try {
                $null = $shell.AddScript({
                        param($Uri)
                        Import-Module VppToken
                        Connect-IntuneVpp -AccessToken (ConvertTo-SecureString 'pester-token' -AsPlainText -Force) -GraphEndpoint $Uri `
                            -RequestTimeout 00:00:30 -ErrorAction Stop
                    }).AddArgument($Emulator.Uri).Invoke()
                $shell.Commands.Clear()
                $null = $shell.AddScript($Work).AddArgument($SeedIds[0])
                $pending = $shell.BeginInvoke()
                Start-Sleep -Milliseconds $SettleMilliseconds
                $runningBeforeStop = -not $pending.IsCompleted
                $sentBeforeStop = @(Get-LoggedRequest).Count
                $clock = [Diagnostics.Stopwatch]::StartNew()
                $shell.Stop()
                $clock.Stop()
                Start-Sleep -Milliseconds 600
                [pscustomobject]@{
                    RunningBeforeStop = $runningBeforeStop
                    SentBeforeStop    = $sentBeforeStop
                    SentAfterStop     = @(Get-LoggedRequest).Count
                    StopSeconds       = $clock.Elapsed.TotalSeconds
                    State             = $shell.InvocationStateInfo.State
                }
            }
            finally {
                $shell.Dispose()
                $runspace.Dispose()
            }
        }
    }

    BeforeEach {
        Reset-GraphEmulator -Emulator $Emulator
    }

    It 'stops at once while <Scenario>' -TestCases @(
        @{ Scenario = 'waiting out a Retry-After of 60 s'; Setup = {
                Add-GraphEmulatorScript -Emulator $Emulator -Method PATCH -Path $ItemPath -Response @{ status = 429; headers = @{ 'Retry-After' = '60' }; json = $ThrottledBody }
            }; Work = { param($Id) Set-IntuneVppToken -Id $Id -CountryOrRegion 'gb' -PassThru }; MinSent = 1
        }
        @{ Scenario = 'a request hangs'; Setup = {
                Add-GraphEmulatorScript -Emulator $Emulator -Method PATCH -Path $ItemPath -Response @{ fault = 'hang' }
            }; Work = { param($Id) Set-IntuneVppToken -Id $Id -CountryOrRegion 'gb' -PassThru }; MinSent = 1
        }
        @{ Scenario = 'paging slowly through a long list'; Setup = {
                $pages = 1..20 | ForEach-Object {
                    @{ status = 200; delayMs = 300; json = @{
                            '@odata.context'  = "$($Emulator.Uri)v1.0/`$metadata#deviceAppManagement/vppTokens"
                            value             = @(@{ id = [guid]::NewGuid().ToString(); organizationName = "Page $_" })
                            '@odata.nextLink' = "$($Emulator.Uri)v1.0/deviceAppManagement/vppTokens?`$skiptoken=$_"
                        }
                    }
                }
                Add-GraphEmulatorScript -Emulator $Emulator -Method GET -Path $CollectionPath -Response $pages
            }; Work = { Get-IntuneVppToken }; MinSent = 2
        }
    ) {
        & $Setup

        $run = Invoke-Stopped -Work $Work

        $run.RunningBeforeStop | Should -BeTrue -Because 'the work must still be waiting when it is stopped'
        $run.SentBeforeStop | Should -BeGreaterOrEqual $MinSent
        $run.StopSeconds | Should -BeLessThan 2
        "$($run.State)" | Should -Be 'Stopped'
        $run.SentAfterStop | Should -Be $run.SentBeforeStop -Because 'nothing more is sent once stopped'
    }
}

Describe '-Verbose' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $Emulator
        Connect-Emulator
    }

    It 'tells each wait: status, wait, attempt n of m and request-id' {
        Add-GraphEmulatorScript -Emulator $Emulator -Method PATCH -Path $ItemPath -Response @(
            @{ status = 429; headers = @{ 'Retry-After' = '0.2'; 'request-id' = 'rid-throttled' }; json = $ThrottledBody }
            @{ status = 503; headers = @{ 'Retry-After' = '0.1'; 'request-id' = 'rid-unavailable' }; json = @{ error = @{ code = 'ServiceUnavailable'; message = 'Later.' } } }
        )

        $output = @(Set-IntuneVppToken -Id $Id -CountryOrRegion 'gb' -PassThru -Verbose 4>&1)

        @($output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Count | Should -Be 1
        $verbose = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $verbose | Should -Contain 'Graph answered 429 Too Many Requests; waiting 0.2 s before attempt 2 of 6 (request-id rid-throttled).'
        $verbose | Should -Contain 'Graph answered 503 Service Unavailable; waiting 0.1 s before attempt 3 of 6 (request-id rid-unavailable).'
        @($verbose | Where-Object { $_ -match 'waiting .* before attempt' }).Count | Should -Be 2
    }
}

Describe 'Pacing of writes' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $Emulator
        $null = Set-GraphEmulatorSetting -Emulator $Emulator -Settings @{ writeQuota = @{ limit = 5; windowMs = 1000; retryAfter = 'fractional' } }
        $script:TwentyIds = @(1..5 | ForEach-Object { $SeedIds })
    }

    It 'keeps 20 writes under 5 per second: no 429, all 20 done, about 3 s' {
        Connect-Emulator -With @{ WriteLimit = 5; WriteWindow = [TimeSpan]::FromSeconds(1) }

        $clock = [Diagnostics.Stopwatch]::StartNew()
        $result = @($TwentyIds | Set-IntuneVppToken -CountryOrRegion 'gb' -PassThru -ErrorVariable failures)
        $clock.Stop()

        $failures | Should -BeNullOrEmpty
        $result.Count | Should -Be 20
        $result.Id | Should -Be $TwentyIds
        $patches = @(Get-LoggedRequest -Method PATCH)
        $patches.Count | Should -Be 20 -Because 'a paced write is never throttled, so never sent twice'
        $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 2.8
    }

    It 'does not slow a handful of writes' {
        Connect-Emulator -With @{ WriteLimit = 5; WriteWindow = [TimeSpan]::FromSeconds(5) }

        $clock = [Diagnostics.Stopwatch]::StartNew()
        $result = @($SeedIds[0..2] | Set-IntuneVppToken -CountryOrRegion 'gb' -PassThru)
        $clock.Stop()

        $result.Count | Should -Be 3
        @(Get-LoggedRequest -Method PATCH).Count | Should -Be 3
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 2 -Because 'three writes are well under five per 5 s'
    }

    It 'without pacing (-WriteLimit 0) is throttled, and retries still finish all 20' {
        Connect-Emulator -With @{ WriteLimit = 0 }

        $result = @($TwentyIds | Set-IntuneVppToken -CountryOrRegion 'gb' -PassThru -ErrorVariable failures)

        $failures | Should -BeNullOrEmpty
        $result.Count | Should -Be 20
        $patches = @(Get-LoggedRequest -Method PATCH)
        $patches.Count | Should -BeGreaterThan 20 -Because 'the quota answered 429 and the throttled writes were sent again'
        @(Get-ReplayedRequest -Requests $patches).Count | Should -BeGreaterThan 0
    }
}

Describe 'Error records' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $Emulator
        Connect-Emulator -With @{ MaxRetries = 1 }
    }

    It 'writes one <ErrorId> (<Category>) for <Scenario>' -TestCases @(
        (New-ErrorCase @{ Scenario = '400'; Status = 400; Json = @{ error = @{ code = 'BadRequest'; message = 'Bad.' } }; ErrorId = 'GraphBadRequest'; Category = 'InvalidArgument'; Tries = 1 })
        (New-ErrorCase @{ Scenario = '401'; Status = 401; Json = @{ error = @{ code = 'InvalidAuthenticationToken'; message = 'Access token has expired.' } }; ErrorId = 'GraphUnauthorized'; Category = 'AuthenticationError'; Tries = 1 })
        (New-ErrorCase @{ Scenario = '403'; Status = 403; Json = @{ error = @{ code = 'Forbidden'; message = 'Denied.' } }; ErrorId = 'GraphForbidden'; Category = 'PermissionDenied'; Tries = 1 })
        (New-ErrorCase @{ Scenario = '404'; Status = 404; Json = @{ error = @{ code = 'ResourceNotFound'; message = 'Not found.' } }; ErrorId = 'GraphNotFound'; Category = 'ObjectNotFound'; Tries = 1 })
        (New-ErrorCase @{ Scenario = '409'; Status = 409; Json = @{ error = @{ code = 'Conflict'; message = 'Conflict.' } }; ErrorId = 'GraphConflict'; Category = 'ResourceExists'; Tries = 1 })
        (New-ErrorCase @{ Scenario = '412'; Status = 412; Json = @{ error = @{ code = 'PreconditionFailed'; message = 'Changed.' } }; ErrorId = 'GraphPreconditionFailed'; Category = 'InvalidOperation'; Tries = 1 })
        (New-ErrorCase @{ Scenario = '429 after the last retry'; Status = 429; Json = @{ error = @{ code = 'TooManyRequests'; message = 'Too many requests.' } }; ErrorId = 'GraphThrottled'; Category = 'LimitsExceeded'; Tries = 2 })
        (New-ErrorCase @{ Scenario = '500'; Status = 500; Json = @{ error = @{ code = 'UnknownError'; message = '' } }; ErrorId = 'GraphServerError'; Category = 'ProtocolError'; Tries = 1 })
        (New-ErrorCase @{ Scenario = '502'; Status = 502; Json = @{ error = @{ code = 'BadGateway'; message = 'Bad gateway.' } }; ErrorId = 'GraphServerError'; Category = 'ProtocolError'; Tries = 1 })
        (New-ErrorCase @{ Scenario = '503 after the last retry'; Status = 503; Json = @{ error = @{ code = 'ServiceUnavailable'; message = 'Later.' } }; ErrorId = 'GraphServiceUnavailable'; Category = 'ResourceUnavailable'; Tries = 2 })
        (New-ErrorCase @{ Scenario = '504 after the last retry'; Status = 504; Json = @{ error = @{ code = 'GatewayTimeout'; message = 'Timed out.' } }; ErrorId = 'GraphGatewayTimeout'; Category = 'ResourceUnavailable'; Tries = 2 })
        (New-ErrorCase @{ Scenario = 'a proxy''s HTML page (502)'; Status = 502; Body = '<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>'; ContentType = 'text/html'; ErrorId = 'GraphServerError'; Category = 'ProtocolError'; Tries = 1; Says = 'HTML' })
        (New-ErrorCase @{ Scenario = 'an HTML page with 200'; Status = 200; Body = '<html><body>Sign in to the proxy</body></html>'; ContentType = 'text/html; charset=utf-8'; ErrorId = 'GraphInvalidResponse'; Category = 'InvalidResult'; Tries = 1; Says = 'HTML' })
        (New-ErrorCase @{ Scenario = 'an empty body (500)'; Status = 500; Body = ''; ErrorId = 'GraphServerError'; Category = 'ProtocolError'; Tries = 1; Says = 'no body' })
        (New-ErrorCase @{ Scenario = 'an empty body (200)'; Status = 200; Body = ''; ErrorId = 'GraphInvalidResponse'; Category = 'InvalidResult'; Tries = 1 })
        (New-ErrorCase @{ Scenario = 'truncated error JSON (400)'; Status = 400; Body = '{"error":{"code":"BadRequest","mess'; ErrorId = 'GraphBadRequest'; Category = 'InvalidArgument'; Tries = 1; Says = 'not valid JSON' })
        (New-ErrorCase @{ Scenario = 'truncated JSON (200)'; Status = 200; Body = '{"id":"0f5d8d4b-3c1e-4b7a-a2d4-6e9f1b2c3d4e","organizationN'; ErrorId = 'GraphInvalidResponse'; Category = 'InvalidResult'; Tries = 1; Says = 'not valid JSON' })
        (New-ErrorCase @{ Scenario = 'a JSON array (200 [])'; Status = 200; Body = '[]'; ErrorId = 'GraphInvalidResponse'; Category = 'InvalidResult'; Tries = 1 })
        (New-ErrorCase @{ Scenario = 'a wrong-shape object (200 {"value": 5})'; Status = 200; Body = '{"value": 5}'; ErrorId = 'GraphInvalidResponse'; Category = 'InvalidResult'; Tries = 1 })
        (New-ErrorCase @{ Scenario = 'a wrongly typed id (200 {"id": 5})'; Status = 200; Body = '{"id": 5}'; ErrorId = 'GraphInvalidResponse'; Category = 'InvalidResult'; Tries = 1 })
        (New-ErrorCase @{ Scenario = 'an error object that is not Graph''s (400 {"message": "x"})'; Status = 400; Body = '{"message":"nope"}'; ErrorId = 'GraphBadRequest'; Category = 'InvalidArgument'; Tries = 1 })
    ) {
        $answer = @{ status = $Status; headers = @{ 'Retry-After' = '0.1' } }
        if ($null -ne $Json) { $answer.json = $Json } else { $answer.body = $Body }
        if ($ContentType) { $answer.headers['Content-Type'] = $ContentType }
        # One answer more than the tries allowed: a retry that should not happen would reach the spare one.
        Add-GraphEmulatorScript -Emulator $Emulator -Method GET -Path $ItemPath -Response @(1..($Tries + 1) | ForEach-Object { $answer })

        $result = @(Get-IntuneVppToken -Id $Id -ErrorVariable failures -ErrorAction SilentlyContinue)

        $result.Count | Should -Be 0
        @(Get-LoggedRequest -Method GET -Path $ItemPath).Count | Should -Be $Tries
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be "$ErrorId,IntuneVpp.Commands.Tokens.GetIntuneVppTokenCommand"
        $failures[0].CategoryInfo.Category | Should -Be $Category
        $failures[0].TargetObject | Should -Be $Id
        Assert-PlainMessage -Record $failures[0] -Status $Status
        if ($Says) { $failures[0].ToString() | Should -Match $Says }
    }
}

Describe 'Nothing lost in a pipeline' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $Emulator
        Connect-Emulator
    }

    It 'writes 8 results and 2 errors for 10 ids: 2 missing, 3 throttled then done' {
        $present = @(1..8 | ForEach-Object { [guid]::NewGuid().ToString() })
        Set-GraphEmulatorTenant -Emulator $Emulator -TenantId $TenantId -VppToken @($present | ForEach-Object {
                @{ id = $_; organizationName = "Org $_"; vppTokenAccountType = 'business'; expirationDateTime = '+30d' }
            })
        $missing = @([guid]::NewGuid().ToString(), [guid]::NewGuid().ToString())
        $ids = @($present[0], $missing[0], $present[1..4], $missing[1], $present[5..7]) | ForEach-Object { $_ }
        foreach ($throttled in $present[1], $present[3], $present[6]) {
            Add-GraphEmulatorScript -Emulator $Emulator -Method PATCH -Path "$CollectionPath/$throttled" -Response @{ status = 429; headers = @{ 'Retry-After' = '0.1' }; json = $ThrottledBody }
        }

        $result = @($ids | Set-IntuneVppToken -CountryOrRegion 'gb' -PassThru -ErrorVariable failures -ErrorAction SilentlyContinue)

        $result.Count | Should -Be 8
        $result.Id | Should -Be $present
        $failures.Count | Should -Be 2
        $failures.TargetObject | Should -Be $missing
        $failures | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'GraphNotFound,*' }
        @(Get-LoggedRequest -Method PATCH).Count | Should -Be 13
    }
}
