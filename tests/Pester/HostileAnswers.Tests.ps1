#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Broken and hostile answers from Graph, scripted through the emulator (raw bytes, answers repeated forever): paging
# that never ends or leaves the listing, bodies that are not UTF-8, values too long to hold, megabytes of text, answers
# about another token, and failures after a change was made. In a pipeline every item ends as exactly one result or
# one error record and the next item is still sent; a create is never sent twice. Every assertion is on the emulator's
# request log and on the records the cmdlets wrote.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GraphEmulator.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TokenFiles.psm1') -Force
    Import-Module VppToken -Force -ErrorAction Stop

    $script:Emulator = Start-GraphEmulator
    $script:CollectionPath = '/v1.0/deviceAppManagement/vppTokens'
    $script:Ids = @($SeedTokenId.Contoso, $SeedTokenId.Fabrikam, $SeedTokenId.Retail)
    $script:Middle = $Ids[1]

    function Connect-Emulator {
        param([hashtable] $With = @{})
        Connect-IntuneVpp -AccessToken (ConvertTo-SecureString 'pester-token' -AsPlainText -Force) -GraphEndpoint $Emulator.Uri `
            -RequestTimeout 00:00:02 -MaxRetries 1 @With -ErrorAction Stop
    }

    function Get-LoggedRequest {
        param([string] $Method, [string] $Path)
        $filter = @{ Emulator = $Emulator }
        if ($Method) { $filter.Method = $Method }
        if ($Path) { $filter.Path = $Path }
        , @(Get-GraphEmulatorRequest @filter)
    }

    # '{"id":"<id>","organizationName":"' 0xFF 0xFE '"}': well-formed JSON around two bytes no UTF-8 text holds.
    function ConvertTo-InvalidUtf8Base64 {
        param([string] $Prefix, [string] $Suffix = '"}')
        $bytes = [Text.Encoding]::UTF8.GetBytes($Prefix) + [byte[]](0xFF, 0xFE) + [Text.Encoding]::UTF8.GetBytes($Suffix)
        [Convert]::ToBase64String([byte[]]$bytes)
    }

    function New-ListAnswer {
        param([object[]] $Tokens = @(), $NextLink, [switch] $Forever)
        $json = [ordered]@{ value = @($Tokens) }
        if ($PSBoundParameters.ContainsKey('NextLink')) { $json['@odata.nextLink'] = $NextLink }
        $answer = @{ status = 200; json = $json }
        if ($Forever) { $answer.forever = $true }
        $answer
    }

    # A record a person can read: the module's own exception, no .NET exception text or stack trace in what is shown,
    # and no megabyte anywhere in the record.
    function Assert-ReadableRecord {
        param([System.Management.Automation.ErrorRecord] $Record)
        $Record.Exception.GetType().Name | Should -BeIn @('GraphException', 'AppleVppTokenFileException')
        $shown = $Record.ToString()
        if ($Record.ErrorDetails) { $shown += "`n" + $Record.ErrorDetails.RecommendedAction }
        $shown | Should -Not -Match 'InvalidOperationException|ArgumentOutOfRangeException|Cannot transcode|JsonException'
        $shown | Should -Not -Match '(?m)^\s*at [\w.<>`]+\('
        ($Record | ConvertTo-StreamText | Out-String).Length | Should -BeLessThan 20000 -Because 'an error record is read by a person'
    }
}

AfterAll {
    Disconnect-IntuneVpp -ErrorAction SilentlyContinue
    Stop-GraphEmulator -Emulator $Emulator
    Remove-Module VppToken -Force -ErrorAction SilentlyContinue
}

