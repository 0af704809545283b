#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# The yearly renewal and what goes with it, against the Graph emulator: Set-IntuneVppToken -TokenFile (checked before
# anything is sent), the beta-only parameters, Get-IntuneVppToken -ExpiringWithinDays, -Id completion and the progress
# records of a pipeline.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TokenFiles.psm1') -Force
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:emu = Start-VppTokenTest -Helper TokenFiles -Connect
    $script:AccessToken = ConvertTo-SecureString $TestAccessTokenText -AsPlainText -Force
    $script:ItemPrefix = '/v1.0/deviceAppManagement/vppTokens/'
    $script:Invariant = [System.Globalization.CultureInfo]::InvariantCulture

    function script:Get-Patch { @(Get-GraphEmulatorRequest -Emulator $emu -Method PATCH) }

    # The "What if:" lines a command wrote to the host: ShouldProcess writes them there, to no stream.
    function script:Get-WhatIfLine([scriptblock] $Command) {
        $transcript = Join-Path $TestDrive "whatif-$([guid]::NewGuid().ToString('N')).txt"
        $null = Start-Transcript -LiteralPath $transcript
        try { $null = & $Command } finally { $null = Stop-Transcript }
        @(Get-Content -LiteralPath $transcript | Where-Object { $_ -like 'What if:*' })
    }

    # A pipeline run in its own runspace, where the progress stream can be read back.
    function script:Invoke-WithProgress([scriptblock] $Script, [object[]] $Arguments) {
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript($Script)
            foreach ($argument in $Arguments) { $null = $shell.AddArgument($argument) }
            $output = @($shell.Invoke())
            [pscustomobject]@{ Output = $output; Progress = @($shell.Streams.Progress); Errors = @($shell.Streams.Error) }
        }
        finally { $shell.Dispose() }
    }

    function script:Get-StoredExpiration([string] $Id) {
        $stored = Get-StoredVppToken -Emulator $emu | Where-Object id -EQ $Id
        [DateTimeOffset]::Parse($stored.expirationDateTime, $Invariant)
    }
}

AfterAll {
    Stop-VppTokenTest
}

