#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Set-IntuneVppToken against the Graph emulator: every assertion is on what the emulator received (its request log)
# or on what the cmdlet wrote back, never on the module's internals.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:emu = Start-VppTokenTest -Connect
    $script:AccessTokenText = $TestAccessTokenText

    $script:ItemPrefix = '/v1.0/deviceAppManagement/vppTokens/'

    function script:Get-Patch { Get-GraphEmulatorRequest -Emulator $emu -Method PATCH }

    # The body of the one PATCH the emulator received.
    function script:Get-OnlyPatchBody {
        $patches = @(Get-Patch)
        $patches.Count | Should -Be 1 -Because 'exactly one PATCH was expected on the wire'
        $patches[0].body
    }

    # Parameter splats in -TestCases are plain data; a Token value becomes a SecureString here.
    function script:ConvertTo-SetParameter([hashtable] $Parameters) {
        $splat = @{}
        foreach ($key in $Parameters.Keys) {
            $splat[$key] = if ($key -eq 'Token') { ConvertTo-SecureString $Parameters[$key] -AsPlainText -Force } else { $Parameters[$key] }
        }
        $splat
    }

    # Pipeline input of each documented shape, carrying properties that must NOT reach the body.
    function script:New-PipelineInput([string] $Shape, [string[]] $Ids) {
        switch ($Shape) {
            'IdString' { $Ids }
            'VppToken' {
                $tokens = @(Get-IntuneVppToken -Id $Ids)
                Clear-GraphEmulatorRequest -Emulator $emu
                $tokens
            }
            'MgShapedObject' {
                # What Microsoft Graph PowerShell's Get-MgDeviceAppManagementVppToken writes: Id plus the properties.
                foreach ($id in $Ids) {
                    [pscustomobject]@{
                        AppleId                 = 'piped@example.com'
                        AutomaticallyUpdateApps = $true
                        CountryOrRegion         = 'zz'
                        ExpirationDateTime      = [datetime]'2030-01-01'
                        Id                      = $id
                        LastModifiedDateTime    = [datetime]'2024-01-01'
                        LastSyncDateTime        = [datetime]'2024-01-01'
                        LastSyncStatus          = 'completed'
                        OrganizationName        = 'Piped Org'
                        State                   = 'expired'
                        Token                   = 'piped-token'
                        VppTokenAccountType     = 'education'
                        AdditionalProperties    = @{}
                    }
                }
            }
            'VppTokenIdProperty' {
                foreach ($id in $Ids) { [pscustomobject]@{ VppTokenId = $id; CountryOrRegion = 'zz'; OrganizationName = 'Piped Org' } }
            }
            'CsvIdColumn' {
                $path = Join-Path $TestDrive 'ids.csv'
                $Ids | ForEach-Object { [pscustomobject]@{ Id = $_; CountryOrRegion = 'zz'; AppleId = 'csv@example.com' } } |
                    Export-Csv -LiteralPath $path -NoTypeInformation
                Import-Csv -LiteralPath $path
            }
            'CsvVppTokenIdColumn' {
                $path = Join-Path $TestDrive 'vpptokenids.csv'
                $Ids | ForEach-Object { [pscustomobject]@{ VppTokenId = $_; CountryOrRegion = 'zz'; State = 'expired' } } |
                    Export-Csv -LiteralPath $path -NoTypeInformation
                Import-Csv -LiteralPath $path
            }
            default { throw "Unknown pipeline shape $Shape" }
        }
    }
}

AfterAll {
    Stop-VppTokenTest
}