Describe 'Paging that never ends or leaves the listing' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $Emulator
        Connect-Emulator
    }

    It 'stops at once when the nextLink points back to the same URL, answered forever' {
        Add-GraphEmulatorScript -Emulator $Emulator -Method GET -Path $CollectionPath -Response (
            New-ListAnswer -Tokens @(@{ id = $Ids[0]; organizationName = 'Same page' }) -NextLink "$($Emulator.Uri)v1.0/deviceAppManagement/vppTokens" -Forever)

        $clock = [Diagnostics.Stopwatch]::StartNew()
        $result = @(Get-IntuneVppToken -ErrorVariable failures -ErrorAction SilentlyContinue)
        $clock.Stop()

        $result.Id | Should -Be @($Ids[0])
        (Get-LoggedRequest -Method GET).Count | Should -Be 1
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'GraphPagingLoop,IntuneVpp.Commands.Tokens.GetIntuneVppTokenCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidResult'
        $failures[0].ToString() | Should -Match 'already read'
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
    }

    It 'reads a two-page cycle (A, B, back to A) once: no duplicate objects' {
        Add-GraphEmulatorScript -Emulator $Emulator -Method GET -Path $CollectionPath -Response @(
            (New-ListAnswer -Tokens @(@{ id = $Ids[0] }) -NextLink "$($Emulator.Uri)v1.0/deviceAppManagement/vppTokens?`$skiptoken=B")
            (New-ListAnswer -Tokens @(@{ id = $Ids[1] }) -NextLink "$($Emulator.Uri)v1.0/deviceAppManagement/vppTokens")
            (New-ListAnswer -Tokens @(@{ id = $Ids[2] }) -Forever))

        $result = @(Get-IntuneVppToken -ErrorVariable failures -ErrorAction SilentlyContinue)

        $result.Id | Should -Be @($Ids[0], $Ids[1])
        $requests = Get-LoggedRequest -Method GET
        $requests.path | Should -Be @($CollectionPath, "$CollectionPath`?`$skiptoken=B")
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GraphPagingLoop,*'
    }

    It 'stops a listing that keeps sending new links after -MaxPages pages (<MaxPages>)' -TestCases @(
        @{ MaxPages = 3 }
        @{ MaxPages = 100 }
    ) {
        $pages = foreach ($n in 1..($MaxPages + 5)) {
            New-ListAnswer -Tokens @(@{ id = [guid]::NewGuid().ToString() }) -NextLink "$($Emulator.Uri)v1.0/deviceAppManagement/vppTokens?`$skiptoken=$n"
        }
        Add-GraphEmulatorScript -Emulator $Emulator -Method GET -Path $CollectionPath -Response $pages
        $bound = if ($MaxPages -eq 100) { @{} } else { @{ MaxPages = $MaxPages } }

        $result = @(Get-IntuneVppToken @bound -ErrorVariable failures -ErrorAction SilentlyContinue)

        $result.Count | Should -Be $MaxPages
        (Get-LoggedRequest -Method GET).Count | Should -Be $MaxPages -Because '100 is the default bound'
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GraphPageLimitExceeded,*'
        $failures[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $failures[0].ToString() | Should -Match "after $MaxPages pages \($MaxPages tokens\)"
        $failures[0].ToString() | Should -Match '-MaxPages'
    }

    It 'follows the emulator''s own paging to the end within the bound' {
        $null = Set-GraphEmulatorSetting -Emulator $Emulator -Settings @{ pageSize = 1 }

        $result = @(Get-IntuneVppToken -MaxPages 4 -ErrorVariable failures)

        $failures | Should -BeNullOrEmpty
        $result.Count | Should -Be 4
        @($result.Id | Select-Object -Unique).Count | Should -Be 4
        (Get-LoggedRequest -Method GET).Count | Should -Be 4
    }

    It 'refuses a nextLink to <Scenario> without sending it' -TestCases @(
        @{ Scenario = '/v1.0/users'; Link = 'v1.0/users' }
        @{ Scenario = 'vppTokens/../../../users'; Link = 'v1.0/deviceAppManagement/vppTokens/../../../users' }
        @{ Scenario = 'encoded dot segments'; Link = 'v1.0/deviceAppManagement/vppTokens/%2e%2e/%2e%2e/users' }
        @{ Scenario = 'an encoded slash'; Link = 'v1.0/deviceAppManagement/vppTokens%2F..%2F..%2Fusers' }
        @{ Scenario = 'the beta vppTokens'; Link = 'beta/deviceAppManagement/vppTokens?$skiptoken=2' }
    ) {
        Add-GraphEmulatorScript -Emulator $Emulator -Method GET -Path $CollectionPath -Response (
            New-ListAnswer -Tokens @(@{ id = $Ids[0] }) -NextLink "$($Emulator.Uri)$Link")

        $result = @(Get-IntuneVppToken -ErrorVariable failures -ErrorAction SilentlyContinue)

        $result.Id | Should -Be @($Ids[0])
        $requests = Get-LoggedRequest
        $requests.Count | Should -Be 1 -Because 'the token must not go to another resource'
        $requests[0].path | Should -BeExactly $CollectionPath
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GraphUntrustedLink,*'
        $failures[0].CategoryInfo.Category | Should -Be 'SecurityError'
    }

    It 'treats a nextLink that is <Scenario> as an error, not as the last page' -TestCases @(
        @{ Scenario = 'a number'; Link = 5 }
        @{ Scenario = 'true'; Link = $true }
        @{ Scenario = 'an array'; Link = @() }
        @{ Scenario = 'an object'; Link = @{} }
    ) {
        Add-GraphEmulatorScript -Emulator $Emulator -Method GET -Path $CollectionPath -Response (
            New-ListAnswer -Tokens @(@{ id = $Ids[0] }) -NextLink $Link)

        $result = @(Get-IntuneVppToken -ErrorVariable failures -ErrorAction SilentlyContinue)

        $result.Count | Should -Be 0 -Because 'a page that cannot be read is not passed on as a short list'
        (Get-LoggedRequest).Count | Should -Be 1
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GraphInvalidResponse,*'
        $failures[0].ToString() | Should -Match 'nextLink should be a URL string'
    }
}

