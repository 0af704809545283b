#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# New-IntuneVppToken against the Graph emulator: what reached the wire (one POST, its body), what came back, and that a
# create is never sent twice after a failure that may have applied it.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:emu = Start-VppTokenTest -Helper TokenFiles -Connect
    $script:AccessToken = ConvertTo-SecureString $TestAccessTokenText -AsPlainText -Force
    $script:CollectionPath = '/v1.0/deviceAppManagement/vppTokens'

    function script:Get-Post { @(Get-GraphEmulatorRequest -Emulator $emu -Method POST) }

    # A body as sorted "name Kind value" lines: the order of properties is not part of the contract.
    function script:Format-SortedWireJson([string] $Json) { @(Format-WireJson -Json $Json | Sort-Object) }
}

AfterAll {
    Stop-VppTokenTest
}

Describe 'New-IntuneVppToken' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
    }

    Context 'Create' {
        It 'sends exactly one POST with the settings and the token from <Scenario>, and writes the created token' -TestCases @(
            @{ Scenario = '-TokenFile'; Source = 'TokenFile' }
            @{ Scenario = '-Token'; Source = 'Token' }
        ) {
            $file = New-TestTokenFile -Kind Valid -OrganizationName 'Contoso New Org'
            $source = if ($Source -eq 'TokenFile') { @{ TokenFile = $file.Path } } else { @{ Token = ConvertTo-SecureString $file.Content -AsPlainText -Force } }
            $before = @(Get-StoredVppToken -Emulator $emu).id

            $created = @(New-IntuneVppToken @source -AppleId 'new@contoso.com' -VppTokenAccountType education -AutomaticallyUpdateApps $true -CountryOrRegion 'nz' -ErrorVariable err)

            $err | Should -BeNullOrEmpty
            $posts = Get-Post
            $posts.Count | Should -Be 1
            $posts[0].path | Should -BeExactly $CollectionPath
            Format-SortedWireJson $posts[0].body | Should -Be @(
                '@odata.type String #microsoft.graph.vppToken'
                'appleId String new@contoso.com'
                'automaticallyUpdateApps True true'
                'countryOrRegion String nz'
                "token String $($file.Content)"
                'vppTokenAccountType String education'
            )
            @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 1 -Because 'the 201 answer carries the token; nothing else is needed'

            $created.Count | Should -Be 1
            $created[0].PSObject.TypeNames | Should -Contain 'IntuneVpp.VppToken'
            $stored = @(Get-StoredVppToken -Emulator $emu | Where-Object id -NotIn $before)
            $stored.Count | Should -Be 1
            $created[0].Id | Should -Be $stored[0].id
            $created[0].OrganizationName | Should -BeExactly 'Contoso New Org'
            $created[0].AppleId | Should -BeExactly 'new@contoso.com'
            $created[0].VppTokenAccountType | Should -BeExactly 'education'
            $created[0].CountryOrRegion | Should -BeExactly 'nz'
        }

        It 'sends -AutomaticallyUpdateApps $false as false and leaves out what was not given' {
            $file = New-TestTokenFile -Kind Valid

            $null = New-IntuneVppToken -TokenFile $file.Path -AutomaticallyUpdateApps $false

            Format-SortedWireJson (Get-Post)[0].body | Should -Be @(
                '@odata.type String #microsoft.graph.vppToken'
                'automaticallyUpdateApps False false'
                "token String $($file.Content)"
            )
        }

        It 'creates one token per file piped from <Scenario>' -TestCases @(
            @{ Scenario = 'Get-ChildItem'; Shape = 'FileInfo' }
            @{ Scenario = 'path strings'; Shape = 'String' }
            @{ Scenario = 'objects with a FullName property'; Shape = 'FullName' }
        ) {
            $folder = Join-Path $TestDrive "pipe-$Shape"
            $files = @(
                New-TestTokenFile -Kind Valid -Directory $folder -Name 'a.vpptoken' -OrganizationName 'Org A'
                New-TestTokenFile -Kind Valid -Directory $folder -Name 'b.vpptoken' -OrganizationName 'Org B'
            )
            $inputObjects = switch ($Shape) {
                'FileInfo' { Get-ChildItem -LiteralPath $folder -Filter *.vpptoken }
                'String' { $files.Path }
                'FullName' { $files | ForEach-Object { [pscustomobject]@{ FullName = $_.Path } } }
            }

            $created = @($inputObjects | New-IntuneVppToken -ErrorVariable err)

            $err | Should -BeNullOrEmpty
            @($created.OrganizationName) | Should -Be @('Org A', 'Org B')
            @((Get-Post).Json.token) | Should -Be @($files.Content)
        }

        It 'sends nothing with -WhatIf and names the file and its organization' {
            $file = New-TestTokenFile -Kind Valid

            $run = Invoke-WithWhatIf -TranscriptPath (Join-Path $TestDrive 'whatif.txt') -ScriptBlock {
                New-IntuneVppToken -TokenFile $file.Path -WhatIf
            }

            $run.Errors | Should -BeNullOrEmpty -Because 'a cmdlet that failed before sending would also send nothing'
            $run.Output | Should -BeNullOrEmpty
            $run.WhatIf.Count | Should -Be 1
            $run.WhatIf[0] | Should -BeLike "*Add to Intune*Contoso Ltd.*$([WildcardPattern]::Escape($file.Path))*"
            @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
        }
    }

    Context 'Files that cannot be sent' {
        It 'writes <ErrorId> for <Kind> file and sends nothing' -TestCases @(
            @{ Kind = 'an Expired'; FileKind = 'Expired'; ErrorId = 'TokenFileExpired' }
            @{ Kind = 'a NotBase64'; FileKind = 'NotBase64'; ErrorId = 'InvalidTokenFile' }
            @{ Kind = 'a MissingOrgName'; FileKind = 'MissingOrgName'; ErrorId = 'InvalidTokenFile' }
            @{ Kind = 'a BadDate'; FileKind = 'BadDate'; ErrorId = 'InvalidTokenFile' }
        ) {
            $file = New-TestTokenFile -Kind $FileKind

            $caught = $null
            try { New-IntuneVppToken -TokenFile $file.Path -ErrorVariable err -ErrorAction SilentlyContinue } catch { $caught = $_ }

            $errors = Select-ErrorRecord $err $caught

            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $errors[0].ToString() | Should -BeLike "*$([WildcardPattern]::Escape($file.Path))*"
            @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
        }

        It 'goes on with the next piped file after one that cannot be sent' {
            $folder = Join-Path $TestDrive 'mixed'
            $good = New-TestTokenFile -Kind Valid -Directory $folder -Name 'a.vpptoken' -OrganizationName 'Org A'
            $null = New-TestTokenFile -Kind Expired -Directory $folder -Name 'b.vpptoken'
            $last = New-TestTokenFile -Kind Valid -Directory $folder -Name 'c.vpptoken' -OrganizationName 'Org C'

            $created = @(Get-ChildItem -LiteralPath $folder | New-IntuneVppToken -ErrorVariable err -ErrorAction SilentlyContinue)

            @($created.OrganizationName) | Should -Be @('Org A', 'Org C')
            @($err).Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'TokenFileExpired,*'
            @((Get-Post).Json.token) | Should -Be @($good.Content, $last.Content)
        }
    }

    Context 'Failures on the wire' {
        It 'does not send the POST again after <Scenario>, and says to check whether it took effect' -TestCases @(
            @{ Scenario = 'a dropped connection'; Fault = 'reset' }
            @{ Scenario = 'a timeout'; Fault = 'hang' }
        ) {
            $file = New-TestTokenFile -Kind Valid
            Add-GraphEmulatorScript -Emulator $emu -Method POST -Path $CollectionPath -Response @(@{ fault = $Fault }, @{ fault = $Fault })
            $connection = Connect-IntuneVpp -AccessToken $AccessToken -GraphEndpoint $emu.Uri -RequestTimeout '00:00:01' -MaxRetries 3 -PassThru
            Connect-IntuneVpp -AccessToken $AccessToken -GraphEndpoint $emu.Uri # the current connection again has the default timeout
            $elapsed = [System.Diagnostics.Stopwatch]::StartNew()

            $created = New-IntuneVppToken -TokenFile $file.Path -Connection $connection -ErrorVariable err -ErrorAction SilentlyContinue

            $elapsed.Elapsed.TotalSeconds | Should -BeLessThan 10
            $created | Should -BeNullOrEmpty
            @(Get-Post).Count | Should -Be 1
            @($err).Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'GraphNoAnswer,*'
            $err[0].CategoryInfo.Category | Should -Be 'ConnectionError'
            "$($err[0]) $($err[0].ErrorDetails.RecommendedAction)" | Should -BeLike '*check whether it took effect*'
        }

        It 'sends the POST again after a 429 with Retry-After 0.1' {
            $file = New-TestTokenFile -Kind Valid
            Add-GraphEmulatorScript -Emulator $emu -Method POST -Path $CollectionPath -Response @(
                @{ status = 429; headers = @{ 'Retry-After' = '0.1' }; json = @{ error = @{ code = 'TooManyRequests'; message = 'Slow down (Pester).' } } }
            )

            $created = @(New-IntuneVppToken -TokenFile $file.Path -ErrorVariable err)

            $err | Should -BeNullOrEmpty
            $posts = Get-Post
            $posts.Count | Should -Be 2
            $posts[1].body | Should -BeExactly $posts[0].body
            $created.Count | Should -Be 1
            $created[0].OrganizationName | Should -BeExactly $file.OrganizationName
            @(Get-StoredVppToken -Emulator $emu | Where-Object id -EQ $created[0].Id).Count | Should -Be 1
        }
    }

    Context 'What comes back' {
        It 'keeps the offset and precision of the dates Graph answers with: <Scenario>' -TestCases @(
            @{ Scenario = 'seven fraction digits, -08:00'; Value = '2031-12-31T23:57:57.2481234-08:00' }
            @{ Scenario = 'three fraction digits, +05:30'; Value = '2031-03-10T08:00:00.123+05:30' }
            @{ Scenario = 'whole seconds, UTC with Z'; Value = '2031-03-10T08:00:00Z' }
            @{ Scenario = 'one fraction digit, +14:00'; Value = '2031-03-10T08:00:00.5+14:00' }
        ) {
            $file = New-TestTokenFile -Kind Valid
            $answer = @{
                '@odata.type' = '#microsoft.graph.vppToken'; id = '5a5a5a5a-1111-4222-8333-444444444444'; organizationName = 'Contoso Ltd.'
                vppTokenAccountType = 'business'; appleId = 'vpp@contoso.com'; state = 'valid'; lastSyncStatus = 'none'
                expirationDateTime = $Value; lastSyncDateTime = $Value; lastModifiedDateTime = $Value; automaticallyUpdateApps = $false; countryOrRegion = 'us'
            }
            Add-GraphEmulatorScript -Emulator $emu -Method POST -Path $CollectionPath -Response @{ status = 201; json = $answer }
            $expected = [DateTimeOffset]::Parse($Value, [cultureinfo]::InvariantCulture)

            $created = @(New-IntuneVppToken -TokenFile $file.Path -ErrorVariable err)

            $err | Should -BeNullOrEmpty
            $created.Count | Should -Be 1
            foreach ($date in $created[0].ExpirationDateTime, $created[0].LastSyncDateTime, $created[0].LastModifiedDateTime) {
                $date | Should -BeOfType [DateTimeOffset]
                $date.Offset | Should -Be $expected.Offset
                $date.UtcTicks | Should -Be $expected.UtcTicks -Because 'every fraction digit Graph sent is kept'
            }
        }

        It 'keeps the Apple token and the access token out of -Verbose and -Debug output' {
            $file = New-TestTokenFile -Kind Valid
            $inner = (ConvertFrom-Json ([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($file.Content)))).token

            $streams = @(New-IntuneVppToken -TokenFile $file.Path -Verbose -Debug -ErrorVariable err *>&1)

            $err | Should -BeNullOrEmpty
            @($streams | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -BeGreaterThan 0
            @($streams | Where-Object { $_ -is [System.Management.Automation.DebugRecord] -and $_.Message -like 'Request body:*' }).Count |
                Should -Be 1 -Because 'the (redacted) request body is written to the debug stream'
            $text = ($streams | ConvertTo-StreamText) -join "`n"
            $text | Should -BeLike '*Contoso Ltd.*'
            $text | Should -Not -BeLike "*$([WildcardPattern]::Escape($file.Content))*"
            $text | Should -Not -BeLike "*$([WildcardPattern]::Escape($inner))*"
            $text | Should -Not -BeLike '*pester-token*'

            # The secrets did travel, so the checks above could have failed.
            $post = @(Get-Post)
            $post.Count | Should -Be 1
            (Get-WireJsonProperty -Json $post[0].body | Where-Object Name -EQ 'token').Value | Should -BeExactly $file.Content
            $post[0].headers.Authorization | Should -BeExactly 'Bearer pester-token'
        }

        It 'keeps the Apple token out of the error when Graph quotes it back' {
            $file = New-TestTokenFile -Kind Valid
            Add-GraphEmulatorScript -Emulator $emu -Method POST -Path $CollectionPath -Response @{
                status = 400; json = @{ error = @{ code = 'BadRequest'; message = "The token '$($file.Content)' was refused." } }
            }

            $null = New-IntuneVppToken -TokenFile $file.Path -ErrorVariable err -ErrorAction SilentlyContinue

            @($err).Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'GraphBadRequest,*'
            $err[0].TargetObject | Should -Be $file.Path
            $text = (@($err) | ConvertTo-StreamText) -join "`n"
            $text | Should -BeLike '*was refused*'
            $text | Should -Not -BeLike "*$([WildcardPattern]::Escape($file.Content))*"
        }
    }

    Context 'Beta settings' {
        It 'stops with BetaRequired for -<Parameter> on a v1.0 connection and sends nothing' -TestCases @(
            @{ Parameter = 'DisplayName'; Value = 'Pester display name' }
            @{ Parameter = 'DataSharingConsentGranted'; Value = $true }
            @{ Parameter = 'ClaimTokenManagementFromExternalMdm'; Value = $false }
            @{ Parameter = 'RoleScopeTagIds'; Value = @('0', '7') }
        ) {
            $file = New-TestTokenFile -Kind Valid
            $splat = @{ TokenFile = $file.Path; $Parameter = $Value }

            $caught = $null
            try { New-IntuneVppToken @splat -ErrorVariable err -ErrorAction SilentlyContinue } catch { $caught = $_ }

            $errors = Select-ErrorRecord $err $caught

            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'BetaRequired,*'
            $errors[0].ToString() | Should -BeLike '*-ApiVersion beta*'
            @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
        }

        It 'sends the beta settings to /beta on a beta connection' {
            $file = New-TestTokenFile -Kind Valid
            $beta = Connect-IntuneVpp -AccessToken $AccessToken -GraphEndpoint $emu.Uri -ApiVersion beta -PassThru
            Connect-IntuneVpp -AccessToken $AccessToken -GraphEndpoint $emu.Uri # v1.0 stays the current connection

            $created = New-IntuneVppToken -TokenFile $file.Path -DisplayName 'Pester beta' -DataSharingConsentGranted $false -ClaimTokenManagementFromExternalMdm $true -RoleScopeTagIds '0', '7' -Connection $beta

            $posts = Get-Post
            $posts.Count | Should -Be 1
            $posts[0].path | Should -BeExactly '/beta/deviceAppManagement/vppTokens'
            Format-SortedWireJson $posts[0].body | Should -Be @(
                '@odata.type String #microsoft.graph.vppToken'
                'claimTokenManagementFromExternalMdm True true'
                'dataSharingConsentGranted False false'
                'displayName String Pester beta'
                'roleScopeTagIds Array ["0","7"]'
                "token String $($file.Content)"
            )
            $created.DisplayName | Should -BeExactly 'Pester beta'
            @($created.RoleScopeTagIds) | Should -Be @('0', '7')
        }
    }
}