Describe 'Set-IntuneVppToken' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
    }

    Context 'Parameters' {
        It 'declares -<Name> as [<Type>]' -TestCases @(
            @{ Name = 'Id'; Type = 'string' }
            @{ Name = 'OrganizationName'; Type = 'string' }
            @{ Name = 'VppTokenAccountType'; Type = 'string' }
            @{ Name = 'AppleId'; Type = 'string' }
            @{ Name = 'ExpirationDateTime'; Type = 'System.Nullable[System.DateTimeOffset]' }
            @{ Name = 'LastSyncDateTime'; Type = 'System.Nullable[System.DateTimeOffset]' }
            @{ Name = 'Token'; Type = 'System.Security.SecureString' }
            @{ Name = 'State'; Type = 'string' }
            @{ Name = 'LastSyncStatus'; Type = 'string' }
            @{ Name = 'AutomaticallyUpdateApps'; Type = 'System.Nullable[bool]' }
            @{ Name = 'CountryOrRegion'; Type = 'string' }
        ) {
            $parameter = (Get-Command Set-IntuneVppToken).Parameters[$Name]
            $parameter | Should -Not -BeNullOrEmpty
            $parameter.ParameterType | Should -Be ([type]$Type)
        }

        It 'makes -Id mandatory, with the alias VppTokenId' {
            $parameter = (Get-Command Set-IntuneVppToken).Parameters['Id']
            $parameter.Aliases | Should -Contain 'VppTokenId'
            @($parameter.ParameterSets.Values | Where-Object IsMandatory).Count | Should -BeGreaterThan 0
        }

        It 'completes -<Parameter> with its documented values' -TestCases @(
            @{ Parameter = 'VppTokenAccountType'; Values = @('business', 'education') }
            @{ Parameter = 'State'; Values = @('unknown', 'valid', 'expired', 'invalid', 'assignedToExternalMDM') }
            @{ Parameter = 'LastSyncStatus'; Values = @('none', 'inProgress', 'completed', 'failed') }
        ) {
            $line = "Set-IntuneVppToken -Id $($SeedTokenId.Contoso) -$Parameter "
            $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
            @($completions | Sort-Object) | Should -Be @($Values | Sort-Object)
        }

        It 'refuses -<Parameter> <Value> before anything is sent' -TestCases @(
            @{ Parameter = 'VppTokenAccountType'; Value = 'enterprise' }
            @{ Parameter = 'State'; Value = 'duplicateLocationId' }
            @{ Parameter = 'State'; Value = 'valid ' }
            @{ Parameter = 'LastSyncStatus'; Value = 'done' }
        ) {
            $splat = @{ Id = $SeedTokenId.Contoso; $Parameter = $Value }
            $caught = $null
            $err = $null
            try { Set-IntuneVppToken @splat -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue } catch { $caught = $_ }
            $errors = @(@($err) + @($caught) | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $errors.Count | Should -BeGreaterThan 0
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
            @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
        }

        It 'sends the documented spelling when -<Parameter> is given as <Value>' -TestCases @(
            @{ Parameter = 'State'; Value = 'VALID'; Property = 'state'; Expected = 'valid' }
            @{ Parameter = 'State'; Value = 'assignedtoexternalmdm'; Property = 'state'; Expected = 'assignedToExternalMDM' }
            @{ Parameter = 'LastSyncStatus'; Value = 'INPROGRESS'; Property = 'lastSyncStatus'; Expected = 'inProgress' }
            @{ Parameter = 'VppTokenAccountType'; Value = 'Education'; Property = 'vppTokenAccountType'; Expected = 'education' }
        ) {
            $splat = @{ Id = $SeedTokenId.Contoso; $Parameter = $Value }
            Set-IntuneVppToken @splat -Confirm:$false

            $sent = @(Get-WireJsonProperty -Json (Get-OnlyPatchBody) | Where-Object Name -EQ $Property)
            $sent.Count | Should -Be 1
            $sent[0].Value | Should -BeExactly $Expected
        }
    }

    Context 'Request' {
        It 'PATCHes {GraphEndpoint}/v1.0/deviceAppManagement/vppTokens/{id}' {
            Set-IntuneVppToken -Id $SeedTokenId.Fabrikam -CountryOrRegion 'fr' -Confirm:$false

            $requests = @(Get-GraphEmulatorRequest -Emulator $emu)
            $requests.Count | Should -Be 1
            $requests[0].method | Should -Be 'PATCH'
            $requests[0].path | Should -BeExactly "$ItemPrefix$($SeedTokenId.Fabrikam)"
            $requests[0].headers.Authorization | Should -BeExactly "Bearer $AccessTokenText"
            $requests[0].headers.'Content-Type' | Should -BeLike 'application/json*'
        }

        It 'sends @odata.type and only <Property> for <Scenario>' -TestCases @(
            @{ Scenario = '-OrganizationName'; Parameters = @{ OrganizationName = 'Organization Name value' }; Property = 'organizationName'; Kind = 'String'; Expected = 'Organization Name value' }
            @{ Scenario = '-VppTokenAccountType education'; Parameters = @{ VppTokenAccountType = 'education' }; Property = 'vppTokenAccountType'; Kind = 'String'; Expected = 'education' }
            @{ Scenario = '-AppleId'; Parameters = @{ AppleId = 'Apple Id value' }; Property = 'appleId'; Kind = 'String'; Expected = 'Apple Id value' }
            @{ Scenario = '-ExpirationDateTime'; Parameters = @{ ExpirationDateTime = '2016-12-31T23:57:57.2481234-08:00' }; Property = 'expirationDateTime'; Kind = 'String'; Expected = '2016-12-31T23:57:57.2481234-08:00' }
            @{ Scenario = '-LastSyncDateTime'; Parameters = @{ LastSyncDateTime = '2017-01-01T00:02:49.3205976-08:00' }; Property = 'lastSyncDateTime'; Kind = 'String'; Expected = '2017-01-01T00:02:49.3205976-08:00' }
            @{ Scenario = '-Token'; Parameters = @{ Token = 'Token value' }; Property = 'token'; Kind = 'String'; Expected = 'Token value' }
            @{ Scenario = '-State invalid'; Parameters = @{ State = 'invalid' }; Property = 'state'; Kind = 'String'; Expected = 'invalid' }
            @{ Scenario = '-LastSyncStatus failed'; Parameters = @{ LastSyncStatus = 'failed' }; Property = 'lastSyncStatus'; Kind = 'String'; Expected = 'failed' }
            @{ Scenario = '-AutomaticallyUpdateApps $true'; Parameters = @{ AutomaticallyUpdateApps = $true }; Property = 'automaticallyUpdateApps'; Kind = 'True'; Expected = 'true' }
            @{ Scenario = '-AutomaticallyUpdateApps $false'; Parameters = @{ AutomaticallyUpdateApps = $false }; Property = 'automaticallyUpdateApps'; Kind = 'False'; Expected = 'false' }
            @{ Scenario = '-CountryOrRegion'; Parameters = @{ CountryOrRegion = 'Country Or Region value' }; Property = 'countryOrRegion'; Kind = 'String'; Expected = 'Country Or Region value' }
        ) {
            $splat = ConvertTo-SetParameter $Parameters
            Set-IntuneVppToken -Id $SeedTokenId.Contoso @splat -Confirm:$false

            $sent = @(Get-WireJsonProperty -Json (Get-OnlyPatchBody))
            @($sent.Name) | Should -Be @('@odata.type', $Property)
            $sent[0].Value | Should -BeExactly '#microsoft.graph.vppToken'
            $sent[1].Kind | Should -Be $Kind
            $sent[1].Value | Should -BeExactly $Expected
        }

        It 'sends exactly the bound properties when several are given, and no nulls' {
            Set-IntuneVppToken -Id $SeedTokenId.Contoso -State expired -AutomaticallyUpdateApps $false -AppleId 'new@contoso.com' -Confirm:$false

            $sent = @(Get-WireJsonProperty -Json (Get-OnlyPatchBody))
            @($sent.Name | Sort-Object) | Should -Be @('@odata.type', 'appleId', 'automaticallyUpdateApps', 'state')
            @($sent | Where-Object Kind -EQ 'Null').Count | Should -Be 0
        }

        It 'refuses to send an empty change' {
            $caught = $null
            $err = $null
            try { Set-IntuneVppToken -Id $SeedTokenId.Contoso -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue } catch { $caught = $_ }

            $errors = Select-ErrorRecord $err $caught
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'NothingToChange,*'
            $errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $errors[0].ToString() | Should -BeLike '*give at least one property*'
            @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
        }

        It 'keeps the caller''s offset and precision: <Scenario>' -TestCases @(
            @{ Scenario = 'seven fraction digits, -08:00'; Value = '2016-12-31T23:57:57.2481234-08:00'; Expected = '2016-12-31T23:57:57.2481234-08:00' }
            @{ Scenario = 'three fraction digits, -03:00'; Value = '2024-03-10T08:00:00.123-03:00'; Expected = '2024-03-10T08:00:00.123-03:00' }
            @{ Scenario = 'whole seconds, +05:30'; Value = '2024-03-10T08:00:00+05:30'; Expected = '2024-03-10T08:00:00+05:30' }
            @{ Scenario = 'UTC with Z'; Value = '2024-03-10T08:00:00Z'; Expected = '2024-03-10T08:00:00Z' }
            @{ Scenario = 'one fraction digit, +14:00'; Value = '2024-03-10T08:00:00.5+14:00'; Expected = '2024-03-10T08:00:00.5+14:00' }
        ) {
            Set-IntuneVppToken -Id $SeedTokenId.Contoso -ExpirationDateTime $Value -LastSyncDateTime ([DateTimeOffset]::Parse($Value, [cultureinfo]::InvariantCulture)) -Confirm:$false

            $sent = @(Get-WireJsonProperty -Json (Get-OnlyPatchBody))
            ($sent | Where-Object Name -EQ 'expirationDateTime').Value | Should -BeExactly $Expected
            ($sent | Where-Object Name -EQ 'lastSyncDateTime').Value | Should -BeExactly $Expected
        }

        It 'reproduces the example request of Graph''s "Update vppToken" page' {
            # The request body of the example in docs/.../intune-onboarding-vpptoken-update.md (shared/spec/update-vpptoken.md).
            $example = @'
{
  "@odata.type": "#microsoft.graph.vppToken",
  "organizationName": "Organization Name value",
  "vppTokenAccountType": "education",
  "appleId": "Apple Id value",
  "expirationDateTime": "2016-12-31T23:57:57.2481234-08:00",
  "lastSyncDateTime": "2017-01-01T00:02:49.3205976-08:00",
  "token": "Token value",
  "state": "valid",
  "lastSyncStatus": "inProgress",
  "automaticallyUpdateApps": true,
  "countryOrRegion": "Country Or Region value"
}
'@
            $appleToken = ConvertTo-SecureString 'Token value' -AsPlainText -Force
            $parameters = @{
                Id                      = $SeedTokenId.Contoso
                OrganizationName        = 'Organization Name value'
                VppTokenAccountType     = 'education'
                AppleId                 = 'Apple Id value'
                ExpirationDateTime      = '2016-12-31T23:57:57.2481234-08:00'
                LastSyncDateTime        = '2017-01-01T00:02:49.3205976-08:00'
                Token                   = $appleToken
                State                   = 'valid'
                LastSyncStatus          = 'inProgress'
                AutomaticallyUpdateApps = $true
                CountryOrRegion         = 'Country Or Region value'
            }
            Set-IntuneVppToken @parameters -Confirm:$false

            $patch = @(Get-Patch)
            $patch.Count | Should -Be 1
            $patch[0].path | Should -BeExactly "$ItemPrefix$($SeedTokenId.Contoso)"
            @(Format-WireJson -Json $patch[0].body) | Should -Be @(Format-WireJson -Json $example)
        }
    }

    Context 'Pipeline input' {
        It 'binds <Scenario> and takes only the identity from it' -TestCases @(
            @{ Scenario = 'id strings by value'; Shape = 'IdString' }
            @{ Scenario = 'VppToken objects from Get-IntuneVppToken by value'; Shape = 'VppToken' }
            @{ Scenario = 'objects shaped like Get-MgDeviceAppManagementVppToken output, by the Id property'; Shape = 'MgShapedObject' }
            @{ Scenario = 'objects with a VppTokenId property'; Shape = 'VppTokenIdProperty' }
            @{ Scenario = 'Import-Csv rows with an Id column'; Shape = 'CsvIdColumn' }
            @{ Scenario = 'Import-Csv rows with a VppTokenId column'; Shape = 'CsvVppTokenIdColumn' }
        ) {
            $ids = @($SeedTokenId.Contoso, $SeedTokenId.Labs)
            $inputObjects = @(New-PipelineInput -Shape $Shape -Ids $ids)
            @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0

            $inputObjects | Set-IntuneVppToken -LastSyncStatus failed -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue

            $err | Should -BeNullOrEmpty
            $patches = @(Get-Patch)
            @($patches.path) | Should -Be @($ids | ForEach-Object { "$ItemPrefix$_" })
            foreach ($patch in $patches) {
                @(Format-WireJson -Json $patch.body) | Should -Be @('@odata.type String #microsoft.graph.vppToken', 'lastSyncStatus String failed')
            }
        }
    }

    Context 'ShouldProcess' {
        It 'sends no PATCH with -WhatIf and says what it would set' {
            $run = Invoke-WithWhatIf -TranscriptPath (Join-Path $TestDrive 'whatif.txt') -ScriptBlock {
                Set-IntuneVppToken -Id $SeedTokenId.Contoso -State invalid -PassThru -WhatIf
            }

            $run.Errors | Should -BeNullOrEmpty -Because 'a cmdlet that failed before sending would also send nothing'
            $run.Output | Should -BeNullOrEmpty
            $run.WhatIf.Count | Should -Be 1
            $run.WhatIf[0] | Should -BeLike "*Set *invalid*$($SeedTokenId.Contoso)*"
            # It may read a token to name its organization; what must not go out is a write.
            @(Get-GraphEmulatorRequest -Emulator $emu | Where-Object method -NE 'GET').Count | Should -Be 0
        }

        It 'sends no PATCH for piped ids with -WhatIf and names each of them' {
            $run = Invoke-WithWhatIf -TranscriptPath (Join-Path $TestDrive 'whatif.txt') -ScriptBlock {
                $SeedTokenId.Contoso, $SeedTokenId.Labs | Set-IntuneVppToken -State invalid -WhatIf
            }

            $run.Errors | Should -BeNullOrEmpty
            $run.WhatIf.Count | Should -Be 2
            $run.WhatIf[0] | Should -BeLike "*Set *invalid*$($SeedTokenId.Contoso)*"
            $run.WhatIf[1] | Should -BeLike "*Set *invalid*$($SeedTokenId.Labs)*"
            # It may read a token to name its organization; what must not go out is a write.
            @(Get-GraphEmulatorRequest -Emulator $emu | Where-Object method -NE 'GET').Count | Should -Be 0
        }

        It 'sends with -Confirm:$false even when $ConfirmPreference asks about everything' {
            $ConfirmPreference = 'Low'
            Set-IntuneVppToken -Id $SeedTokenId.Contoso -State invalid -Confirm:$false
            @(Get-Patch).Count | Should -Be 1
        }

        It 'declares ConfirmImpact Medium, so the default $ConfirmPreference (High) does not ask' {
            $metadata = [System.Management.Automation.CommandMetadata]::new((Get-Command Set-IntuneVppToken))
            $metadata.SupportsShouldProcess | Should -BeTrue
            $metadata.ConfirmImpact | Should -Be ([System.Management.Automation.ConfirmImpact]::Medium)

            $ConfirmPreference = 'High'
            Set-IntuneVppToken -Id $SeedTokenId.Contoso -State invalid
            @(Get-Patch).Count | Should -Be 1
        }
    }

    Context '-PassThru' {
        It 'writes the updated token from the 200 answer' {
            $updated = @(Set-IntuneVppToken -Id $SeedTokenId.Fabrikam -CountryOrRegion 'nz' -State invalid -ExpirationDateTime '2031-05-06T07:08:09+02:00' -PassThru -Confirm:$false)

            $updated.Count | Should -Be 1
            $updated[0].PSObject.TypeNames | Should -Contain 'IntuneVpp.VppToken'
            $updated[0].Id | Should -Be $SeedTokenId.Fabrikam
            $updated[0].CountryOrRegion | Should -BeExactly 'nz'
            $updated[0].State | Should -BeExactly 'invalid'
            $updated[0].ExpirationDateTime | Should -Be ([DateTimeOffset]'2031-05-06T07:08:09+02:00')
            @((Get-GraphEmulatorRequest -Emulator $emu).method) | Should -Be @('PATCH')
        }

        It 'reads the token back when Graph answers 204 No Content' {
            $null = Set-GraphEmulatorSetting -Emulator $emu -Settings @{ patchNoContent = $true }

            $updated = @(Set-IntuneVppToken -Id $SeedTokenId.Fabrikam -CountryOrRegion 'nz' -AutomaticallyUpdateApps $true -PassThru -Confirm:$false)

            $updated.Count | Should -Be 1
            $updated[0].Id | Should -Be $SeedTokenId.Fabrikam
            $updated[0].CountryOrRegion | Should -BeExactly 'nz'
            $updated[0].AutomaticallyUpdateApps | Should -BeTrue
            $requests = @(Get-GraphEmulatorRequest -Emulator $emu)
            @($requests.method) | Should -Be @('PATCH', 'GET')
            $requests[1].path | Should -BeExactly "$ItemPrefix$($SeedTokenId.Fabrikam)"
        }

        It 'writes nothing without -PassThru' {
            $output = Set-IntuneVppToken -Id $SeedTokenId.Fabrikam -CountryOrRegion 'nz' -Confirm:$false
            $output | Should -BeNullOrEmpty
            @(Get-Patch).Count | Should -Be 1
        }
    }

    Context 'Errors' {
        It 'writes a non-terminating error for the failing item and goes on with the next' {
            $unknown = '11111111-2222-4333-8444-555555555555'
            $ids = @($SeedTokenId.Contoso, $unknown, $SeedTokenId.Labs)

            $updated = @($ids | Set-IntuneVppToken -CountryOrRegion 'ca' -PassThru -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue)

            @($updated.Id) | Should -Be @($SeedTokenId.Contoso, $SeedTokenId.Labs)
            @($updated.CountryOrRegion) | Should -Be @('ca', 'ca')
            @($err).Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'GraphNotFound,*'
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err[0].TargetObject | Should -Be $unknown
            @((Get-Patch).path) | Should -Be @($ids | ForEach-Object { "$ItemPrefix$_" })
        }

        It 'reports a <Status> as <ErrorId> (<Category>) with Graph''s code, message and the request ids' -TestCases @(
            @{ Status = 400; ErrorId = 'GraphBadRequest'; Category = 'InvalidArgument'; Code = 'BadRequest'; Message = 'Invalid value for property countryOrRegion from Pester.' }
            @{ Status = 401; ErrorId = 'GraphUnauthorized'; Category = 'AuthenticationError'; Code = 'InvalidAuthenticationToken'; Message = 'Access token has expired or is not yet valid (Pester).' }
            @{ Status = 403; ErrorId = 'GraphForbidden'; Category = 'PermissionDenied'; Code = 'Forbidden'; Message = 'Application is not authorized to perform this operation (Pester).' }
            @{ Status = 404; ErrorId = 'GraphNotFound'; Category = 'ObjectNotFound'; Code = 'ResourceNotFound'; Message = 'The vppToken was not found (Pester).' }
        ) {
            $requestId = [guid]::NewGuid().ToString()
            $date = '2024-05-06T07:08:09'
            Add-GraphEmulatorScript -Emulator $emu -Method PATCH -Path "$ItemPrefix$($SeedTokenId.Contoso)" -Response @(
                @{ status = $Status; json = @{ error = @{ code = $Code; message = $Message; innerError = @{ date = $date; 'request-id' = $requestId } } } }
            )

            Set-IntuneVppToken -Id $SeedTokenId.Contoso -CountryOrRegion 'ca' -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue

            @($err).Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $err[0].CategoryInfo.Category | Should -Be $Category
            $clientRequestId = @(Get-Patch)[0].headers.'client-request-id'
            $clientRequestId | Should -Not -BeNullOrEmpty
            $text = $err[0].ToString()
            $text | Should -BeLike "*$Code*"
            $text | Should -BeLike "*$Message*"
            $text | Should -BeLike "*$requestId*"
            $text | Should -BeLike "*$clientRequestId*"
            $text | Should -BeLike "*$date*"
        }

        It 'sends a new client-request-id with every request' {
            $null = Set-GraphEmulatorSetting -Emulator $emu -Settings @{ patchNoContent = $true }
            $SeedTokenId.Contoso, $SeedTokenId.Fabrikam, $SeedTokenId.Labs |
                Set-IntuneVppToken -CountryOrRegion 'ca' -PassThru -Confirm:$false | Out-Null

            $requests = @(Get-GraphEmulatorRequest -Emulator $emu)
            $requests.Count | Should -Be 6
            $ids = @($requests | ForEach-Object { $_.headers.'client-request-id' })
            $ids | ForEach-Object { [guid]::Parse($_) } | Should -Not -BeNullOrEmpty
            @($ids | Sort-Object -Unique).Count | Should -Be $requests.Count
        }

        It 'refuses the id <Scenario> before anything is sent' -TestCases @(
            @{ Scenario = "''"; Id = '' }
            @{ Scenario = "' '"; Id = ' ' }
            @{ Scenario = "'../../me'"; Id = '../../me' }
            @{ Scenario = "'not-a-guid'"; Id = 'not-a-guid' }
            @{ Scenario = 'a GUID with a path after it'; Id = '0f5d8d4b-3c1e-4b7a-a2d4-6e9f1b2c3d4e/../../../me' }
            @{ Scenario = 'a GUID with a query after it'; Id = '0f5d8d4b-3c1e-4b7a-a2d4-6e9f1b2c3d4e?$select=token' }
            @{ Scenario = 'an encoded traversal'; Id = '..%2F..%2Fme' }
        ) {
            $caught = $null
            $err = $null
            try { Set-IntuneVppToken -Id $Id -State valid -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue } catch { $caught = $_ }

            $errors = @(@($err) + @($caught) | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -Match '^(InvalidVppTokenId|ParameterArgumentValidationError),'
            @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
        }

        It 'never leaves .../vppTokens/ for a piped ''../../me'' and still processes the good ids' {
            $SeedTokenId.Contoso, '../../me', $SeedTokenId.Labs |
                Set-IntuneVppToken -State valid -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue

            @($err).Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidVppTokenId,*'
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $requests = @(Get-GraphEmulatorRequest -Emulator $emu)
            @($requests.path) | Should -Be @("$ItemPrefix$($SeedTokenId.Contoso)", "$ItemPrefix$($SeedTokenId.Labs)")
        }
    }

    Context 'Secrets' {
        BeforeAll {
            $script:AppleTokenText = 'pester-apple-vpp-secret-' + [guid]::NewGuid().ToString('N')
        }

        It 'keeps the Apple token and the access token out of <Scenario>' -TestCases @(
            @{ Scenario = '-Verbose -Debug output (*>&1)'; Mode = 'Switches'; Id = '0f5d8d4b-3c1e-4b7a-a2d4-6e9f1b2c3d4e' }
            @{ Scenario = 'output under $VerbosePreference and $DebugPreference Continue'; Mode = 'Preferences'; Id = '0f5d8d4b-3c1e-4b7a-a2d4-6e9f1b2c3d4e' }
            @{ Scenario = 'verbose and debug records captured with 4>&1 and 5>&1'; Mode = 'Redirect45'; Id = '0f5d8d4b-3c1e-4b7a-a2d4-6e9f1b2c3d4e' }
            @{ Scenario = 'the error for an unknown id'; Mode = 'Switches'; Id = '11111111-2222-4333-8444-555555555555' }
        ) {
            $appleToken = ConvertTo-SecureString $AppleTokenText -AsPlainText -Force
            $streams = switch ($Mode) {
                'Switches' { Set-IntuneVppToken -Id $Id -Token $appleToken -PassThru -Confirm:$false -Verbose -Debug -ErrorAction Continue *>&1 }
                'Preferences' {
                    $VerbosePreference = 'Continue'
                    $DebugPreference = 'Continue'
                    Set-IntuneVppToken -Id $Id -Token $appleToken -PassThru -Confirm:$false -ErrorAction Continue *>&1
                }
                'Redirect45' { Set-IntuneVppToken -Id $Id -Token $appleToken -PassThru -Confirm:$false -Verbose -Debug 4>&1 5>&1 }
            }
            $streams = @($streams)
            @($streams | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count |
                Should -BeGreaterThan 0 -Because 'the request is described on the verbose stream when verbose output is asked for'
            @($streams | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }).Count |
                Should -BeGreaterThan 0 -Because 'the (redacted) request body is written to the debug stream when debug output is asked for'
            $text = ($streams | ConvertTo-StreamText) -join "`n"
            $text | Should -Not -BeNullOrEmpty
            $text | Should -Not -BeLike "*$AppleTokenText*"
            $text | Should -Not -BeLike "*$AccessTokenText*"

            # The secrets did travel, so the checks above could have failed.
            $patch = @(Get-Patch)
            $patch.Count | Should -Be 1
            (Get-WireJsonProperty -Json $patch[0].body | Where-Object Name -EQ 'token').Value | Should -BeExactly $AppleTokenText
            $patch[0].headers.Authorization | Should -BeExactly "Bearer $AccessTokenText"
        }

        It 'keeps the Apple token out of the error when Graph echoes it in its message' {
            $appleToken = ConvertTo-SecureString $AppleTokenText -AsPlainText -Force
            Add-GraphEmulatorScript -Emulator $emu -Method PATCH -Path "$ItemPrefix$($SeedTokenId.Contoso)" -Response @(
                @{ status = 400; json = @{ error = @{ code = 'BadRequest'; message = "The token '$AppleTokenText' could not be read as an Apple VPP token."; innerError = @{ date = '2024-05-06T07:08:09'; 'request-id' = 'b7c1e3a0-0000-4000-8000-000000000400' } } } }
            )

            $streams = @(Set-IntuneVppToken -Id $SeedTokenId.Contoso -Token $appleToken -Confirm:$false -Verbose -Debug -ErrorVariable err -ErrorAction SilentlyContinue *>&1)

            @($err).Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'GraphBadRequest,*'
            $text = ((@($err) + $streams) | ConvertTo-StreamText) -join "`n"
            $text | Should -BeLike '*b7c1e3a0-0000-4000-8000-000000000400*'
            $text | Should -Not -BeLike "*$AppleTokenText*"
            (Get-WireJsonProperty -Json (Get-OnlyPatchBody) | Where-Object Name -EQ 'token').Value | Should -BeExactly $AppleTokenText
        }
    }

    Context 'Without a connection' {
        BeforeAll {
            Disconnect-IntuneVpp
        }

        AfterAll {
            Connect-IntuneVpp -AccessToken (ConvertTo-SecureString $AccessTokenText -AsPlainText -Force) -GraphEndpoint $emu.Uri
        }

        It 'stops with NotConnected, says how to connect and sends nothing' {
            $caught = $null
            $err = $null
            try { Set-IntuneVppToken -Id $SeedTokenId.Contoso -State valid -Confirm:$false -ErrorAction Stop } catch { $caught = $_ }

            $caught | Should -Not -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -BeLike 'NotConnected,*'
            $caught.ToString() | Should -BeLike '*Connect-IntuneVpp*'
            @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
        }

        It 'stops the whole pipeline, not item by item' {
            $caught = $null
            $err = $null
            try { $SeedTokenId.Contoso, $SeedTokenId.Labs | Set-IntuneVppToken -State valid -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue } catch { $caught = $_ }

            @(@($err) + @($caught) | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] -and $_.FullyQualifiedErrorId -like 'NotConnected,*' }).Count | Should -BeGreaterThan 0
            @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
        }
    }
}
