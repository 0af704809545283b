#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Get-IntuneVppToken against the Graph emulator: requests are judged by the emulator's log, output by comparing it
# with what the emulator stores.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:emu = Start-VppTokenTest -Connect
    $script:AccessTokenText = $TestAccessTokenText

    $script:CollectionPath = '/v1.0/deviceAppManagement/vppTokens'

    function script:Get-Read { Get-GraphEmulatorRequest -Emulator $emu -Method GET }

    # A list answer with one token, scripted for the first GET of the collection.
    function script:New-TokenJson([string] $Id, [hashtable] $Extra = @{}) {
        $token = [ordered]@{
            '@odata.type'           = '#microsoft.graph.vppToken'
            id                      = $Id
            organizationName        = 'Scripted Org'
            vppTokenAccountType     = 'business'
            appleId                 = 'scripted@example.com'
            expirationDateTime      = '2030-01-02T03:04:05Z'
            lastSyncDateTime        = '2024-01-02T03:04:05Z'
            lastModifiedDateTime    = '2024-01-02T03:04:05Z'
            token                   = $null
            state                   = 'valid'
            lastSyncStatus          = 'completed'
            automaticallyUpdateApps = $true
            countryOrRegion         = 'us'
        }
        foreach ($key in $Extra.Keys) { $token[$key] = $Extra[$key] }
        $token
    }
}

AfterAll {
    Stop-VppTokenTest
}

