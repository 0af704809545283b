#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# The Azure Automation runbooks in samples/runbooks, run as they are in a fresh pwsh against the emulator, with the
# managed identity environment an Automation job has (IDENTITY_ENDPOINT, IDENTITY_HEADER) and the module loaded the
# way Automation loads it: found on PSModulePath when a cmdlet is first used. A job fails when its runbook throws, so
# a runbook that must fail the job is asserted to throw. Get-AutomationVariable exists only in Automation jobs; the
# tests that need it define a stand-in.

BeforeDiscovery {
    $script:RunbookFiles = @(Get-ChildItem -LiteralPath ([IO.Path]::Combine($PSScriptRoot, '..', '..', 'samples', 'runbooks')) -Filter *.ps1 |
            ForEach-Object { @{ Name = $_.Name; Path = $_.FullName } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GraphEmulator.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'SignInHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TokenFiles.psm1') -Force

    $script:RunbookPath = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..', 'samples', 'runbooks'))
    $script:Monitor = [IO.Path]::Combine($RunbookPath, 'Watch-VppTokenExpiry.ps1')
    $script:Renewal = [IO.Path]::Combine($RunbookPath, 'Update-VppTokenFromFile.ps1')

    $script:IdentityClientId = 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f'
    $script:Emulator = Start-GraphEmulator
    $script:Graph = $Emulator.Uri.AbsoluteUri

    # Runs a runbook in a fresh pwsh; returns its output lines, its warnings and what it threw (the job's failure).
    function script:Invoke-Runbook {
        param([string] $Path, [hashtable] $Parameters = @{}, [hashtable] $AutomationVariable)

        Invoke-ChildPwsh -Emulator $Emulator -TimeoutSeconds 120 -InputObject @{
            Path = $Path; Parameters = $Parameters; Variables = $AutomationVariable
        } -ScriptBlock {
            param($In)
            # An Automation job's defaults, not the strict ones of the test wrapper.
            $ErrorActionPreference = 'Continue'
            if ($null -ne $In.Variables) {
                $global:StandInVariables = $In.Variables
                function global:Get-AutomationVariable {
                    param([Parameter(Mandatory)] [string] $Name)
                    if (-not $global:StandInVariables.ContainsKey($Name)) { throw "Variable '$Name' not found." }
                    $global:StandInVariables[$Name]
                }
            }
            $parameters = $In.Parameters
            $output = [System.Collections.Generic.List[string]]::new()
            $warnings = [System.Collections.Generic.List[string]]::new()
            $thrown = $null
            try {
                & $In.Path @parameters 3>&1 | ForEach-Object {
                    if ($_ -is [System.Management.Automation.WarningRecord]) { $warnings.Add($_.Message) } else { $output.Add(($_ | Out-String).TrimEnd()) }
                }
            }
            catch {
                $thrown = ConvertTo-ErrorSummary $_
            }
            @{ Output = @($output); Warnings = @($warnings); Thrown = $thrown }
        }
    }

    function script:Get-GraphRequest { @(Get-GraphEmulatorRequest $Emulator -Path '/v1.0/*') }
    function script:Get-IdentityRequest { @(Get-GraphEmulatorRequest $Emulator -Path '/msi/token*') }

    # Everything a run showed, to look for secrets in.
    function script:Join-RunText($Run) {
        @($Run.Output) + @($Run.Warnings) + @(if ($Run.Thrown) { $Run.Thrown.Message; $Run.Thrown.DetailsMessage }) -join "`n"
    }
}

AfterAll {
    Stop-GraphEmulator (Get-Variable -Name Emulator -ValueOnly -ErrorAction SilentlyContinue)
}

Describe 'The runbook <Name>' -ForEach $RunbookFiles {
    BeforeAll {
        $tokens = $null
        $problems = $null
        $script:Ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$tokens, [ref]$problems)
        $script:ParseProblems = $problems
        $script:Help = Get-Help -Name $Path -Full
    }

    It 'parses, in ASCII, which Windows PowerShell 5.1 reads the same with or without a byte order mark' {
        $ParseProblems | Should -BeNullOrEmpty
        $bytes = [IO.File]::ReadAllBytes($Path)
        @($bytes | Where-Object { $_ -gt 127 }).Count | Should -Be 0
    }

    It 'uses no syntax that Windows PowerShell 5.1 lacks' {
        $newer = @($Ast.FindAll({
                    param($node)
                    $node -is [System.Management.Automation.Language.TernaryExpressionAst] -or
                    $node -is [System.Management.Automation.Language.PipelineChainAst] -or
                    ($node -is [System.Management.Automation.Language.BinaryExpressionAst] -and $node.Operator -eq 'QuestionQuestion') -or
                    ($node -is [System.Management.Automation.Language.AssignmentStatementAst] -and $node.Operator -eq 'QuestionQuestionEquals') -or
                    ($node -is [System.Management.Automation.Language.MemberExpressionAst] -and $node.NullConditional) -or
                    ($node -is [System.Management.Automation.Language.IndexExpressionAst] -and $node.NullConditional) -or
                    ($node -is [System.Management.Automation.Language.CommandParameterAst] -and $node.ParameterName -in 'Parallel', 'AsHashtable')
                }, $true))
        @($newer | ForEach-Object { "line $($_.Extent.StartLineNumber): $($_.Extent.Text)" }) | Should -BeNullOrEmpty
    }

    It 'has help with a synopsis, a description, an example and every parameter described' {
        # Without comment-based help that PowerShell can read, the synopsis would be the syntax.
        $written = [regex]::Match([IO.File]::ReadAllText($Path), '\.SYNOPSIS\r?\n(?<text>[^\r\n]+)').Groups['text'].Value
        $written | Should -Not -BeNullOrEmpty
        $Help.Synopsis | Should -Be $written
        @($Help.description).Count | Should -BeGreaterThan 0
        @($Help.examples.example).Count | Should -BeGreaterThan 0
        $declared = @($Ast.ParamBlock.Parameters | ForEach-Object { $_.Name.VariablePath.UserPath })
        foreach ($parameter in $declared) {
            $described = @($Help.parameters.parameter | Where-Object name -EQ $parameter)
            ($described.description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$parameter needs a description"
        }
    }
}

Describe 'Watch-VppTokenExpiry.ps1 (daily expiry monitor)' {
    BeforeAll {
        # Reading is all the monitor does, so it runs with the read permission only.
        $null = Set-GraphEmulatorManagedIdentity $Emulator -ClientId $IdentityClientId -Role @('DeviceManagementServiceConfig.Read.All')
    }

    BeforeEach {
        Reset-GraphEmulator $Emulator
    }

    It 'writes a summary and completes when every token is valid, far from expiry and syncing' {
        Set-GraphEmulatorTenant $Emulator -TenantId $DefaultTenantId -VppToken @(
            @{ organizationName = 'Contoso Ltd.'; appleId = 'vpp@contoso.example'; expirationDateTime = '+200d'; state = 'valid'; lastSyncStatus = 'completed'; lastSyncDateTime = '-1d' }
            @{ organizationName = 'Contoso Schools'; appleId = 'asm@contoso.example'; expirationDateTime = '+90d'; state = 'valid'; lastSyncStatus = 'completed'; lastSyncDateTime = '-2d' }
        )

        $run = Invoke-Runbook -Path $Monitor -Parameters @{ GraphEndpoint = $Graph }

        $run.Thrown | Should -BeNullOrEmpty
        $text = $run.Output -join "`n"
        $text | Should -BeLike '*VPP tokens: 2; needing attention: 0 (0 critical, 0 warning; expiring within 30 days*'
        $text | Should -BeLike '*Healthy*Contoso Ltd.*vpp@contoso.example*valid*'
        $text | Should -BeLike '*Healthy*Contoso Schools*asm@contoso.example*valid*'
        $run.Warnings | Should -BeNullOrEmpty

        $identity = @(Get-IdentityRequest)
        $identity.Count | Should -Be 1
        Get-RequestHeader $identity[0] 'X-IDENTITY-HEADER' | Should -Be 'emulator-identity-header'
        $graph = @(Get-GraphRequest)
        @($graph | ForEach-Object { "$($_.method) $($_.path)" }) | Should -Be @('GET /v1.0/deviceAppManagement/vppTokens') -Because 'Test-IntuneVppToken reads the list once'
        (Get-JwtPayload (Get-RequestBearer $graph[0])).appid | Should -Be $IdentityClientId -Because 'the runbook signs in as the managed identity'
    }

    It 'fails the job, naming each token that expires soon, has expired, is not valid or does not sync' {
        # The seed: Contoso Ltd. valid for 200 days and synced; Fabrikam valid for 30 days, its last sync failed;
        # Contoso Retail expired 10 days ago, last synced 12 days ago; Contoso Labs claimed by another MDM, never synced.
        $run = Invoke-Runbook -Path $Monitor -Parameters @{ GraphEndpoint = $Graph }

        $run.Thrown | Should -Not -BeNullOrEmpty
        $run.Thrown.Message | Should -BeLike '3 of 4 VPP tokens need attention:*'
        $run.Thrown.Message | Should -BeLike '*Fabrikam School District (Warning: ExpiresWithinWarningDays, LastSyncFailed)*'
        $run.Thrown.Message | Should -BeLike '*Contoso Retail (Critical: Expired, SyncStale)*'
        $run.Thrown.Message | Should -BeLike '*Contoso Labs (Critical: AssignedToExternalMdm, SyncStale)*'
        $run.Thrown.Message | Should -Not -BeLike '*Contoso Ltd.*'

        $run.Output -join "`n" | Should -BeLike '*VPP tokens: 4; needing attention: 3 (2 critical, 1 warning*'
        $run.Warnings.Count | Should -Be 3
        @($run.Warnings | Where-Object { $_ -like "Contoso Retail (retail-apps@contoso.com, id $($SeedTokenId.Retail)) is Critical: expired 10 days ago (*); *last synced 12 days ago*. Download a new token from Apple Business Manager or Apple School Manager and renew it (Update-VppTokenFromFile.ps1)." }).Count |
            Should -Be 1
        @($run.Warnings | Where-Object { $_ -like "Contoso Labs (labs@contoso.com, id $($SeedTokenId.Labs)) is Critical: state 'assignedToExternalMDM': another MDM has claimed the token*never synced with Apple. Intune cannot use it in this state: see Tenant administration > Connectors and tokens > Apple VPP tokens in the Intune admin center." }).Count |
            Should -Be 1 -Because 'a new file from Apple does not help a token another MDM holds'
        @($run.Warnings | Where-Object { $_ -like 'Fabrikam School District * is Warning: expires in 29 days*the last license sync failed*' }).Count | Should -Be 1
    }

    It 'flags expiry only within -WarningDays' {
        $run = Invoke-Runbook -Path $Monitor -Parameters @{ GraphEndpoint = $Graph; WarningDays = 10 }

        $run.Thrown.Message | Should -BeLike '3 of 4 VPP tokens need attention:*'
        $run.Thrown.Message | Should -BeLike '*Fabrikam School District (Warning: LastSyncFailed)*' -Because 'it expires in 29 days, outside the 10, and only its failed sync is left'
        $run.Output -join "`n" | Should -BeLike '*expiring within 10 days*'
    }

    It 'fails the job when the managed identity may not read the tokens' {
        $null = Set-GraphEmulatorManagedIdentity $Emulator -Role @('User.Read.All')
        try {
            $run = Invoke-Runbook -Path $Monitor -Parameters @{ GraphEndpoint = $Graph }
        }
        finally {
            $null = Set-GraphEmulatorManagedIdentity $Emulator -Role @('DeviceManagementServiceConfig.Read.All')
        }

        $run.Thrown | Should -Not -BeNullOrEmpty
        $run.Thrown.Message | Should -BeLike 'The VPP tokens could not be checked:*DeviceManagementServiceConfig.Read*'
        $run.Output | Should -BeNullOrEmpty -Because 'a check that could not run must not look like a clean one'
    }
}

Describe 'Update-VppTokenFromFile.ps1 (renewal)' {
    BeforeAll {
        $null = Set-GraphEmulatorManagedIdentity $Emulator -ClientId $IdentityClientId -Role @('DeviceManagementServiceConfig.ReadWrite.All')
        $script:Files = [IO.Path]::Combine($TestDrive, 'files')
        $script:Invariant = [System.Globalization.CultureInfo]::InvariantCulture

        function script:Get-Patch { @(Get-GraphEmulatorRequest $Emulator -Method PATCH) }
        function script:Get-StoredContoso { Get-StoredVppToken -Emulator $Emulator | Where-Object id -EQ $SeedTokenId.Contoso }
    }

    BeforeEach {
        Reset-GraphEmulator $Emulator
        $script:File = New-TestTokenFile -Kind Valid -OrganizationName 'Contoso Ltd.' -ExpiresIn ([TimeSpan]::FromDays(365)) -Directory $Files -Name "$([guid]::NewGuid().ToString('n')).vpptoken"
    }

    It 'renews the organization''s token from <Scenario>' -TestCases @(
        @{ Scenario = 'the Automation variable VppTokenFile (the default)'; Source = 'Variable'; From = "the Automation variable 'VppTokenFile'" }
        @{ Scenario = '-TokenFileContent, where Get-AutomationVariable does not exist'; Source = 'Content'; From = '-TokenFileContent' }
        @{ Scenario = '-TokenFilePath'; Source = 'Path'; From = 'the file *' }
    ) {
        $parameters = @{ GraphEndpoint = $Graph }
        $variables = $null
        switch ($Source) {
            'Variable' { $variables = @{ VppTokenFile = $File.Content } }
            'Content' { $parameters.TokenFileContent = $File.Content }
            'Path' { $parameters.TokenFilePath = $File.Path }
        }

        $run = Invoke-Runbook -Path $Renewal -Parameters $parameters -AutomationVariable $variables

        $run.Thrown | Should -BeNullOrEmpty
        $run.Output | Should -HaveCount 1
        $run.Output[0] | Should -BeLike "Renewed the token of Contoso Ltd. (id $($SeedTokenId.Contoso)) from $($From): it now expires on $($File.Expiration.ToUniversalTime().ToString('yyyy-MM-dd')) instead of *."
        $patch = @(Get-Patch)
        $patch.Count | Should -Be 1
        $patch[0].path | Should -Be "/v1.0/deviceAppManagement/vppTokens/$($SeedTokenId.Contoso)"
        @(Format-WireJson -Json $patch[0].body) | Should -Be @('@odata.type String #microsoft.graph.vppToken', "token String $($File.Content)")
        [DateTimeOffset]::Parse((Get-StoredContoso).expirationDateTime, $Invariant) | Should -Be $File.Expiration
        (Get-JwtPayload (Get-RequestBearer $patch[0])).appid | Should -Be $IdentityClientId
        Join-RunText $run | Should -Not -BeLike "*$($File.Content)*" -Because 'the Apple token never reaches the job output'
    }

    It 'renews from a blob read with the managed identity (-TokenFileUri)' {
        Add-GraphEmulatorScript $Emulator -Method GET -Path '/vpp/contoso.vpptoken' -Response @{
            status = 200; headers = @{ 'Content-Type' = 'application/octet-stream' }; body = $File.Content
        }
        $blob = [uri]::new($Emulator.Uri, '/vpp/contoso.vpptoken').AbsoluteUri

        $run = Invoke-Runbook -Path $Renewal -Parameters @{ GraphEndpoint = $Graph; TokenFileUri = $blob }

        $run.Thrown | Should -BeNullOrEmpty
        $run.Output[0] | Should -BeLike "Renewed the token of Contoso Ltd. * from the blob $($blob): *"
        $storageIdentity = @(Get-IdentityRequest | Where-Object { (Get-RequestQuery $_)['resource'] -eq 'https://storage.azure.com/' })
        $storageIdentity.Count | Should -Be 1
        (Get-RequestQuery $storageIdentity[0])['api-version'] | Should -Be '2019-08-01'
        $read = @(Get-GraphEmulatorRequest $Emulator -Method GET -Path '/vpp/*')
        $read.Count | Should -Be 1
        Get-RequestHeader $read[0] 'x-ms-version' | Should -Not -BeNullOrEmpty
        (Get-JwtPayload (Get-RequestBearer $read[0])).aud | Should -Match '^https://storage\.azure\.com/?$' -Because 'the blob is read with a storage token, not the Graph one'
        @(Format-WireJson -Json @(Get-Patch)[0].body) | Should -Contain "token String $($File.Content)"
        Join-RunText $run | Should -Not -BeLike "*$(Get-RequestBearer $read[0])*"
    }

    It 'leaves a token alone that already expires no earlier than the file, so a second run changes nothing' {
        $run1 = Invoke-Runbook -Path $Renewal -Parameters @{ GraphEndpoint = $Graph; TokenFilePath = $File.Path }
        $run2 = Invoke-Runbook -Path $Renewal -Parameters @{ GraphEndpoint = $Graph; TokenFilePath = $File.Path }

        $run1.Thrown | Should -BeNullOrEmpty
        $run2.Thrown | Should -BeNullOrEmpty
        $run2.Output[0] | Should -BeLike "Nothing to do: the token of Contoso Ltd. (id $($SeedTokenId.Contoso)) already expires on $($File.Expiration.ToUniversalTime().ToString('yyyy-MM-dd')); the one from the file $($File.Path) expires on $($File.Expiration.ToUniversalTime().ToString('yyyy-MM-dd'))."
        @(Get-Patch).Count | Should -Be 1 -Because 'only the first run renews'
    }

    It 'renews with -TokenId, starts a license sync with -SyncLicenses, and sends nothing with -WhatIf' {
        $file = New-TestTokenFile -Kind Valid -OrganizationName 'Fabrikam School District' -Directory $Files -Name 'fabrikam.vpptoken'

        $dry = Invoke-Runbook -Path $Renewal -Parameters @{ GraphEndpoint = $Graph; TokenFileContent = $file.Content; TokenId = $SeedTokenId.Fabrikam; WhatIf = $true }
        $dry.Thrown | Should -BeNullOrEmpty
        $dry.Output | Should -BeNullOrEmpty
        @(Get-Patch).Count | Should -Be 0
        @(Get-GraphRequest).Count | Should -BeGreaterThan 0 -Because 'the preview reads the token it would renew'

        $run = Invoke-Runbook -Path $Renewal -Parameters @{ GraphEndpoint = $Graph; TokenFilePath = $file.Path; TokenId = $SeedTokenId.Fabrikam; SyncLicenses = $true }
        $run.Thrown | Should -BeNullOrEmpty
        $run.Output | Should -Be @(
            "Renewed the token of Fabrikam School District (id $($SeedTokenId.Fabrikam)) from the file $($file.Path): it now expires on $($file.Expiration.ToUniversalTime().ToString('yyyy-MM-dd')) instead of $([DateTimeOffset]::UtcNow.AddDays(30).ToString('yyyy-MM-dd'))."
            'Started a license sync with Apple.')
        @(Get-GraphRequest | Where-Object method -NE GET | ForEach-Object { "$($_.method) $($_.path)" }) | Should -Be @(
            "PATCH /v1.0/deviceAppManagement/vppTokens/$($SeedTokenId.Fabrikam)"
            "POST /v1.0/deviceAppManagement/vppTokens/$($SeedTokenId.Fabrikam)/syncLicenses")
    }

    It 'fails the job, with nothing sent, when <Scenario>' -TestCases @(
        @{ Scenario = 'Get-AutomationVariable does not exist'; Kind = 'Valid'; Source = 'NoStandIn'; Problem = "Get-AutomationVariable exists only in Azure Automation jobs*-TokenFilePath*-TokenFileContent*"; Signs = $false }
        @{ Scenario = 'the variable is empty'; Kind = 'Valid'; Source = 'EmptyVariable'; Problem = "the Automation variable 'VppTokenFile' is empty*"; Signs = $false }
        @{ Scenario = 'the file is not a token file'; Kind = 'NotJson'; Source = 'Path'; Problem = 'the file * is not a usable .vpptoken file: *not JSON*'; Signs = $false }
        @{ Scenario = 'the file has expired'; Kind = 'Expired'; Source = 'Content'; Problem = 'The token file from -TokenFileContent expired on *; download a new one*'; Signs = $false }
        @{ Scenario = 'two sources are given'; Kind = 'Valid'; Source = 'Both'; Problem = 'Give the token file one way, not with both -TokenFilePath and -TokenFileContent.'; Signs = $false }
        @{ Scenario = 'no Intune token has the file''s organization'; Kind = 'WrongOrganization'; Source = 'Path'; Problem = "No Intune VPP token belongs to 'Wrong Organization Inc.'*-TokenId*"; Signs = $true }
    ) {
        $file = New-TestTokenFile -Kind $Kind -Directory $Files -Name "$([guid]::NewGuid().ToString('n')).vpptoken"
        $parameters = @{ GraphEndpoint = $Graph }
        $variables = $null
        switch ($Source) {
            'EmptyVariable' { $variables = @{ VppTokenFile = '' } }
            'Path' { $parameters.TokenFilePath = $file.Path }
            'Content' { $parameters.TokenFileContent = $file.Content }
            'Both' { $parameters.TokenFilePath = $file.Path; $parameters.TokenFileContent = $file.Content }
        }

        $run = Invoke-Runbook -Path $Renewal -Parameters $parameters -AutomationVariable $variables

        $run.Thrown | Should -Not -BeNullOrEmpty
        $run.Thrown.Message | Should -BeLike $Problem
        @(Get-Patch).Count | Should -Be 0
        if (-not $Signs) {
            Get-IdentityRequest | Should -BeNullOrEmpty -Because 'the file is checked before signing in'
            Get-GraphRequest | Should -BeNullOrEmpty
        }
        if ($file.Content) { Join-RunText $run | Should -Not -BeLike "*$($file.Content)*" }
    }
}