Describe 'Bodies that are not UTF-8' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $Emulator
        Connect-Emulator
    }

    It '<Command> writes two results and one GraphInvalidResponse for the middle item, and sends the next one' -TestCases @(
        @{ Command = 'Get-IntuneVppToken'; Method = 'GET'; Status = 200; Applied = $false }
        @{ Command = 'Set-IntuneVppToken -PassThru'; Method = 'PATCH'; Status = 200; Applied = $true }
        @{ Command = 'Sync-IntuneVppToken'; Method = 'POST'; Status = 200; Applied = $true }
    ) {
        $path = if ($Method -eq 'POST') { "$CollectionPath/$Middle/syncLicenses" } else { "$CollectionPath/$Middle" }
        Add-GraphEmulatorScript -Emulator $Emulator -Method $Method -Path $path -Response @{
            status = $Status; bodyBase64 = ConvertTo-InvalidUtf8Base64 -Prefix "{`"id`":`"$Middle`",`"organizationName`":`""
        }

        $result = @(switch ($Command) {
                'Get-IntuneVppToken' { $Ids | Get-IntuneVppToken -ErrorVariable failures -ErrorAction SilentlyContinue }
                'Set-IntuneVppToken -PassThru' { $Ids | Set-IntuneVppToken -CountryOrRegion gb -PassThru -ErrorVariable failures -ErrorAction SilentlyContinue }
                'Sync-IntuneVppToken' { $Ids | Sync-IntuneVppToken -ErrorVariable failures -ErrorAction SilentlyContinue }
            })

        $result.Id | Should -Be @($Ids[0], $Ids[2])
        (Get-LoggedRequest -Method $Method).Count | Should -Be 3 -Because 'the item after the broken one is still sent'
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GraphInvalidResponse,*'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidResult'
        $failures[0].TargetObject | Should -Be $Middle
        $failures[0].ToString() | Should -Match 'not valid UTF-8'
        $failures[0].Exception.ChangeApplied | Should -Be $Applied
        if ($Applied) { $failures[0].ToString() | Should -Match 'only reading Graph''s answer failed' }
        Assert-ReadableRecord $failures[0]
    }

    It 'New-IntuneVppToken writes one GraphInvalidResponse for a 201 that is not UTF-8, says it was created, and sends it once' {
        $files = foreach ($n in 1..3) { New-TestTokenFile -Kind Valid -OrganizationName "Org $n" -Name "new-$n.vpptoken" }
        Add-GraphEmulatorScript -Emulator $Emulator -Method POST -Path $CollectionPath -Response @(
            @{ status = 201; json = @{ id = $Ids[0]; organizationName = 'Org 1' } }
            @{ status = 201; bodyBase64 = ConvertTo-InvalidUtf8Base64 -Prefix "{`"id`":`"$Middle`",`"organizationName`":`"" }
            @{ status = 201; json = @{ id = $Ids[2]; organizationName = 'Org 3' } })

        $result = @($files.Path | New-IntuneVppToken -ErrorVariable failures -ErrorAction SilentlyContinue)

        $result.Id | Should -Be @($Ids[0], $Ids[2])
        (Get-LoggedRequest -Method POST).Count | Should -Be 3 -Because 'each create is sent once, the broken answer too'
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GraphInvalidResponse,*'
        $failures[0].TargetObject | Should -Be $files[1].Path
        $failures[0].ToString() | Should -Match 'was created; only reading Graph''s answer failed'
        $failures[0].Exception.ChangeApplied | Should -BeTrue
    }

    It 'reads an error body (<Status>) that is not UTF-8 as one GraphInvalidResponse that keeps the status' -TestCases @(
        @{ Status = 400 }, @{ Status = 403 }, @{ Status = 404 }, @{ Status = 418 }, @{ Status = 500 }, @{ Status = 502 }
    ) {
        Add-GraphEmulatorScript -Emulator $Emulator -Method GET -Path "$CollectionPath/$Middle" -Response @{
            status = $Status; bodyBase64 = ConvertTo-InvalidUtf8Base64 -Prefix '{"error":{"code":"BadRequest","message":"' -Suffix '"}}'
        }

        $result = @($Ids | Get-IntuneVppToken -ErrorVariable failures -ErrorAction SilentlyContinue -Debug 5>&1)

        @($result | Where-Object { $_.PSObject.TypeNames -contains 'IntuneVpp.VppToken' }).Id | Should -Be @($Ids[0], $Ids[2])
        (Get-LoggedRequest -Method GET).Count | Should -Be 3
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GraphInvalidResponse,*'
        $failures[0].Exception.StatusCode | Should -Be $Status
        $failures[0].ToString() | Should -Match "Graph answered $Status"
        $debug = @($result | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }).Message
        @($debug | Where-Object { $_ -like 'Response body: <*not valid UTF-8*' }).Count | Should -Be 1 -Because 'the debug stream says what it cannot show'
        Assert-ReadableRecord $failures[0]
    }
}