Describe 'Set-IntuneVppToken -TokenFile' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
    }

    It 'reads the token back, then PATCHes the whole file content as token' {
        $file = New-TestTokenFile -Kind Valid -OrganizationName 'Contoso Ltd.'

        Set-IntuneVppToken -Id $SeedTokenId.Contoso -TokenFile $file.Path -ErrorVariable err

        $err | Should -BeNullOrEmpty
        $requests = @(Get-GraphEmulatorRequest -Emulator $emu)
        @($requests.method) | Should -Be @('GET', 'PATCH')
        @($requests.path | Sort-Object -Unique) | Should -Be @("$ItemPrefix$($SeedTokenId.Contoso)")
        @(Format-WireJson -Json $requests[1].body) | Should -Be @('@odata.type String #microsoft.graph.vppToken', "token String $($file.Content)")
    }

    It 'writes the renewed token with -PassThru, its expiration now the file''s (<Scenario>)' -TestCases @(
        @{ Scenario = '200 with the object'; NoContent = $false }
        @{ Scenario = '204 No Content'; NoContent = $true }
    ) {
        $null = Set-GraphEmulatorSetting -Emulator $emu -Settings @{ patchNoContent = $NoContent }
        $file = New-TestTokenFile -Kind Valid -OrganizationName 'Fabrikam School District' -ExpiresIn ([TimeSpan]::FromDays(400))

        $renewed = @(Set-IntuneVppToken -Id $SeedTokenId.Fabrikam -TokenFile $file.Path -PassThru)

        $renewed.Count | Should -Be 1
        $renewed[0].Id | Should -Be $SeedTokenId.Fabrikam
        $renewed[0].ExpirationDateTime | Should -Be $file.Expiration
        (Get-StoredExpiration $SeedTokenId.Fabrikam) | Should -Be $file.Expiration
    }

    It 'stops with TokenFileExpired for an expired file and sends nothing' {
        $file = New-TestTokenFile -Kind Expired

        $caught = $null
        try { Set-IntuneVppToken -Id $SeedTokenId.Contoso -TokenFile $file.Path -ErrorVariable err -ErrorAction SilentlyContinue } catch { $caught = $_ }

        $errors = Select-ErrorRecord $err $caught
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'TokenFileExpired,*'
        $errors[0].ToString() | Should -BeLike "*$([WildcardPattern]::Escape($file.Path))*"
        @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
    }

    It 'stops with InvalidTokenFile for a <_> file and sends nothing' -ForEach $CorruptTokenFileKinds {
        $file = New-TestTokenFile -Kind $_

        $caught = $null
        try { Set-IntuneVppToken -Id $SeedTokenId.Contoso -TokenFile $file.Path -ErrorVariable err -ErrorAction SilentlyContinue } catch { $caught = $_ }

        $errors = Select-ErrorRecord $err $caught
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidTokenFile,*'
        $errors[0].ToString() | Should -BeLike $file.Problem
        @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
    }

    It 'refuses a file of another organization after reading the token: TokenFileOrganizationMismatch, no PATCH' {
        $file = New-TestTokenFile -Kind WrongOrganization

        Set-IntuneVppToken -Id $SeedTokenId.Contoso -TokenFile $file.Path -ErrorVariable err -ErrorAction SilentlyContinue

        @($err).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TokenFileOrganizationMismatch,*'
        $err[0].TargetObject | Should -Be $SeedTokenId.Contoso
        $err[0].ToString() | Should -BeLike '*Wrong Organization Inc.*Contoso Ltd.*'
        $err[0].ToString() | Should -BeLike '*-Force*'
        $requests = @(Get-GraphEmulatorRequest -Emulator $emu)
        @($requests.method) | Should -Be @('GET')
        $requests[0].path | Should -BeExactly "$ItemPrefix$($SeedTokenId.Contoso)"
    }

    It 'sends a file of another organization with -Force' {
        $file = New-TestTokenFile -Kind WrongOrganization

        Set-IntuneVppToken -Id $SeedTokenId.Contoso -TokenFile $file.Path -Force -ErrorVariable err

        $err | Should -BeNullOrEmpty
        @((Get-GraphEmulatorRequest -Emulator $emu).method) | Should -Be @('GET', 'PATCH')
        (Get-Patch)[0].Json.token | Should -BeExactly $file.Content
    }

    It 'checks the organization token by token for piped ids, and goes on after a mismatch' {
        $file = New-TestTokenFile -Kind Valid -OrganizationName 'Contoso Ltd.'
        $ids = @($SeedTokenId.Fabrikam, $SeedTokenId.Contoso)

        $ids | Set-IntuneVppToken -TokenFile $file.Path -ErrorVariable err -ErrorAction SilentlyContinue

        @($err).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TokenFileOrganizationMismatch,*'
        $err[0].TargetObject | Should -Be $SeedTokenId.Fabrikam
        @((Get-Patch).path) | Should -Be @("$ItemPrefix$($SeedTokenId.Contoso)")
    }

    It 'shows the organization, the old and the new expiration with -WhatIf, and sends no PATCH' {
        $file = New-TestTokenFile -Kind Valid -OrganizationName 'Contoso Ltd.' -ExpiresIn ([TimeSpan]::FromDays(500))
        $old = (Get-StoredExpiration $SeedTokenId.Contoso).ToString('yyyy-MM-dd', $Invariant)
        $new = $file.Expiration.ToString('yyyy-MM-dd', $Invariant)

        $whatIf = @(Get-WhatIfLine { Set-IntuneVppToken -Id $SeedTokenId.Contoso -TokenFile $file.Path -WhatIf })

        $whatIf.Count | Should -Be 1
        $whatIf[0] | Should -BeLike '*Contoso Ltd.*'
        $whatIf[0] | Should -BeLike "*$old*$new*"
        $whatIf[0] | Should -BeLike "*$($SeedTokenId.Contoso)*"
        Get-Patch | Should -BeNullOrEmpty
    }

    It 'stops with ConflictingParameters for -Token and -TokenFile together and sends nothing' {
        $file = New-TestTokenFile -Kind Valid

        $caught = $null
        try {
            Set-IntuneVppToken -Id $SeedTokenId.Contoso -TokenFile $file.Path -Token (ConvertTo-SecureString 'other' -AsPlainText -Force) -ErrorVariable err -ErrorAction SilentlyContinue
        }
        catch { $caught = $_ }

        $errors = Select-ErrorRecord $err $caught
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ConflictingParameters,*'
        @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
    }
}