Describe 'Get-IntuneVppToken' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
    }

    Context 'The list' {
        It 'lists every token of the tenant with one GET of the collection' {
            $stored = @(Get-StoredVppToken -Emulator $emu)
            Clear-GraphEmulatorRequest -Emulator $emu

            $tokens = @(Get-IntuneVppToken)

            $stored.Count | Should -Be 4
            @($tokens.Id | Sort-Object) | Should -Be @($stored.id | Sort-Object)
            $requests = @(Get-GraphEmulatorRequest -Emulator $emu)
            @($requests.method) | Should -Be @('GET')
            $requests[0].path | Should -BeExactly $CollectionPath
        }

        It 'follows @odata.nextLink with page size <PageSize>: <Gets> GETs, all 4 tokens' -TestCases @(
            @{ PageSize = 1; Gets = 4 }
            @{ PageSize = 2; Gets = 2 }
            @{ PageSize = 3; Gets = 2 }
            @{ PageSize = 4; Gets = 1 }
        ) {
            $null = Set-GraphEmulatorSetting -Emulator $emu -Settings @{ pageSize = $PageSize }

            $tokens = @(Get-IntuneVppToken -ErrorVariable err)

            $err | Should -BeNullOrEmpty
            $tokens.Count | Should -Be 4
            @($tokens.Id | Sort-Object -Unique).Count | Should -Be 4
            $requests = @(Get-GraphEmulatorRequest -Emulator $emu)
            $requests.Count | Should -Be $Gets
            $requests | ForEach-Object { $_.method | Should -Be 'GET'; $_.path | Should -BeLike "$CollectionPath*" }
            $requests | Select-Object -Skip 1 | ForEach-Object {
                @(Get-RawQueryParameter -Path $_.path).Name | Should -Contain '$skiptoken'
            }
        }

        It 'keeps the filter on every page it follows' {
            $null = Set-GraphEmulatorSetting -Emulator $emu -Settings @{ pageSize = 1 }

            $tokens = @(Get-IntuneVppToken -Filter "vppTokenAccountType eq 'business'")

            $tokens.Count | Should -Be 3
            $requests = @(Get-Read)
            $requests.Count | Should -Be 3
            foreach ($request in $requests) {
                (Get-RawQueryParameter -Path $request.path | Where-Object Name -EQ '$filter').Value | Should -BeExactly "vppTokenAccountType eq 'business'"
            }
        }
    }

    Context '-Filter' {
        It 'sends <Filter> URL-encoded as the one $filter parameter' -TestCases @(
            @{ Filter = "state eq 'valid'"; Expected = 2 }
            @{ Filter = "organizationName eq 'Contoso Retail'"; Expected = 1 }
            @{ Filter = "appleId eq 'labs@contoso.com'"; Expected = 1 }
        ) {
            $tokens = @(Get-IntuneVppToken -Filter $Filter -ErrorVariable err)

            $err | Should -BeNullOrEmpty
            $request = @(Get-Read)
            $request.Count | Should -Be 1
            $request[0].path | Should -BeLike "$CollectionPath`?*"
            $parameters = @(Get-RawQueryParameter -Path $request[0].path)
            $parameters.Count | Should -Be 1
            $parameters[0].Name | Should -BeExactly '$filter'
            $parameters[0].Value | Should -BeExactly $Filter
            $parameters[0].RawValue | Should -Not -Match "[ '&#+=]" -Because 'the value must go out percent-encoded'
            $tokens.Count | Should -Be $Expected -Because 'the emulator applied the filter it received'
        }

        It 'cannot add a query parameter through a hostile filter <Scenario>' -TestCases @(
            @{ Scenario = 'x&$top=1'; Filter = 'x&$top=1' }
            @{ Scenario = 'with a quoted &$select'; Filter = "state eq 'valid'&`$select=token" }
            @{ Scenario = 'with a fragment'; Filter = "state eq 'valid'#&`$top=1" }
            @{ Scenario = 'with an encoded ampersand'; Filter = "state eq 'valid'%26`$top=1" }
            @{ Scenario = 'with a plus and an equals sign'; Filter = "organizationName eq 'a+b=c'" }
        ) {
            $null = Get-IntuneVppToken -Filter $Filter -ErrorVariable err -ErrorAction SilentlyContinue

            $request = @(Get-Read)
            $request.Count | Should -Be 1
            $parameters = @(Get-RawQueryParameter -Path $request[0].path)
            @($parameters.Name) | Should -Be @('$filter')
            $parameters[0].Value | Should -BeExactly $Filter
        }
    }

    Context '-ExpiringWithinDays' {
        BeforeEach {
            # Well inside and well outside a 30-day window, so the day boundary itself is not what these cases judge.
            $script:Window = @(
                @{ id = 'b0000000-0000-4000-8000-000000000001'; organizationName = 'In ten days'; vppTokenAccountType = 'business'; expirationDateTime = '+10d' }
                @{ id = 'b0000000-0000-4000-8000-000000000002'; organizationName = 'In forty days'; vppTokenAccountType = 'business'; expirationDateTime = '+40d' }
                @{ id = 'b0000000-0000-4000-8000-000000000003'; organizationName = 'Expired'; vppTokenAccountType = 'education'; expirationDateTime = '-3d' }
                @{ id = 'b0000000-0000-4000-8000-000000000004'; organizationName = 'In a year'; vppTokenAccountType = 'education'; expirationDateTime = '+365d' }
                @{ id = 'b0000000-0000-4000-8000-000000000005'; organizationName = 'In twenty days'; vppTokenAccountType = 'education'; expirationDateTime = '+20d' }
            )
            Set-GraphEmulatorTenant -Emulator $emu -TenantId $DefaultTenantId -VppToken $Window
        }

        It 'keeps the tokens that expire within the window or have expired, on every page (page size <PageSize>)' -TestCases @(
            @{ PageSize = 1 }
            @{ PageSize = 2 }
            @{ PageSize = 100 }
        ) {
            $null = Set-GraphEmulatorSetting -Emulator $emu -Settings @{ pageSize = $PageSize }

            $found = @(Get-IntuneVppToken -ExpiringWithinDays 30 -ErrorVariable err)

            $err | Should -BeNullOrEmpty
            @($found.OrganizationName) | Should -Be @('In ten days', 'Expired', 'In twenty days')
            @(Get-Read).Count | Should -Be ([Math]::Ceiling(5 / $PageSize)) -Because 'the window is applied to the whole list, so every page is read'
            @(Get-Read).path | ForEach-Object { @(Get-RawQueryParameter -Path $_ | Where-Object Name -EQ '$filter') | Should -BeNullOrEmpty }
        }

        It 'applies the window to what -Filter leaves' {
            $found = @(Get-IntuneVppToken -Filter "vppTokenAccountType eq 'education'" -ExpiringWithinDays 30 -ErrorVariable err)

            $err | Should -BeNullOrEmpty
            @($found.OrganizationName) | Should -Be @('Expired', 'In twenty days')
            (Get-RawQueryParameter -Path (Get-Read)[0].path | Where-Object Name -EQ '$filter').Value | Should -BeExactly "vppTokenAccountType eq 'education'"
        }

        It 'with 0 keeps only the tokens that have already expired' {
            $found = @(Get-IntuneVppToken -ExpiringWithinDays 0 -ErrorVariable err)

            $err | Should -BeNullOrEmpty
            @($found.OrganizationName) | Should -Be @('Expired')
        }

        It 'writes nothing and no error when no token is in the window' {
            Set-GraphEmulatorTenant -Emulator $emu -TenantId $DefaultTenantId -VppToken @($Window[3])

            $found = @(Get-IntuneVppToken -ExpiringWithinDays 30 -ErrorVariable err)

            $err | Should -BeNullOrEmpty
            $found | Should -BeNullOrEmpty
            @(Get-Read).Count | Should -Be 1
        }

        It 'refuses -ExpiringWithinDays <Value> before anything is sent' -TestCases @(
            @{ Value = -1 }
            @{ Value = 3651 }
        ) {
            $caught = $null
            $err = $null
            try { Get-IntuneVppToken -ExpiringWithinDays $Value -ErrorVariable err -ErrorAction SilentlyContinue } catch { $caught = $_ }

            $errors = Select-ErrorRecord $err $caught
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
            $errors[0].ToString() | Should -BeLike '*ExpiringWithinDays*'
            @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
        }

        It 'cannot be combined with -Id' {
            { Get-IntuneVppToken -Id $SeedTokenId.Contoso -ExpiringWithinDays 30 } |
                Should -Throw -ErrorId 'AmbiguousParameterSet,IntuneVpp.Commands.Tokens.GetIntuneVppTokenCommand'
            @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
        }
    }

    Context 'By id' {
        It 'gets one token with -Id' {
            $token = @(Get-IntuneVppToken -Id $SeedTokenId.Fabrikam)

            $token.Count | Should -Be 1
            $token[0].Id | Should -Be $SeedTokenId.Fabrikam
            $token[0].OrganizationName | Should -BeExactly 'Fabrikam School District'
            @((Get-GraphEmulatorRequest -Emulator $emu).path) | Should -Be @("$CollectionPath/$($SeedTokenId.Fabrikam)")
        }

        It 'gets tokens from <Scenario>' -TestCases @(
            @{ Scenario = 'an -Id array'; Shape = 'IdParameter' }
            @{ Scenario = 'piped id strings'; Shape = 'IdString' }
            @{ Scenario = 'piped tokens from Get-IntuneVppToken'; Shape = 'VppToken' }
            @{ Scenario = 'piped objects with a VppTokenId property'; Shape = 'VppTokenIdProperty' }
            @{ Scenario = 'Import-Csv rows with an Id column'; Shape = 'Csv' }
        ) {
            $ids = @($SeedTokenId.Retail, $SeedTokenId.Contoso)
            $tokens = switch ($Shape) {
                'IdParameter' { Get-IntuneVppToken -Id $ids }
                'IdString' { $ids | Get-IntuneVppToken }
                'VppToken' {
                    $listed = @(Get-IntuneVppToken | Where-Object Id -In $ids | Sort-Object { [array]::IndexOf($ids, $_.Id) })
                    Clear-GraphEmulatorRequest -Emulator $emu
                    $listed | Get-IntuneVppToken
                }
                'VppTokenIdProperty' { $ids | ForEach-Object { [pscustomobject]@{ VppTokenId = $_; State = 'ignored' } } | Get-IntuneVppToken }
                'Csv' {
                    $path = Join-Path $TestDrive 'ids.csv'
                    $ids | ForEach-Object { [pscustomobject]@{ Id = $_; Note = 'from a spreadsheet' } } | Export-Csv -LiteralPath $path -NoTypeInformation
                    Import-Csv -LiteralPath $path | Get-IntuneVppToken
                }
            }

            @($tokens.Id) | Should -Be $ids
            @((Get-GraphEmulatorRequest -Emulator $emu).path) | Should -Be @($ids | ForEach-Object { "$CollectionPath/$_" })
        }

        It 'writes a non-terminating error for an unknown id and gets the others' {
            $unknown = '11111111-2222-4333-8444-555555555555'

            $tokens = @(Get-IntuneVppToken -Id $SeedTokenId.Contoso, $unknown, $SeedTokenId.Labs -ErrorVariable err -ErrorAction SilentlyContinue)

            @($tokens.Id) | Should -Be @($SeedTokenId.Contoso, $SeedTokenId.Labs)
            @($err).Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'GraphNotFound,*'
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err[0].ToString() | Should -BeLike '*ResourceNotFound*'
            @(Get-Read).Count | Should -Be 3
        }

        It 'refuses the id <Scenario> before anything is sent' -TestCases @(
            @{ Scenario = "''"; Id = '' }
            @{ Scenario = "'../../me'"; Id = '../../me' }
            @{ Scenario = "'not-a-guid'"; Id = 'not-a-guid' }
            @{ Scenario = 'a GUID with a query after it'; Id = '0f5d8d4b-3c1e-4b7a-a2d4-6e9f1b2c3d4e?$select=token' }
        ) {
            $caught = $null
            $err = $null
            try { Get-IntuneVppToken -Id $Id -ErrorVariable err -ErrorAction SilentlyContinue } catch { $caught = $_ }

            $errors = @(@($err) + @($caught) | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -Match '^(InvalidVppTokenId|ParameterArgumentValidationError),'
            @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
        }

        It 'reports a scripted 403 as GraphForbidden (PermissionDenied)' {
            Add-GraphEmulatorScript -Emulator $emu -Method GET -Path "$CollectionPath/$($SeedTokenId.Contoso)" -Response @(
                @{ status = 403; json = @{ error = @{ code = 'Forbidden'; message = 'Missing DeviceManagementServiceConfig.Read.All (Pester).'; innerError = @{ date = '2024-05-06T07:08:09'; 'request-id' = 'a9d1f0e2-0000-4000-8000-000000000403' } } } }
            )

            $null = Get-IntuneVppToken -Id $SeedTokenId.Contoso -ErrorVariable err -ErrorAction SilentlyContinue

            @($err).Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'GraphForbidden,*'
            $err[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
            $err[0].ToString() | Should -BeLike '*Missing DeviceManagementServiceConfig.Read.All (Pester).*'
            $err[0].ToString() | Should -BeLike '*a9d1f0e2-0000-4000-8000-000000000403*'
            $err[0].ToString() | Should -BeLike "*$(@(Get-Read)[0].headers.'client-request-id')*"
        }
    }

    Context 'Output' {
        It 'writes IntuneVpp.VppToken objects with typed properties equal to what Graph holds' {
            $stored = @(Get-StoredVppToken -Emulator $emu)
            $tokens = @(Get-IntuneVppToken)

            foreach ($token in $tokens) {
                $expected = $stored | Where-Object id -EQ $token.Id
                $token.PSObject.TypeNames | Should -Contain 'IntuneVpp.VppToken'
                $token.ExpirationDateTime | Should -BeOfType [DateTimeOffset]
                $token.ExpirationDateTime | Should -Be ([DateTimeOffset]::Parse($expected.expirationDateTime, [cultureinfo]::InvariantCulture))
                $token.LastSyncDateTime | Should -BeOfType [DateTimeOffset]
                $token.AutomaticallyUpdateApps | Should -BeOfType [bool]
                $token.AutomaticallyUpdateApps | Should -Be $expected.automaticallyUpdateApps
                $token.State | Should -BeExactly $expected.state
                $token.LastSyncStatus | Should -BeExactly $expected.lastSyncStatus
                $token.VppTokenAccountType | Should -BeExactly $expected.vppTokenAccountType
                $token.OrganizationName | Should -BeExactly $expected.organizationName
                $token.AppleId | Should -BeExactly $expected.appleId
                $token.CountryOrRegion | Should -BeExactly $expected.countryOrRegion
            }
            @($tokens | Where-Object AutomaticallyUpdateApps -EQ $false).Count | Should -BeGreaterThan 0 -Because 'false must come through as false, not null'
        }

        It 'keeps a property and an enum value Graph adds later, from <Scenario>' -TestCases @(
            @{ Scenario = 'a single GET'; Mode = 'Item' }
            @{ Scenario = 'the list'; Mode = 'List' }
        ) {
            $id = '9ceb2f92-2f92-9ceb-922f-eb9c922feb9c'
            $token = New-TokenJson -Id $id -Extra @{ state = 'duplicateLocationId'; futureProperty = 'from a later Graph' }
            if ($Mode -eq 'Item') {
                Add-GraphEmulatorScript -Emulator $emu -Method GET -Path "$CollectionPath/$id" -Response @(@{ status = 200; json = $token })
                $result = @(Get-IntuneVppToken -Id $id -ErrorVariable err)
            }
            else {
                Add-GraphEmulatorScript -Emulator $emu -Method GET -Path $CollectionPath -Response @(@{ status = 200; json = @{ '@odata.context' = 'x'; value = @($token) } })
                $result = @(Get-IntuneVppToken -ErrorVariable err)
            }

            $err | Should -BeNullOrEmpty
            $result.Count | Should -Be 1
            $result[0].Id | Should -Be $id
            $result[0].State | Should -BeExactly 'duplicateLocationId'
            $result[0].AdditionalProperties['futureProperty'] | Should -BeExactly 'from a later Graph'
        }

        It 'never shows the Apple token in <Scenario>' -TestCases @(
            @{ Scenario = 'Format-Table'; View = 'Table' }
            @{ Scenario = 'Format-List'; View = 'List' }
            @{ Scenario = 'Format-List *'; View = 'ListAll' }
            @{ Scenario = 'the default output'; View = 'Default' }
        ) {
            $stored = @(Get-StoredVppToken -Emulator $emu)
            $tokens = @(Get-IntuneVppToken)

            $text = switch ($View) {
                'Table' { $tokens | Format-Table | Out-String -Width 4096 }
                'List' { $tokens | Format-List | Out-String -Width 4096 }
                'ListAll' { $tokens | Format-List * | Out-String -Width 4096 }
                'Default' { $tokens | Out-String -Width 4096 }
            }
            $text | Should -Not -BeNullOrEmpty
            foreach ($token in $stored) {
                $token.token | Should -Not -BeNullOrEmpty -Because 'the emulator holds a token for each seeded entry'
                $text | Should -Not -BeLike "*$($token.token)*"
                $text | Should -BeLike "*$($token.organizationName)*"
            }
        }

        It 'keeps the Apple token and the access token out of <Scenario>' -TestCases @(
            @{ Scenario = '-Verbose -Debug output'; Mode = 'Switches' }
            @{ Scenario = 'output under $VerbosePreference and $DebugPreference Continue'; Mode = 'Preferences' }
        ) {
            $stored = @(Get-StoredVppToken -Emulator $emu)

            $streams = if ($Mode -eq 'Switches') {
                @(Get-IntuneVppToken -Verbose -Debug *>&1)
            }
            else {
                $VerbosePreference = 'Continue'
                $DebugPreference = 'Continue'
                @(Get-IntuneVppToken *>&1)
            }

            @($streams | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count |
                Should -BeGreaterThan 0 -Because 'the request is described on the verbose stream when verbose output is asked for'
            @($streams | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }).Count |
                Should -BeGreaterThan 0 -Because 'the (redacted) response body is written to the debug stream when debug output is asked for'
            $text = ($streams | ConvertTo-StreamText) -join "`n"
            foreach ($token in $stored) {
                $text | Should -Not -BeLike "*$($token.token)*"
            }
            $text | Should -Not -BeLike "*$AccessTokenText*"
            @(Get-Read)[0].headers.Authorization | Should -BeExactly "Bearer $AccessTokenText"
        }
    }

    Context 'A nextLink away from the Graph endpoint' {
        BeforeAll {
            $script:otherEmu = Start-GraphEmulator
        }

        AfterAll {
            Stop-GraphEmulator -Emulator $otherEmu
        }

        It 'is not followed when it points to <Scenario>' -TestCases @(
            @{ Scenario = 'another host (127.0.0.2) on the same port'; Target = 'OtherHost' }
            @{ Scenario = 'another port (a second emulator)'; Target = 'OtherPort' }
            @{ Scenario = 'https on the same host and port'; Target = 'OtherScheme' }
        ) {
            Clear-GraphEmulatorRequest -Emulator $otherEmu
            $next = switch ($Target) {
                'OtherHost' { "http://127.0.0.2:$($emu.Uri.Port)$CollectionPath`?`$skiptoken=b2Zmc2V0OjE" }
                'OtherPort' { [uri]::new($otherEmu.Uri, "$CollectionPath`?`$skiptoken=b2Zmc2V0OjE").AbsoluteUri }
                'OtherScheme' { "https://127.0.0.1:$($emu.Uri.Port)$CollectionPath`?`$skiptoken=b2Zmc2V0OjE" }
            }
            $first = New-TokenJson -Id $SeedTokenId.Contoso
            Add-GraphEmulatorScript -Emulator $emu -Method GET -Path $CollectionPath -Response @(
                @{ status = 200; json = @{ '@odata.context' = 'x'; '@odata.nextLink' = $next; value = @($first) } }
            )

            $tokens = @(Get-IntuneVppToken -ErrorVariable err -ErrorAction SilentlyContinue)

            @($tokens.Id) | Should -Be @($SeedTokenId.Contoso) -Because 'the first page is still written'
            @($err).Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'GraphUntrustedHost,*'
            $err[0].CategoryInfo.Category | Should -Be 'SecurityError'
            $err[0].ToString() | Should -Not -BeLike "*$AccessTokenText*"
            @((Get-GraphEmulatorRequest -Emulator $emu).path) | Should -Be @($CollectionPath)
            @(Get-GraphEmulatorRequest -Emulator $otherEmu).Count | Should -Be 0
        }

        It 'is followed on the connection''s own endpoint (the check above can pass only by refusing)' {
            # A page size keeps the emulator's offset arithmetic away from int.MaxValue (offset + pageSize overflows).
            $null = Set-GraphEmulatorSetting -Emulator $emu -Settings @{ pageSize = 10 }
            $next = [uri]::new($emu.Uri, "$CollectionPath`?`$skiptoken=b2Zmc2V0OjE").AbsoluteUri
            Add-GraphEmulatorScript -Emulator $emu -Method GET -Path $CollectionPath -Response @(
                @{ status = 200; json = @{ '@odata.context' = 'x'; '@odata.nextLink' = $next; value = @(New-TokenJson -Id $SeedTokenId.Contoso) } }
            )

            $tokens = @(Get-IntuneVppToken -ErrorVariable err)

            $err | Should -BeNullOrEmpty
            $tokens.Count | Should -Be 4 -Because 'the scripted first page, then the emulator''s own pages from offset 1'
            @(Get-Read).Count | Should -Be 2
        }
    }

    Context 'Without a connection' {
        BeforeAll {
            Disconnect-IntuneVpp
        }

        AfterAll {
            Connect-IntuneVpp -AccessToken (ConvertTo-SecureString $AccessTokenText -AsPlainText -Force) -GraphEndpoint $emu.Uri
        }

        It 'stops with NotConnected for <Scenario>, says how to connect and sends nothing' -TestCases @(
            @{ Scenario = 'the list'; Mode = 'List' }
            @{ Scenario = '-Id'; Mode = 'Id' }
            @{ Scenario = '-Filter'; Mode = 'Filter' }
        ) {
            $caught = $null
            $err = $null
            try {
                switch ($Mode) {
                    'List' { Get-IntuneVppToken -ErrorAction Stop }
                    'Id' { Get-IntuneVppToken -Id $SeedTokenId.Contoso -ErrorAction Stop }
                    'Filter' { Get-IntuneVppToken -Filter "state eq 'valid'" -ErrorAction Stop }
                }
            }
            catch { $caught = $_ }

            $caught | Should -Not -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -BeLike 'NotConnected,*'
            $caught.ToString() | Should -BeLike '*Connect-IntuneVpp*'
            @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
        }
    }
}