Describe 'Values too long to hold' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $Emulator
        Connect-Emulator
    }

    It 'drops a 1 MB token value with a warning and still writes the token, by id and in the list' {
        $huge = 'A' * 1MB
        Add-GraphEmulatorScript -Emulator $Emulator -Method GET -Path "$CollectionPath/$Middle" -Response @{ status = 200; json = @{ id = $Middle; organizationName = 'Huge token'; token = $huge } }
        Add-GraphEmulatorScript -Emulator $Emulator -Method GET -Path $CollectionPath -Response (
            New-ListAnswer -Tokens @(@{ id = $Ids[0]; token = $huge }, @{ id = $Ids[2]; token = 'cGVzdGVyLXNtYWxs' }))

        # -IncludeToken: without it no token value is written at all.
        $byId = @($Ids | Get-IntuneVppToken -IncludeToken -ErrorVariable failures -WarningVariable warnings -WarningAction SilentlyContinue)
        $listed = @(Get-IntuneVppToken -IncludeToken -ErrorVariable listFailures -WarningVariable listWarnings -WarningAction SilentlyContinue)

        $failures | Should -BeNullOrEmpty
        $byId.Id | Should -Be $Ids
        $byId[1].OrganizationName | Should -Be 'Huge token'
        $byId[1].Token | Should -BeNullOrEmpty
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -Match "1,048,576 characters for VPP token $Middle"
        $listFailures | Should -BeNullOrEmpty
        $listed.Id | Should -Be @($Ids[0], $Ids[2])
        $listed[0].Token | Should -BeNullOrEmpty
        $listed[1].Token.Length | Should -Be 16
        @($listWarnings).Count | Should -Be 1
        (Get-LoggedRequest -Method GET).Count | Should -Be 4
    }

    It 'refuses an 80 KB token file before reading it, per item, and sends the others' {
        $small = New-TestTokenFile -Kind Valid -OrganizationName 'Small one' -Name 'small.vpptoken'
        $bigJson = '{"token":"' + ('t' * 60000) + '","expDate":"2030-08-15T18:13:52-0700","orgName":"Big one"}'
        $big = Join-Path $TestDrive 'big.vpptoken'
        [IO.File]::WriteAllText($big, [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($bigJson)))
        (Get-Item $big).Length | Should -BeGreaterThan 80000

        $read = @($small.Path, $big | Read-IntuneVppTokenFile -ErrorVariable readFailures -ErrorAction SilentlyContinue)
        $created = @($small.Path, $big | New-IntuneVppToken -ErrorVariable newFailures -ErrorAction SilentlyContinue)

        $read.OrganizationName | Should -Be @('Small one')
        $created.Count | Should -Be 1
        (Get-LoggedRequest -Method POST).Count | Should -Be 1 -Because 'the big file was refused before anything was sent'
        foreach ($failure in @($readFailures) + @($newFailures)) {
            $failure.FullyQualifiedErrorId | Should -BeLike 'InvalidTokenFile,*'
            $failure.CategoryInfo.Category | Should -Be 'InvalidData'
            $failure.TargetObject | Should -Be $big
            $failure.ToString() | Should -Match 'bytes, more than the 65,536'
            Assert-ReadableRecord $failure
        }
        @($readFailures).Count + @($newFailures).Count | Should -Be 2
    }

    It 'refuses Set-IntuneVppToken -TokenFile with an 80 KB file before sending anything' {
        $big = Join-Path $TestDrive 'renew-big.vpptoken'
        [IO.File]::WriteAllText($big, 'QUFB' * 21000)
        $caught = $null

        try { Set-IntuneVppToken -Id $Middle -TokenFile $big -ErrorAction Stop } catch { $caught = $_ }

        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike 'InvalidTokenFile,*'
        $caught.ToString() | Should -Match '84,000 bytes'
        (Get-LoggedRequest).Count | Should -Be 0
    }
}

