#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Update-IntuneVppToken against the emulator with three tenants, each its own connection: Contoso (beta, one
# token), Fabrikam (beta, one organization with a token per location) and Northwind (v1.0, where tokens have no
# location). Every file ends as one result; what reached the wire says which PATCHes went where, and that -WhatIf,
# NoMatch and Ambiguous sent none.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:emu = Start-VppTokenTest -Helper TokenFiles, SignInHelpers
    $script:Invariant = [System.Globalization.CultureInfo]::InvariantCulture

    $script:Tenant = @{
        Contoso   = 'c0000000-0000-4000-8000-000000000001'
        Fabrikam  = 'c0000000-0000-4000-8000-000000000002'
        Northwind = 'c0000000-0000-4000-8000-000000000003'
    }
    $script:Id = @{
        Contoso     = 'a0000000-0000-4000-8000-000000000001'
        North       = 'a0000000-0000-4000-8000-000000000002'
        South       = 'a0000000-0000-4000-8000-000000000003'
        Staff       = 'a0000000-0000-4000-8000-000000000004'
        Northwind   = 'a0000000-0000-4000-8000-000000000005'
        TailspinOne = 'a0000000-0000-4000-8000-000000000006'
        TailspinTwo = 'a0000000-0000-4000-8000-000000000007'
    }

    # The emulator's reset keeps only its seed's tenants, so every test puts these back.
    function script:Set-TestTenant {
        Reset-GraphEmulator -Emulator $emu
        Set-GraphEmulatorTenant $emu -TenantId $Tenant.Contoso -VppToken @(
            @{ id = $Id.Contoso; organizationName = 'Contoso Ltd.'; locationName = 'HQ'; expirationDateTime = '+20d' })
        Set-GraphEmulatorTenant $emu -TenantId $Tenant.Fabrikam -VppToken @(
            @{ id = $Id.North; organizationName = 'Fabrikam Schools'; locationName = 'North High'; expirationDateTime = '+10d' }
            @{ id = $Id.South; organizationName = 'Fabrikam Schools'; locationName = $null; displayName = 'South High'; expirationDateTime = '+12d' }
            @{ id = $Id.Staff; organizationName = 'Fabrikam Staff'; locationName = 'District Office'; expirationDateTime = '+300d' })
        Set-GraphEmulatorTenant $emu -TenantId $Tenant.Northwind -VppToken @(
            @{ id = $Id.Northwind; organizationName = 'Northwind Traders'; locationName = 'Seattle'; expirationDateTime = '+200d' }
            @{ id = $Id.TailspinOne; organizationName = 'Tailspin Toys'; locationName = 'Dock'; expirationDateTime = '+30d' }
            @{ id = $Id.TailspinTwo; organizationName = 'Tailspin Toys'; locationName = 'Store'; expirationDateTime = '+30d' })
        Clear-GraphEmulatorRequest -Emulator $emu
    }
    Set-TestTenant

    function script:Connect-TestTenant([string] $TenantId, [string] $ApiVersion = 'beta', [string[]] $Role = @('DeviceManagementServiceConfig.ReadWrite.All')) {
        Connect-EmulatorTenant -Emulator $emu -TenantId $TenantId -Role $Role -ApiVersion $ApiVersion
    }
    $script:Contoso = Connect-TestTenant $Tenant.Contoso
    $script:Fabrikam = Connect-TestTenant $Tenant.Fabrikam
    $script:Northwind = Connect-TestTenant $Tenant.Northwind -ApiVersion v1.0
    $script:All = @($Contoso, $Fabrikam, $Northwind)

    # Each file of the renewal day, in a folder of its own per test; Kind and ExpiresIn as New-TestTokenFile takes them.
    function script:New-RenewalFolder([hashtable[]] $Files) {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        $made = @{}
        foreach ($file in $Files) {
            $made[$file['Name']] = New-TestTokenFile -Directory $folder -Name $file['Name'] -Kind ($file['Kind'] ?? 'Valid') `
                -OrganizationName ($file['Organization'] ?? 'x') -ExpiresIn ($file['ExpiresIn'] ?? [TimeSpan]::FromDays(365))
        }
        [pscustomobject]@{ Path = $folder; Files = $made }
    }

    $script:RenewalDay = @(
        @{ Name = 'sToken_for_HQ.vpptoken'; Organization = 'Contoso Ltd.' }                 # one token: Renewed
        @{ Name = 'sToken_for_North High.vpptoken'; Organization = 'Fabrikam Schools' }     # two locations: Renewed
        @{ Name = 'sToken_for_south high.vpptoken'; Organization = 'Fabrikam Schools' }     #   (display name, any case): Renewed
        @{ Name = 'fabrikam.vpptoken'; Organization = 'Fabrikam Schools' }                  # no location in the name: Ambiguous
        @{ Name = 'sToken_for_Dock.vpptoken'; Organization = 'Tailspin Toys' }              # v1.0 has no location: Ambiguous
        @{ Name = 'sToken_for_Lab.vpptoken'; Organization = 'Nobody Inc.' }                 # unknown organization: NoMatch
        @{ Name = 'northwind.vpptoken'; Organization = 'Northwind Traders'; ExpiresIn = [TimeSpan]::FromDays(100) } # older: NotNewer
        @{ Name = 'corrupt.vpptoken'; Kind = 'NotJson' }                                    # corrupt: Failed
    )

    function script:Get-Patch { @(Get-GraphEmulatorRequest -Emulator $emu -Method PATCH) }

    # Which tenant a logged request was sent for: the tid of its bearer token.
    function script:Get-RequestTenant($Request) { (Get-JwtPayload (Get-RequestBearer $Request)).tid }

    function script:Get-Outcome($Results) {
        $map = @{}
        foreach ($result in $Results) { $map[[IO.Path]::GetFileName($result.File)] = [string]$result.Outcome }
        $map
    }
}

AfterAll {
    Stop-VppTokenTest
}

Describe 'Update-IntuneVppToken across three connections' {
    BeforeEach {
        Set-TestTenant
    }

    It 'renews the token of each file it can place, and sends nothing for the rest' {
        $day = New-RenewalFolder $RenewalDay

        $results = @(Update-IntuneVppToken -Path (Join-Path $day.Path '*.vpptoken') -Connection $All -ErrorVariable err -ErrorAction SilentlyContinue)

        $results.Count | Should -Be 8 -Because 'every file ends as one result'
        $outcome = Get-Outcome $results
        $outcome['sToken_for_HQ.vpptoken'] | Should -Be 'Renewed'
        $outcome['sToken_for_North High.vpptoken'] | Should -Be 'Renewed'
        $outcome['sToken_for_south high.vpptoken'] | Should -Be 'Renewed'
        $outcome['fabrikam.vpptoken'] | Should -Be 'Ambiguous'
        $outcome['sToken_for_Dock.vpptoken'] | Should -Be 'Ambiguous'
        $outcome['sToken_for_Lab.vpptoken'] | Should -Be 'NoMatch'
        $outcome['northwind.vpptoken'] | Should -Be 'NotNewer'
        $outcome['corrupt.vpptoken'] | Should -Be 'Failed'

        @($err.FullyQualifiedErrorId | ForEach-Object { ($_ -split ',')[0] } | Sort-Object) |
            Should -Be @('InvalidTokenFile', 'TokenFileAmbiguous', 'TokenFileAmbiguous', 'TokenFileNoMatch')

        # On the wire: three PATCHes, each to its token's own tenant and Graph version, each carrying its whole file.
        $patches = @(Get-Patch)
        $sent = @($patches | ForEach-Object { '{0} {1}' -f (Get-RequestTenant $_), $_.path } | Sort-Object)
        $sent | Should -Be @(
            "$($Tenant.Contoso) /beta/deviceAppManagement/vppTokens/$($Id.Contoso)"
            "$($Tenant.Fabrikam) /beta/deviceAppManagement/vppTokens/$($Id.North)"
            "$($Tenant.Fabrikam) /beta/deviceAppManagement/vppTokens/$($Id.South)"
        )
        $bodyOf = @{}
        foreach ($patch in $patches) { $bodyOf[($patch.path -split '/')[-1]] = @(Format-WireJson $patch.body | Where-Object { $_ -notlike '@odata.type *' }) }
        $bodyOf[$Id.Contoso] | Should -Be @("token String $($day.Files['sToken_for_HQ.vpptoken'].Content)")
        $bodyOf[$Id.North] | Should -Be @("token String $($day.Files['sToken_for_North High.vpptoken'].Content)")
        $bodyOf[$Id.South] | Should -Be @("token String $($day.Files['sToken_for_south high.vpptoken'].Content)")

        # Each tenant's list was read once, and each token read again just before its PATCH.
        $lists = @(Get-GraphEmulatorRequest -Emulator $emu -Method GET | Where-Object path -Match '/vppTokens$')
        @($lists | ForEach-Object { Get-RequestTenant $_ } | Sort-Object) | Should -Be @($Tenant.Values | Sort-Object)
        $requests = @(Get-GraphEmulatorRequest -Emulator $emu)
        foreach ($patch in $patches) {
            $before = $requests | Where-Object { $_.sequence -lt $patch.sequence -and $_.method -eq 'GET' -and $_.path -eq $patch.path }
            $before | Should -Not -BeNullOrEmpty -Because "the token is read again before $($patch.path) is sent"
        }
        @($requests | Where-Object method -NotIn 'GET', 'PATCH') | Should -BeNullOrEmpty -Because 'no -Sync was asked for'

        # What Intune now holds: the new expiry where renewed, the old one elsewhere.
        $stored = Get-StoredVppToken -Emulator $emu -TenantId $Tenant.Fabrikam | Where-Object id -EQ $Id.North
        [DateTimeOffset]::Parse($stored.expirationDateTime, $Invariant) | Should -Be $day.Files['sToken_for_North High.vpptoken'].Expiration
    }

    It 'writes results that say which token of which tenant, with both expirations' {
        $day = New-RenewalFolder $RenewalDay[1], $RenewalDay[6]

        $results = @(Update-IntuneVppToken -Path (Join-Path $day.Path '*') -Connection $All)

        $north = $results | Where-Object { $_.File -like '*North High*' }
        $north.GetType().FullName | Should -Be 'IntuneVpp.VppTokenRenewal'
        $north.File | Should -Be $day.Files['sToken_for_North High.vpptoken'].Path
        $north.TenantId | Should -Be $Tenant.Fabrikam
        $north.TokenId | Should -Be $Id.North
        $north.OrganizationName | Should -Be 'Fabrikam Schools'
        $north.Location | Should -Be 'North High'
        $north.OldExpiration | Should -BeLessThan ([DateTimeOffset]::UtcNow.AddDays(11))
        $north.NewExpiration | Should -Be $day.Files['sToken_for_North High.vpptoken'].Expiration
        $north.Error | Should -BeNullOrEmpty

        $older = $results | Where-Object { $_.File -like '*northwind*' }
        $older.Outcome | Should -Be 'NotNewer'
        ($older.TenantId, $older.TokenId) | Should -Be @($Tenant.Northwind, $Id.Northwind)
        $older.Error | Should -BeLike '*not later than VPP token*'
        @(Get-Patch).Count | Should -Be 1
    }

    It 'lists the candidates of an ambiguous file and says how to choose; v1.0''s missing locations are named' {
        $day = New-RenewalFolder $RenewalDay[3], $RenewalDay[4]

        $results = @(Update-IntuneVppToken -Path (Join-Path $day.Path '*') -Connection $All -ErrorVariable err -ErrorAction SilentlyContinue)

        $fabrikam = $err | Where-Object TargetObject -Like '*fabrikam.vpptoken'
        $fabrikam.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $text = Get-ErrorText $fabrikam
        $text | Should -BeLike "*tenant $($Tenant.Fabrikam), token $($Id.North), organization 'Fabrikam Schools', location 'North High', expires *"
        $text | Should -BeLike "*tenant $($Tenant.Fabrikam), token $($Id.South), organization 'Fabrikam Schools', location 'South High', expires *"
        $text | Should -Not -BeLike "*$($Id.Staff)*"
        $fabrikam.ErrorDetails.RecommendedAction | Should -BeLike "*Set-IntuneVppToken -Id <its id> -TokenFile '$($day.Files['fabrikam.vpptoken'].Path)'*"

        $dock = $err | Where-Object TargetObject -Like '*Dock*'
        Get-ErrorText $dock | Should -BeLike '*Graph v1.0 has neither locationName nor displayName*'
        @(($results | Where-Object { $_.File -like '*Dock*' }).Candidates.TokenId | Sort-Object) | Should -Be @($Id.TailspinOne, $Id.TailspinTwo)
        Get-Patch | Should -BeNullOrEmpty
    }

    It 'names what is there when a file matches no token' {
        $day = New-RenewalFolder $RenewalDay[5]

        $results = @(Update-IntuneVppToken -Path (Join-Path $day.Path '*') -Connection $All -ErrorVariable err -ErrorAction SilentlyContinue)

        $results.Outcome | Should -Be 'NoMatch'
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TokenFileNoMatch,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Get-ErrorText $err[0] | Should -BeLike "*'Nobody Inc.'*3 tenants read*"
        Get-Patch | Should -BeNullOrEmpty
    }
}

Describe 'Update-IntuneVppToken -WhatIf' {
    BeforeEach {
        Set-TestTenant
    }

    It 'shows the plan as a table (the Full view: tenant and whole ids) and sends nothing but the listings' {
        $day = New-RenewalFolder $RenewalDay
        $transcript = Join-Path $TestDrive "whatif-$([guid]::NewGuid().ToString('n')).txt"

        $run = Invoke-WithWhatIf -TranscriptPath $transcript -ScriptBlock { Update-IntuneVppToken -Path (Join-Path $day.Path '*.vpptoken') -Connection $All -Sync -WhatIf -ErrorAction Continue }

        $outcome = Get-Outcome $run.Output
        $outcome.Count | Should -Be 8
        @($outcome.Keys | Where-Object { $outcome[$_] -eq 'WouldRenew' } | Sort-Object) | Should -Be @('sToken_for_HQ.vpptoken', 'sToken_for_North High.vpptoken', 'sToken_for_south high.vpptoken')
        $outcome['fabrikam.vpptoken'] | Should -Be 'Ambiguous'
        $outcome['sToken_for_Lab.vpptoken'] | Should -Be 'NoMatch'
        $outcome['northwind.vpptoken'] | Should -Be 'NotNewer'
        $outcome['corrupt.vpptoken'] | Should -Be 'Failed'

        $run.WhatIf.Count | Should -Be 3
        $run.WhatIf | Should -Contain ("What if: Performing the operation ""Renew from '{0}' (expiration {1} -> {2}) and start a license sync"" on target ""VPP token {3} (Fabrikam Schools, location 'North High') in tenant {4}""." -f
            $day.Files['sToken_for_North High.vpptoken'].Path,
            ($run.Output | Where-Object TokenId -EQ $Id.North).OldExpiration.UtcDateTime.ToString('yyyy-MM-dd'),
            $day.Files['sToken_for_North High.vpptoken'].Expiration.UtcDateTime.ToString('yyyy-MM-dd'),
            $Id.North, $Tenant.Fabrikam)

        $table = ($run.Output | Format-Table -View Full | Out-String -Width 300) -split "`r?`n" | Where-Object { $_.Trim() }
        $table[0] -split '\s+' | Where-Object { $_ } | Should -Be @('Outcome', 'File', 'TenantId', 'TokenId', 'Organization', 'Location', 'Expiration')
        $row = $table | Where-Object { $_ -like '*sToken_for_North High.vpptoken*' }
        $row | Should -BeLike "WouldRenew*$($Tenant.Fabrikam)*$($Id.North)*Fabrikam Schools*North High*-> $($day.Files['sToken_for_North High.vpptoken'].Expiration.UtcDateTime.ToString('yyyy-MM-dd'))*"

        @(Get-GraphEmulatorRequest -Emulator $emu | ForEach-Object method | Sort-Object -Unique) | Should -Be @('GET')
        @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 3 -Because 'each tenant is listed once, and nothing more is read for a plan'
    }

    It 'is of medium impact, and renews without asking under -Confirm:$false' {
        $day = New-RenewalFolder $RenewalDay[0], $RenewalDay[1]
        (Get-Command Update-IntuneVppToken).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false).ConfirmImpact | Should -Be 'Medium'

        $results = @(Update-IntuneVppToken -Path (Join-Path $day.Path '*') -Connection $All -Confirm:$false)

        @($results.Outcome | Sort-Object -Unique) | Should -Be @('Renewed')
        @(Get-Patch).Count | Should -Be 2
    }
}

Describe 'Update-IntuneVppToken input' {
    BeforeEach {
        Set-TestTenant
    }

    It 'takes Get-ChildItem''s files from the pipeline and the current connection by default' {
        $day = New-RenewalFolder $RenewalDay[0]
        Connect-IntuneVpp -AccessToken (ConvertTo-SecureString (New-GraphEmulatorAccessToken $emu -TenantId $Tenant.Contoso) -AsPlainText -Force) -GraphEndpoint $emu.Uri -ApiVersion beta
        try {
            $results = @(Get-ChildItem -LiteralPath $day.Path -Filter *.vpptoken | Update-IntuneVppToken)
        }
        finally { Disconnect-IntuneVpp }

        $results.Outcome | Should -Be 'Renewed'
        @(Get-Patch).path | Should -Be @("/beta/deviceAppManagement/vppTokens/$($Id.Contoso)")
    }

    It 'reads a file named twice once' {
        $day = New-RenewalFolder $RenewalDay[0]
        $file = $day.Files['sToken_for_HQ.vpptoken'].Path

        $results = @(Update-IntuneVppToken -Path $file, (Join-Path $day.Path '*.vpptoken') -Connection $All)

        $results.Count | Should -Be 1
        @(Get-Patch).Count | Should -Be 1
    }

    It 'sends only the newest of two files for one token' {
        $day = New-RenewalFolder @(
            @{ Name = 'contoso-2030.vpptoken'; Organization = 'Contoso Ltd.'; ExpiresIn = [TimeSpan]::FromDays(300) }
            @{ Name = 'contoso-2031.vpptoken'; Organization = 'Contoso Ltd.'; ExpiresIn = [TimeSpan]::FromDays(365) })

        $outcome = Get-Outcome @(Update-IntuneVppToken -Path (Join-Path $day.Path '*') -Connection $All)

        $outcome['contoso-2031.vpptoken'] | Should -Be 'Renewed'
        $outcome['contoso-2030.vpptoken'] | Should -Be 'NotNewer'
        @(Get-Patch | ForEach-Object { Format-WireJson $_.body } | Where-Object { $_ -notlike '@odata.type *' }) | Should -Be @("token String $($day.Files['contoso-2031.vpptoken'].Content)")
    }

    It 'refuses <Scenario> with one error and sends nothing' -TestCases @(
        @{ Scenario = 'a wildcard that matches nothing'; Path = '*.nothing'; Message = "No token file matches '*.nothing'." }
        @{ Scenario = 'a file that does not exist'; Path = 'missing.vpptoken'; Message = "The token file '*missing.vpptoken' does not exist." }
    ) {
        $folder = Join-Path $TestDrive 'empty'
        $null = New-Item -ItemType Directory -Path $folder -Force

        $results = @(Update-IntuneVppToken -Path (Join-Path $folder $Path) -Connection $All -ErrorVariable err -ErrorAction SilentlyContinue)

        $results | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TokenFileNotFound,*'
        "$($err[0])" | Should -BeLike $Message
        Get-GraphEmulatorRequest -Emulator $emu | Should -BeNullOrEmpty -Because 'no usable file: no tenant is even listed'
    }

    It 'refuses an expired file before anything is sent for it' {
        $day = New-RenewalFolder @(@{ Name = 'expired.vpptoken'; Kind = 'Expired'; Organization = 'Contoso Ltd.' })

        $results = @(Update-IntuneVppToken -Path (Join-Path $day.Path '*') -Connection $All -ErrorVariable err -ErrorAction SilentlyContinue)

        $results.Outcome | Should -Be 'Failed'
        $results.OrganizationName | Should -Be 'Contoso Ltd.'
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TokenFileExpired,*'
        Get-GraphEmulatorRequest -Emulator $emu | Should -BeNullOrEmpty
    }
}

Describe 'Update-IntuneVppToken -Sync and failures' {
    BeforeEach {
        Set-TestTenant
    }

    It 'starts a license sync of each renewed token after its PATCH' {
        $day = New-RenewalFolder $RenewalDay[0], $RenewalDay[1], $RenewalDay[5]

        $results = @(Update-IntuneVppToken -Path (Join-Path $day.Path '*') -Connection $All -Sync -ErrorAction SilentlyContinue)

        @($results | Where-Object Outcome -EQ 'Renewed').Count | Should -Be 2
        $requests = @(Get-GraphEmulatorRequest -Emulator $emu)
        $syncs = @($requests | Where-Object { $_.method -eq 'POST' })
        @($syncs.path | Sort-Object) | Should -Be @(
            "/beta/deviceAppManagement/vppTokens/$($Id.Contoso)/syncLicenses"
            "/beta/deviceAppManagement/vppTokens/$($Id.North)/syncLicenses")
        foreach ($sync in $syncs) {
            $patch = $requests | Where-Object { $_.method -eq 'PATCH' -and "$($_.path)/syncLicenses" -eq $sync.path }
            $patch.sequence | Should -BeLessThan $sync.sequence
        }
    }

    It 'writes Failed with Graph''s error for a renewal Graph refuses, and renews the others' {
        $day = New-RenewalFolder $RenewalDay[0], $RenewalDay[1]
        Add-GraphEmulatorScript -Emulator $emu -Method PATCH -Path "/beta/deviceAppManagement/vppTokens/$($Id.North)" -Response @{
            status = 403; json = @{ error = @{ code = 'Forbidden'; message = 'No permission for this token.' } } }

        $results = @(Update-IntuneVppToken -Path (Join-Path $day.Path '*') -Connection $All -ErrorVariable err -ErrorAction SilentlyContinue)

        $outcome = Get-Outcome $results
        $outcome['sToken_for_North High.vpptoken'] | Should -Be 'Failed'
        $outcome['sToken_for_HQ.vpptoken'] | Should -Be 'Renewed'
        ($results | Where-Object Outcome -EQ 'Failed').Error | Should -BeLike '*No permission for this token*'
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'GraphForbidden,*'
        $err[0].TargetObject | Should -Be $day.Files['sToken_for_North High.vpptoken'].Path
    }

    It 'names a tenant it could not read, and still renews in the others' {
        $denied = Connect-TestTenant $Tenant.Northwind -Role 'User.Read.All'
        $day = New-RenewalFolder $RenewalDay[0]

        $results = @(Update-IntuneVppToken -Path (Join-Path $day.Path '*') -Connection $Contoso, $denied -ErrorVariable err -ErrorAction SilentlyContinue)

        $results.Outcome | Should -Be 'Renewed'
        $err.Count | Should -Be 1
        $err[0].TargetObject | Should -Be $Tenant.Northwind
        Get-ErrorText $err[0] | Should -BeLike "*tokens of tenant $($Tenant.Northwind) could not be read*"
    }
}