Describe 'Beta-only properties' {
    BeforeAll {
        $script:Beta = Connect-IntuneVpp -AccessToken $AccessToken -GraphEndpoint $emu.Uri -ApiVersion beta -PassThru
        # Connect-IntuneVpp makes its connection the current one, -PassThru or not: v1.0 stays the default here.
        Connect-IntuneVpp -AccessToken $AccessToken -GraphEndpoint $emu.Uri
    }

    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
    }

    It 'stops Set-IntuneVppToken -<Parameter> on a v1.0 connection with BetaRequired and sends nothing' -TestCases @(
        @{ Parameter = 'DisplayName'; Value = 'Pester' }
        @{ Parameter = 'DataSharingConsentGranted'; Value = $false }
        @{ Parameter = 'ClaimTokenManagementFromExternalMdm'; Value = $true }
        @{ Parameter = 'RoleScopeTagIds'; Value = @('0') }
    ) {
        $splat = @{ Id = $SeedTokenId.Contoso; $Parameter = $Value }

        $caught = $null
        try { Set-IntuneVppToken @splat -ErrorVariable err -ErrorAction SilentlyContinue } catch { $caught = $_ }

        $errors = Select-ErrorRecord $err $caught
        @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'BetaRequired,*'
        $errors[0].ToString() | Should -BeLike "*-$Parameter*"
    }

    It 'PATCHes /beta with -DisplayName, -RoleScopeTagIds and the beta booleans, false sent as false' {
        Set-IntuneVppToken -Id $SeedTokenId.Contoso -DisplayName 'Contoso renewed' -RoleScopeTagIds '0', '12' -DataSharingConsentGranted $false -ClaimTokenManagementFromExternalMdm $false -Connection $Beta -ErrorVariable err

        $err | Should -BeNullOrEmpty
        $patch = @(Get-Patch)
        $patch.Count | Should -Be 1
        $patch[0].path | Should -BeExactly "/beta/deviceAppManagement/vppTokens/$($SeedTokenId.Contoso)"
        @(Format-WireJson -Json $patch[0].body | Sort-Object) | Should -Be @(
            '@odata.type String #microsoft.graph.vppToken'
            'claimTokenManagementFromExternalMdm False false'
            'dataSharingConsentGranted False false'
            'displayName String Contoso renewed'
            'roleScopeTagIds Array ["0","12"]'
        )
        $stored = Get-StoredVppToken -Emulator $emu | Where-Object id -EQ $SeedTokenId.Contoso
        $stored.displayName | Should -BeExactly 'Contoso renewed'
    }

    It 'shows DisplayName and LocationName from Get-IntuneVppToken on beta, and not on v1.0' {
        $onBeta = Get-IntuneVppToken -Id $SeedTokenId.Contoso -Connection $Beta
        $onV1 = Get-IntuneVppToken -Id $SeedTokenId.Contoso

        $onBeta.DisplayName | Should -BeExactly 'Contoso main'
        $onBeta.LocationName | Should -BeExactly 'Contoso HQ'
        $onBeta.ApiVersion | Should -Be 'beta'
        $onV1.DisplayName | Should -BeNullOrEmpty
        $onV1.LocationName | Should -BeNullOrEmpty
        @((Get-GraphEmulatorRequest -Emulator $emu).path) | Should -Be @(
            "/beta/deviceAppManagement/vppTokens/$($SeedTokenId.Contoso)"
            "$ItemPrefix$($SeedTokenId.Contoso)"
        )
    }
}