Describe 'Megabytes of text' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $Emulator
        Connect-Emulator
    }

    It 'cuts <Scenario> to a few KB and says it was cut' -TestCases @(
        @{ Scenario = 'a 1 MB Graph message'; Answer = @{ status = 400; json = @{ error = @{ code = 'BadRequest'; message = 'Start. ' + ('m' * 1MB) } } }; ErrorId = 'GraphBadRequest' }
        @{ Scenario = 'a 1 MB bad date string'; Answer = @{ status = 200; json = @{ id = '7a2b9c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d'; expirationDateTime = '9' * 1MB } }; ErrorId = 'GraphInvalidResponse' }
        @{ Scenario = 'a 1 MB error code'; Answer = @{ status = 409; json = @{ error = @{ code = 'c' * 1MB; message = 'Conflict.' } } }; ErrorId = 'GraphConflict' }
    ) {
        Add-GraphEmulatorScript -Emulator $Emulator -Method GET -Path "$CollectionPath/$Middle" -Response $Answer

        $result = @($Ids | Get-IntuneVppToken -ErrorVariable failures -ErrorAction SilentlyContinue)

        $result.Id | Should -Be @($Ids[0], $Ids[2])
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $text = $failures[0].ToString()
        $text.Length | Should -BeLessThan 6000
        $text | Should -Match '\[cut: 1,0\d\d,\d\d\d characters in all\]'
        Assert-ReadableRecord $failures[0]
    }
}

Describe 'Saying when a change may have happened' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $Emulator
        Connect-Emulator
    }

    It 'New-IntuneVppToken after a 504 sends the create once and says to check whether it took effect' {
        Add-GraphEmulatorScript -Emulator $Emulator -Method POST -Path $CollectionPath -Response @{
            status = 504; forever = $true; headers = @{ 'Retry-After' = '0' }; json = @{ error = @{ code = 'GatewayTimeout'; message = 'Timed out.' } }
        }
        $file = New-TestTokenFile -Kind Valid -OrganizationName 'Gateway Org' -Name 'gateway.vpptoken'

        $result = @(New-IntuneVppToken -TokenFile $file.Path -ErrorVariable failures -ErrorAction SilentlyContinue)

        $result.Count | Should -Be 0
        (Get-LoggedRequest -Method POST).Count | Should -Be 1 -Because 'a create that may have been applied is never sent again'
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GraphGatewayTimeout,*'
        # Said once: as the recommendation, which PowerShell 7.5 and later show on a line of its own.
        Get-ErrorText $failures[0] | Should -Match 'check whether it took effect'
        $failures[0].ErrorDetails.RecommendedAction | Should -Match 'check whether it took effect'
    }

    It 'Set-IntuneVppToken -PassThru whose read-back fails says the change was made and only the read-back failed' {
        $null = Set-GraphEmulatorSetting -Emulator $Emulator -Settings @{ patchNoContent = $true }
        Add-GraphEmulatorScript -Emulator $Emulator -Method GET -Path "$CollectionPath/$Middle" -Response @{
            status = 503; forever = $true; headers = @{ 'Retry-After' = '0' }; json = @{ error = @{ code = 'ServiceUnavailable'; message = 'Later.' } }
        }

        $result = @($Ids | Set-IntuneVppToken -CountryOrRegion nz -PassThru -ErrorVariable failures -ErrorAction SilentlyContinue)

        $result.Id | Should -Be @($Ids[0], $Ids[2])
        (Get-LoggedRequest -Method PATCH).Count | Should -Be 3 -Because 'no PATCH is sent twice'
        (Get-StoredVppToken -Emulator $Emulator | Where-Object id -EQ $Middle).countryOrRegion | Should -Be 'nz' -Because 'the change was made'
        $failures.Count | Should -Be 1
        $failures[0].TargetObject | Should -Be $Middle
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GraphServiceUnavailable,*'
        $failures[0].Exception.ChangeApplied | Should -BeTrue
        $failures[0].ToString() | Should -Match "^The change to VPP token $Middle was made; only reading the token back failed: Graph answered 503"
        $failures[0].ErrorDetails.RecommendedAction | Should -Match 'rather than sending the change again'
    }

    It 'Get-IntuneVppToken -Id answered with another token''s object writes an error, not the wrong object' {
        Add-GraphEmulatorScript -Emulator $Emulator -Method GET -Path "$CollectionPath/$Middle" -Response @{ status = 200; json = @{ id = $Ids[2]; organizationName = 'Someone else' } }

        $result = @($Ids | Get-IntuneVppToken -ErrorVariable failures -ErrorAction SilentlyContinue)

        $result.Id | Should -Be @($Ids[0], $Ids[2])
        $result.OrganizationName | Should -Not -Contain 'Someone else'
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GraphInvalidResponse,*'
        $failures[0].TargetObject | Should -Be $Middle
        $failures[0].ToString() | Should -Match ([regex]::Escape("about VPP token '$($Ids[2])', not $Middle"))
    }
}

