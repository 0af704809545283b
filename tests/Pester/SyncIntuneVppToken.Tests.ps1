#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Sync-IntuneVppToken against the Graph emulator: the syncLicenses POST, both answer shapes, and -Wait's polling as the
# GETs in the request log show it.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:emu = Start-VppTokenTest -Connect
    $script:AccessToken = ConvertTo-SecureString $TestAccessTokenText -AsPlainText -Force
    $script:ItemPrefix = '/v1.0/deviceAppManagement/vppTokens/'
    $script:Fast = @{ PollInterval = [TimeSpan]::FromMilliseconds(100) }
}

AfterAll {
    Stop-VppTokenTest
}

Describe 'Sync-IntuneVppToken' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
    }

    Context 'Starting a sync' {
        It 'POSTs syncLicenses without a body and writes the token from <Scenario>' -TestCases @(
            @{ Scenario = 'a bare object'; Wrapped = $false }
            @{ Scenario = 'an answer wrapped as {"value": {...}}'; Wrapped = $true }
        ) {
            $null = Set-GraphEmulatorSetting -Emulator $emu -Settings @{ syncLicensesWrapped = $Wrapped }

            $token = @(Sync-IntuneVppToken -Id $SeedTokenId.Contoso -ErrorVariable err)

            $err | Should -BeNullOrEmpty
            $requests = @(Get-GraphEmulatorRequest -Emulator $emu)
            @($requests.method) | Should -Be @('POST') -Because 'the answer carries the token, so nothing is read back'
            $requests[0].path | Should -BeExactly "$ItemPrefix$($SeedTokenId.Contoso)/syncLicenses"
            $requests[0].body | Should -BeNullOrEmpty
            $token.Count | Should -Be 1
            $token[0].PSObject.TypeNames | Should -Contain 'IntuneVpp.VppToken'
            $token[0].Id | Should -Be $SeedTokenId.Contoso
            $token[0].OrganizationName | Should -BeExactly 'Contoso Ltd.'
            $token[0].LastSyncStatus | Should -BeExactly 'inProgress'
        }

        It 'syncs each piped id' {
            $ids = @($SeedTokenId.Contoso, $SeedTokenId.Fabrikam, $SeedTokenId.Labs)

            $tokens = @($ids | Sync-IntuneVppToken)

            @($tokens.Id) | Should -Be $ids
            @((Get-GraphEmulatorRequest -Emulator $emu -Method POST).path) | Should -Be @($ids | ForEach-Object { "$ItemPrefix$_/syncLicenses" })
        }

        It 'starts no sync with -WhatIf and says what it would sync' {
            $run = Invoke-WithWhatIf -TranscriptPath (Join-Path $TestDrive 'whatif.txt') -ScriptBlock {
                Sync-IntuneVppToken -Id $SeedTokenId.Contoso -WhatIf
            }

            $run.Errors | Should -BeNullOrEmpty -Because 'a cmdlet that failed before sending would also send nothing'
            $run.Output | Should -BeNullOrEmpty
            $run.WhatIf.Count | Should -Be 1
            $run.WhatIf[0] | Should -BeLike "*Sync licenses with Apple*$($SeedTokenId.Contoso)*"
            # It may read the token to name its organization; what must not go out is a write.
            @(Get-GraphEmulatorRequest -Emulator $emu | Where-Object method -NE 'GET').Count | Should -Be 0
        }

        It 'writes GraphNotFound for an unknown id and syncs the others' {
            $unknown = [guid]::NewGuid().ToString()
            $ids = @($SeedTokenId.Contoso, $unknown, $SeedTokenId.Labs)

            $tokens = @($ids | Sync-IntuneVppToken -ErrorVariable err -ErrorAction SilentlyContinue)

            @($tokens.Id) | Should -Be @($SeedTokenId.Contoso, $SeedTokenId.Labs)
            @($err).Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'GraphNotFound,*'
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err[0].TargetObject | Should -Be $unknown
            $err[0].ToString() | Should -BeLike "*$unknown*"
            @((Get-GraphEmulatorRequest -Emulator $emu -Method POST).path) | Should -Be @($ids | ForEach-Object { "$ItemPrefix$_/syncLicenses" })
        }

        It 'writes the error of a sync Graph refuses with <Status> and goes on with -Wait for the others' -TestCases @(
            @{ Status = 403; ErrorId = 'GraphForbidden'; Category = 'PermissionDenied' }
            @{ Status = 500; ErrorId = 'GraphServerError'; Category = 'ProtocolError' }
        ) {
            $null = Set-GraphEmulatorSetting -Emulator $emu -Settings @{ syncCompletesAfterMs = 200 }
            Add-GraphEmulatorScript -Emulator $emu -Method POST -Path "$ItemPrefix$($SeedTokenId.Fabrikam)/syncLicenses" -Response @{
                status = $Status; json = @{ error = @{ code = 'Refused'; message = 'The sync was refused.' } }
            }
            $ids = @($SeedTokenId.Contoso, $SeedTokenId.Fabrikam, $SeedTokenId.Labs)

            $tokens = @($ids | Sync-IntuneVppToken -Wait @Fast -ErrorVariable err -ErrorAction SilentlyContinue)

            # Tokens followed at once may finish in any order.
            @($tokens.Id | Sort-Object) | Should -Be @($SeedTokenId.Contoso, $SeedTokenId.Labs | Sort-Object)
            @($tokens.LastSyncStatus | Sort-Object -Unique) | Should -Be @('completed')
            @($err).Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $err[0].CategoryInfo.Category | Should -Be $Category
            $err[0].TargetObject | Should -Be $SeedTokenId.Fabrikam
            $err[0].ToString() | Should -BeLike '*The sync was refused*'
            @(Get-GraphEmulatorRequest -Emulator $emu -Method GET -Path "$ItemPrefix$($SeedTokenId.Fabrikam)") | Should -BeNullOrEmpty -Because 'a sync that did not start is not followed'
        }

        It 'refuses -<Parameter> <Value> before anything is sent' -TestCases @(
            @{ Parameter = 'Timeout'; Value = [TimeSpan]::Zero }
            @{ Parameter = 'PollInterval'; Value = [TimeSpan]::FromSeconds(-1) }
        ) {
            $splat = @{ Id = $SeedTokenId.Contoso; Wait = $true; $Parameter = $Value }
            $caught = $null
            $err = @() # a binding error ends the call before -ErrorVariable is set
            try { Sync-IntuneVppToken @splat -ErrorVariable err -ErrorAction SilentlyContinue } catch { $caught = $_ }

            $errors = @(@($err) + @($caught) | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
            $errors[0].ToString() | Should -BeLike "*$Parameter*not a positive duration*"
            @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
        }
    }

    Context '-Wait' {
        It 'polls with GETs until the sync is completed and writes the final token (<Scenario>)' -TestCases @(
            @{ Scenario = 'bare answer'; Wrapped = $false }
            @{ Scenario = 'wrapped answer'; Wrapped = $true }
        ) {
            $null = Set-GraphEmulatorSetting -Emulator $emu -Settings @{ syncCompletesAfterMs = 500; syncLicensesWrapped = $Wrapped }
            $started = [DateTimeOffset]::UtcNow

            $token = @(Sync-IntuneVppToken -Id $SeedTokenId.Fabrikam -Wait @Fast -ErrorVariable err -WarningVariable warnings)

            $err | Should -BeNullOrEmpty
            $warnings | Should -BeNullOrEmpty
            $token.Count | Should -Be 1
            $token[0].Id | Should -Be $SeedTokenId.Fabrikam
            $token[0].LastSyncStatus | Should -BeExactly 'completed'
            $token[0].LastSyncDateTime | Should -BeGreaterThan $started.AddSeconds(-1)
            $requests = @(Get-GraphEmulatorRequest -Emulator $emu)
            $requests[0].method | Should -Be 'POST'
            $gets = @($requests | Select-Object -Skip 1)
            $gets.Count | Should -BeGreaterOrEqual 2 -Because 'the sync is still in progress at the first read'
            $gets.Count | Should -BeLessOrEqual 12 -Because 'it polls every 100 ms for about 500 ms'
            @($gets.method | Sort-Object -Unique) | Should -Be @('GET')
            @($gets.path | Sort-Object -Unique) | Should -Be @("$ItemPrefix$($SeedTokenId.Fabrikam)")
        }

        It 'starts every sync first, then follows them together, and writes each as it completes' {
            # Long enough that every sync is still running at its first read, however slowly the four starts go.
            $null = Set-GraphEmulatorSetting -Emulator $emu -Settings @{ syncCompletesAfterMs = 2000 }
            $ids = @($SeedTokenId.Contoso, $SeedTokenId.Fabrikam, $SeedTokenId.Retail, $SeedTokenId.Labs)

            $tokens = @($ids | Sync-IntuneVppToken -Wait @Fast -ErrorVariable err)

            $err | Should -BeNullOrEmpty
            @($tokens.Id | Sort-Object) | Should -Be @($ids | Sort-Object)
            @($tokens.LastSyncStatus | Sort-Object -Unique) | Should -Be @('completed')
            $requests = @(Get-GraphEmulatorRequest -Emulator $emu)
            $posts = @($requests | Where-Object method -EQ POST)
            $gets = @($requests | Where-Object method -EQ GET)
            @($posts.path) | Should -Be @($ids | ForEach-Object { "$ItemPrefix$_/syncLicenses" })
            ($posts.sequence | Measure-Object -Maximum).Maximum | Should -BeLessThan ($gets.sequence | Measure-Object -Minimum).Minimum -Because 'no sync waits for another to end before it starts'
            # Followed together: while any sync runs, every running one is read in each round, so each token's reads
            # span the same rounds rather than following one after the other.
            foreach ($id in $ids) {
                $mine = @($gets | Where-Object path -EQ "$ItemPrefix$id")
                $mine.Count | Should -BeGreaterOrEqual 2 -Because "the sync of $id was still running at its first read"
                $others = @($gets | Where-Object { $_.path -ne "$ItemPrefix$id" -and $_.sequence -gt $mine[0].sequence -and $_.sequence -lt $mine[-1].sequence })
                @($others.path | Sort-Object -Unique).Count | Should -Be 3 -Because "the other three syncs were read while $id was followed"
            }
        }

        It 'stops polling when the sync failed, warns and writes the final token' {
            $null = Set-GraphEmulatorSetting -Emulator $emu -Settings @{ syncCompletesAfterMs = 60000 }
            $failed = @{
                '@odata.type' = '#microsoft.graph.vppToken'; id = $SeedTokenId.Fabrikam; organizationName = 'Fabrikam School District'
                vppTokenAccountType = 'education'; state = 'valid'; lastSyncStatus = 'failed'; automaticallyUpdateApps = $false
            }
            $inProgress = $failed.Clone()
            $inProgress.lastSyncStatus = 'inProgress'
            Add-GraphEmulatorScript -Emulator $emu -Method GET -Path "$ItemPrefix$($SeedTokenId.Fabrikam)" -Response @(
                @{ status = 200; json = $inProgress }
                @{ status = 200; json = $failed }
            )

            $token = @(Sync-IntuneVppToken -Id $SeedTokenId.Fabrikam -Wait @Fast -ErrorVariable err -WarningVariable warnings -WarningAction SilentlyContinue)

            $err | Should -BeNullOrEmpty
            $token.Count | Should -Be 1
            $token[0].LastSyncStatus | Should -BeExactly 'failed'
            @($warnings).Count | Should -Be 1
            "$($warnings[0])" | Should -BeLike '*failed*'
            @((Get-GraphEmulatorRequest -Emulator $emu).method) | Should -Be @('POST', 'GET', 'GET') -Because 'polling stops at the failed status'
        }

        It 'writes SyncTimedOut after about -Timeout when the sync never completes' {
            $null = Set-GraphEmulatorSetting -Emulator $emu -Settings @{ syncCompletesAfterMs = 600000 }
            $elapsed = [System.Diagnostics.Stopwatch]::StartNew()

            $token = Sync-IntuneVppToken -Id $SeedTokenId.Contoso -Wait -Timeout '00:00:01' -PollInterval '00:00:00.2' -ErrorVariable err -ErrorAction SilentlyContinue

            $elapsed.Stop()
            $token | Should -BeNullOrEmpty
            @($err).Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'SyncTimedOut,*'
            $err[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
            $err[0].TargetObject | Should -Be $SeedTokenId.Contoso
            $err[0].ToString() | Should -BeLike '*inProgress*'
            $elapsed.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 0.9
            $elapsed.Elapsed.TotalSeconds | Should -BeLessThan 3
            $gets = @(Get-GraphEmulatorRequest -Emulator $emu -Method GET)
            $gets.Count | Should -BeGreaterOrEqual 4
            $gets.Count | Should -BeLessOrEqual 8
        }

        It 'writes progress records while it waits and completes them' {
            $null = Set-GraphEmulatorSetting -Emulator $emu -Settings @{ syncCompletesAfterMs = 500 }
            $connection = Connect-IntuneVpp -AccessToken $AccessToken -GraphEndpoint $emu.Uri -PassThru
            $shell = [powershell]::Create()
            try {
                $null = $shell.AddScript({
                        param($Connection, $Id)
                        Import-Module VppToken
                        Sync-IntuneVppToken -Id $Id -Wait -PollInterval '00:00:00.1' -Connection $Connection
                    }).AddArgument($connection).AddArgument($SeedTokenId.Contoso)
                $output = @($shell.Invoke())
                $progress = @($shell.Streams.Progress)
                $errors = @($shell.Streams.Error)
            }
            finally { $shell.Dispose() }

            $errors | Should -BeNullOrEmpty
            $output.Count | Should -Be 1
            $output[0].LastSyncStatus | Should -BeExactly 'completed'
            $running = @($progress | Where-Object RecordType -EQ Processing)
            $running.Count | Should -BeGreaterThan 0
            $running[0].Activity | Should -BeLike '*Contoso Ltd.*'
            $running[0].StatusDescription | Should -BeLike '*inProgress*'
            @($running.PercentComplete | Where-Object { $_ -lt 0 -or $_ -gt 100 }) | Should -BeNullOrEmpty
            $progress[-1].RecordType | Should -Be ([System.Management.Automation.ProgressRecordType]::Completed)
            @($progress.ActivityId | Sort-Object -Unique).Count | Should -Be 1
        }
    }
}