Describe 'Get-IntuneVppToken -ExpiringWithinDays' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
    }

    It 'returns exactly the tokens that expire within <Days> days or have expired, <Scenario>' -TestCases @(
        @{ Scenario = 'from the seed'; Days = 60; Tokens = $null }
        @{ Scenario = 'from the seed, already expired only'; Days = 0; Tokens = $null }
        @{
            Scenario = 'around the boundary (59 d, 60.5 d, 61 d)'; Days = 60
            Tokens   = @(
                @{ id = 'a0000000-0000-4000-8000-000000000001'; organizationName = 'Soon'; appleId = 'soon@example.com'; expirationDateTime = '+59d' }
                @{ id = 'a0000000-0000-4000-8000-000000000002'; organizationName = 'Half a day past the window'; appleId = 'edge@example.com'; expirationDateTime = '+1452h' }
                @{ id = 'a0000000-0000-4000-8000-000000000003'; organizationName = 'Later'; appleId = 'later@example.com'; expirationDateTime = '+61d' }
                @{ id = 'a0000000-0000-4000-8000-000000000004'; organizationName = 'Long gone'; appleId = 'gone@example.com'; expirationDateTime = '-400d' }
                @{ id = 'a0000000-0000-4000-8000-000000000005'; organizationName = 'Far'; appleId = 'far@example.com'; expirationDateTime = '+300d' }
            )
        }
    ) {
        if ($Tokens) { Set-GraphEmulatorTenant -Emulator $emu -TenantId $DefaultTenantId -VppToken $Tokens }
        $deadline = [DateTimeOffset]::UtcNow.AddDays($Days)
        $expected = @(Get-StoredVppToken -Emulator $emu |
                Where-Object { [DateTimeOffset]::Parse($_.expirationDateTime, $Invariant) -le $deadline } |
                ForEach-Object id | Sort-Object)
        $expected.Count | Should -BeGreaterThan 0 -Because 'the case must have tokens to find'

        $found = @(Get-IntuneVppToken -ExpiringWithinDays $Days -ErrorVariable err)

        $err | Should -BeNullOrEmpty
        @($found.Id | Sort-Object) | Should -Be $expected
        @((Get-GraphEmulatorRequest -Emulator $emu).path) | Should -Be @('/v1.0/deviceAppManagement/vppTokens')
    }
}