Describe 'Every item ends as one result or one error' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $Emulator
        Connect-Emulator
    }

    It 'a 24-item Set -PassThru pipeline under a mix of hostile answers: one outcome per item, no item sent twice' {
        $tokens = @(1..24 | ForEach-Object { @{ id = [guid]::NewGuid().ToString(); organizationName = "Org $_"; expirationDateTime = '+30d' } })
        Set-GraphEmulatorTenant -Emulator $Emulator -TenantId $DefaultTenantId -VppToken $tokens
        $ids = @($tokens | ForEach-Object { $_.id })
        $hostile = @(
            @{ status = 200; bodyBase64 = ConvertTo-InvalidUtf8Base64 -Prefix '{"id":"x","organizationName":"' }
            @{ status = 400; bodyBase64 = ConvertTo-InvalidUtf8Base64 -Prefix '{"error":{"message":"' -Suffix '"}}' }
            @{ status = 400; json = @{ error = @{ code = 'BadRequest'; message = 'x' * 1MB } } }
            @{ status = 200; json = @{ id = $ids[0]; organizationName = 'Another token' } }
            @{ status = 200; json = @{ id = 'will-be-replaced'; expirationDateTime = 'not a date' } }
            @{ status = 502; body = '<html><body>Bad gateway</body></html>'; headers = @{ 'Content-Type' = 'text/html' } }
        )
        $broken = @{}
        for ($i = 1; $i -lt $ids.Count; $i += 4) {
            $answer = $hostile[($i - 1) / 4 % $hostile.Count].Clone()
            if ($answer.ContainsKey('json') -and $answer.json.ContainsKey('id') -and $answer.json.id -eq 'will-be-replaced') {
                $answer.json = @{ id = $ids[$i]; expirationDateTime = 'not a date' }
            }
            Add-GraphEmulatorScript -Emulator $Emulator -Method PATCH -Path "$CollectionPath/$($ids[$i])" -Response $answer
            $broken[$ids[$i]] = $true
        }

        $result = @($ids | Set-IntuneVppToken -AutomaticallyUpdateApps $false -PassThru -ErrorVariable failures -ErrorAction SilentlyContinue)

        $result.Count + $failures.Count | Should -Be $ids.Count
        @($failures.TargetObject | Sort-Object) | Should -Be @($broken.Keys | Sort-Object)
        @($result.Id) | Should -Be @($ids | Where-Object { -not $broken.ContainsKey($_) })
        $patches = Get-LoggedRequest -Method PATCH
        $patches.Count | Should -Be $ids.Count
        @($patches | Group-Object { $_.headers.'client-request-id' } | Where-Object Count -GT 1).Count | Should -Be 0
        $failures | ForEach-Object { Assert-ReadableRecord $_ }
    }
}