Describe '-Id completion' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
        # A new connection has no cached list, so the first completion asks the tenant.
        Connect-IntuneVpp -AccessToken $AccessToken -GraphEndpoint $emu.Uri
        Clear-GraphEmulatorRequest -Emulator $emu
    }

    It 'completes -Id of <Command> with the tenant''s ids, listed with organization and Apple ID' -TestCases @(
        @{ Command = 'Set-IntuneVppToken' }
        @{ Command = 'Remove-IntuneVppToken' }
        @{ Command = 'Sync-IntuneVppToken' }
        @{ Command = 'Get-IntuneVppToken' }
    ) {
        $line = "$Command -Id "
        $stored = @(Get-StoredVppToken -Emulator $emu)

        $completions = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches)

        @($completions.CompletionText | Sort-Object) | Should -Be @($stored.id | Sort-Object)
        foreach ($token in $stored) {
            $completion = $completions | Where-Object CompletionText -EQ $token.id
            $completion.ListItemText | Should -BeLike "*$([WildcardPattern]::Escape($token.organizationName))*$([WildcardPattern]::Escape($token.appleId))*"
        }
        @((Get-GraphEmulatorRequest -Emulator $emu).path) | Should -Be @('/v1.0/deviceAppManagement/vppTokens')
    }

    It 'narrows to the tokens whose organization contains <Typed>' -TestCases @(
        @{ Typed = 'Fabrik'; Organizations = @('Fabrikam School District') }
        @{ Typed = 'contoso'; Organizations = @('Contoso Labs', 'Contoso Ltd.', 'Contoso Retail') }
        @{ Typed = "'Contoso Re"; Organizations = @('Contoso Retail') }
        @{ Typed = 'Nobody'; Organizations = @() }
    ) {
        $line = "Set-IntuneVppToken -Id $Typed"
        $stored = @(Get-StoredVppToken -Emulator $emu)
        $expected = @($stored | Where-Object organizationName -In $Organizations | ForEach-Object id | Sort-Object)

        $completions = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches)

        # ForEach-Object, not member access: strict mode refuses .CompletionText on an empty array.
        @($completions | ForEach-Object CompletionText | Sort-Object) | Should -Be $expected
    }

    It 'completes from the start of an id' {
        $line = "Remove-IntuneVppToken -Id $($SeedTokenId.Labs.Substring(0, 6))"
        $completions = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches)
        @($completions.CompletionText) | Should -Be @($SeedTokenId.Labs)
    }

    It 'asks the tenant once within a minute and answers a second completion from its cache' {
        $line = 'Set-IntuneVppToken -Id '

        $first = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches)
        @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 1
        $second = @((TabExpansion2 -inputScript "$($line)Contoso" -cursorColumn "$($line)Contoso".Length).CompletionMatches)
        $third = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches)

        @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 1
        $first.Count | Should -Be 4
        $second.Count | Should -Be 3
        @($third.CompletionText) | Should -Be @($first.CompletionText)
    }
}

Describe 'Progress of a pipeline' {
    BeforeAll {
        $script:Connection = Connect-IntuneVpp -AccessToken $AccessToken -GraphEndpoint $emu.Uri -PassThru
    }

    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
    }

    It 'writes a record from the second of <Count> piped ids on, and a Completed record at the end' -TestCases @(
        @{ Count = 3 }
        @{ Count = 4 }
    ) {
        $ids = @($SeedTokenId.Contoso, $SeedTokenId.Fabrikam, $SeedTokenId.Retail, $SeedTokenId.Labs)[0..($Count - 1)]

        $run = Invoke-WithProgress -Script {
            param($Connection, $Ids)
            Import-Module VppToken
            $Ids | Set-IntuneVppToken -CountryOrRegion 'ca' -Connection $Connection
        } -Arguments $Connection, $ids

        $run.Errors | Should -BeNullOrEmpty
        @(Get-Patch).Count | Should -Be $Count
        $running = @($run.Progress | Where-Object RecordType -EQ Processing)
        $running.Count | Should -Be ($Count - 1)
        for ($i = 0; $i -lt $running.Count; $i++) {
            $running[$i].StatusDescription | Should -BeLike "*$($ids[$i + 1])*"
        }
        $run.Progress.Count | Should -Be $Count
        $run.Progress[-1].RecordType | Should -Be ([System.Management.Automation.ProgressRecordType]::Completed)
        @($run.Progress.ActivityId | Sort-Object -Unique).Count | Should -Be 1
    }

    It 'writes no progress for a single <Scenario>' -TestCases @(
        @{ Scenario = 'id with -Id'; Piped = $false }
        @{ Scenario = 'piped id'; Piped = $true }
    ) {
        $run = Invoke-WithProgress -Script {
            param($Connection, $Id, $Piped)
            Import-Module VppToken
            if ($Piped) { $Id | Set-IntuneVppToken -CountryOrRegion 'ca' -Connection $Connection }
            else { Set-IntuneVppToken -Id $Id -CountryOrRegion 'ca' -Connection $Connection }
        } -Arguments $Connection, $SeedTokenId.Contoso, $Piped

        $run.Errors | Should -BeNullOrEmpty
        @(Get-Patch).Count | Should -Be 1
        $run.Progress | Should -BeNullOrEmpty
    }
}
