<#
.SYNOPSIS
Measures VppToken against the emulator next to its floors, prints a table and writes bench/results.md.

.DESCRIPTION
Run by `dotnet pwsh ./build.ps1 -Task Bench` in a fresh pwsh. Prints figures only: nothing here passes or fails
on a time, so a busy machine gives slower numbers, never a red build.
1. Import: Import-Module in fresh processes, next to an empty binary module; first call after import; working set.
2. Per call: Set-IntuneVppToken next to two floors, the raw HttpClient PATCH in a compiled loop and a compiled cmdlet
   that sends that raw PATCH (the inherent cost of being a cmdlet), and next to Invoke-RestMethod. Rounds alternate
   the four (A B C D, then B C D A, ...) so a machine that gets busier mid-run shifts every figure alike; the table
   gives medians of the per-round ratios with their spread (lowest-highest). The rounds start once every way has run
   until the JIT has settled (three cycles in a row compiling at most -SettledMethods methods).
3. Profile: where the module's cost per call over the cmdlet floor goes (client layer, its parts, the cmdlet side).
4. Bulk: ids piped into Set-IntuneVppToken under the emulator's write quota, next to the quota's floor.
5. Many tenants: a connection per tenant, read in ForEach-Object -Parallel; every tenant must get its own tokens.
6. Memory: working set and managed heap across many calls.
7. First day: a cold process that signs in with a managed identity and lists, next to pwsh with an empty module; ten
   items against a Graph that cannot be reached; Sync-IntuneVppToken -Wait on five tokens next to one; the first
   -FirstCalls calls of Set-IntuneVppToken in a fresh process next to floor 2's, before the JIT has settled.
The machine's load average is printed before and after, since other work on it moves every figure.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EmptyModulePath,
    [Parameter(Mandatory)] [string] $FloorModulePath,
    [Parameter(Mandatory)] [string] $EmulatorModulePath,
    [Parameter(Mandatory)] [string] $EmulatorPath,
    [Parameter(Mandatory)] [string] $ResultPath,
    [int] $ImportRuns = 15,
    [int] $Rounds = 15,
    [int] $CallsPerRound = 300,
    # The warm-up of the per-call ways ends when three cycles in a row compile no more than this many methods.
    [int] $SettledMethods = 5,
    [int] $MaxWarmSeconds = 120,
    # Calls timed in a fresh process (section 7): what a short runbook gets before the JIT has settled.
    [int] $FirstCalls = 1000,
    [int] $BulkItems = 1000,
    [int] $BulkLimit = 100,
    [int] $BulkWindowMs = 2000,
    [int] $TenantCount = 200,
    [int] $MemoryCalls = 10000,
    [int] $ColdRuns = 5,
    [int] $SyncCompletesAfterMs = 3000,
    # Which sections to run (numbers as in the description); all by default.
    [int[]] $Section = @(1, 2, 3, 4, 5, 6, 7)
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$env:VPPTOKEN_EMULATOR_DLL = $EmulatorPath
Import-Module $EmulatorModulePath
. (Join-Path $PSScriptRoot 'Wait-JitSettled.ps1')

$pwshPath = (Get-Process -Id $PID).Path
$pwshPrefix = if ([IO.Path]::GetFileNameWithoutExtension($pwshPath) -eq 'dotnet') { , @([IO.Path]::Combine($PSHOME, 'pwsh.dll')) } else { , @() }

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $middle = [int][Math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$middle] } else { ($sorted[$middle - 1] + $sorted[$middle]) / 2 }
}

function Get-Percentile([double[]] $Values, [double] $Fraction) {
    $sorted = $Values | Sort-Object
    $sorted[[int][Math]::Min($sorted.Count - 1, [Math]::Floor($Fraction * $sorted.Count))]
}

function Invoke-Fresh([string] $Script) {
    $output = & $pwshPath @pwshPrefix -NoProfile -NonInteractive -Command $Script
    if ($LASTEXITCODE) { throw "A benchmark child process failed: $output" }
    $output | Select-Object -Last 1 | ConvertFrom-Json
}

function Format-Ms([double] $Value) { '{0:N1} ms' -f $Value }

function Format-FineMs([double] $Value) { '{0:N3} ms' -f $Value }

function Get-LoadAverage {
    $line = Get-Content -LiteralPath /proc/loadavg -ErrorAction SilentlyContinue
    if ($line) { ($line -split ' ')[0..2] -join ', ' } else { 'unknown' }
}

# Median of the values with their lowest and highest: "1.42x (1.31x-1.55x)".
function Format-Spread([double[]] $Values, [string] $Format) {
    $sorted = $Values | Sort-Object
    '{0} ({1}-{2})' -f ($Format -f (Get-Median $Values)), ($Format -f $sorted[0]), ($Format -f $sorted[-1])
}

# Voluntary context switches of every thread of this process so far (Linux), or $null: a count of thread wake-ups
# that, unlike a time, does not grow when other work crowds the machine.
function Get-VoluntarySwitch {
    if (-not (Test-Path -LiteralPath /proc/self/task)) { return $null }
    $total = 0L
    foreach ($task in [IO.Directory]::GetDirectories('/proc/self/task')) {
        try {
            foreach ($line in [IO.File]::ReadAllLines("$task/status")) {
                if ($line.StartsWith('voluntary_ctxt_switches')) { $total += [long]($line -split '\s+')[1] }
            }
        }
        catch [IO.IOException] {
            # The thread ended while it was read.
        }
    }
    $total
}

# Milliseconds per call of a script block run $Count times in a PowerShell loop.
function Measure-PerCall([scriptblock] $Call, [int] $Count) {
    $timer = [Diagnostics.Stopwatch]::StartNew()
    for ($i = 0; $i -lt $Count; $i++) { & $Call }
    $timer.Elapsed.TotalMilliseconds / $Count
}

$loadBefore = Get-LoadAverage
Write-Host "Load average (1, 5, 15 min) before: $loadBefore"

$rows = [Collections.Generic.List[object]]::new()
function Add-Row([string] $Area, [string] $Measure, [string] $Value, [string] $Floor, [string] $Ratio, [string] $Target) {
    $rows.Add([pscustomobject]@{ Area = $Area; Measure = $Measure; VppToken = $Value; Floor = $Floor; Ratio = $Ratio; Target = $Target })
}

$samples = $null
$failure = $null
$emulator = Start-GraphEmulator
try {
    $uri = $emulator.Uri.AbsoluteUri.TrimEnd('/')
    $seeded = @(Get-GraphEmulatorStoredToken -Emulator $emulator -TenantId '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f')
    $ids = @($seeded | ForEach-Object id)

    #region 1. Import
    if (1 -in $Section) {
        Write-Host "1/7 Import: $ImportRuns fresh processes each for VppToken and for an empty binary module"
        $importScript = {
            param($Path, $Uri)
            $timer = [Diagnostics.Stopwatch]::StartNew()
            Import-Module $Path
            $import = $timer.Elapsed.TotalMilliseconds
            $first = $null
            if ($Uri) {
                $timer.Restart()
                Connect-IntuneVpp -AccessToken (ConvertTo-SecureString 'bench' -AsPlainText -Force) -GraphEndpoint $Uri
                $null = Get-IntuneVppToken
                $first = $timer.Elapsed.TotalMilliseconds
            }
            $process = Get-Process -Id $PID
            [pscustomobject]@{ Import = $import; First = $first; WorkingSetMB = $process.WorkingSet64 / 1MB } | ConvertTo-Json -Compress
        }
        $ours = 1..$ImportRuns | ForEach-Object { Invoke-Fresh "& { $importScript } '$ModulePath' '$uri'" }
        $empty = 1..$ImportRuns | ForEach-Object { Invoke-Fresh "& { $importScript } '$EmptyModulePath' ''" }
        $oursMedian = Get-Median $ours.Import
        $emptyMedian = Get-Median $empty.Import
        Add-Row 'Import' "Import-Module, median of $ImportRuns (p10-p90)" `
            ("{0} ({1}-{2})" -f (Format-Ms $oursMedian), (Format-Ms (Get-Percentile $ours.Import 0.1)), (Format-Ms (Get-Percentile $ours.Import 0.9))) `
            ("{0} ({1}-{2})" -f (Format-Ms $emptyMedian), (Format-Ms (Get-Percentile $empty.Import 0.1)), (Format-Ms (Get-Percentile $empty.Import 0.9))) `
            ('+{0}' -f (Format-Ms ($oursMedian - $emptyMedian))) '< +150 ms'
        Add-Row 'Import' 'First call after import (Connect + Get), median' (Format-Ms (Get-Median $ours.First)) '' '' ''
        Add-Row 'Import' 'Working set after import and first call, median' ('{0:N0} MB' -f (Get-Median $ours.WorkingSetMB)) ('{0:N0} MB' -f (Get-Median $empty.WorkingSetMB)) '' ''
    }
    #endregion

    Import-Module $ModulePath
    Import-Module $EmptyModulePath
    Import-Module $FloorModulePath
    $id = $ids[0]
    [FloorModule.RawPatch]::Configure($uri, 'bench')
    [FloorModule.ClientProfile]::Configure($uri, 'bench')

    #region 2. Per-call cost
    if (2 -in $Section -or 3 -in $Section) {
        Write-Host "2/7 Per call: $Rounds rounds of $CallsPerRound PATCHes each way, the ways alternating"
        # Pacing is off here: this measures what one call costs, not Intune's limit.
        Connect-IntuneVpp -AccessToken (ConvertTo-SecureString 'bench' -AsPlainText -Force) -GraphEndpoint $uri -WriteLimit 0
        $patchUri = "$uri/v1.0/deviceAppManagement/vppTokens/$id"
        $body = [FloorModule.RawPatch]::Body('us')
        $headers = @{ Authorization = 'Bearer bench' }
        $ways = [ordered]@{
            Raw    = { [FloorModule.RawPatch]::LoopMilliseconds($id, 'us', $CallsPerRound) }
            Floor  = { Measure-PerCall { Invoke-FloorPatch -Id $id -CountryOrRegion us } $CallsPerRound }
            Ours   = { Measure-PerCall { Set-IntuneVppToken -Id $id -CountryOrRegion us } $CallsPerRound }
            Irm    = { Measure-PerCall { $null = Invoke-RestMethod -Method Patch -Uri $patchUri -Headers $headers -Body $body -ContentType 'application/json' } $CallsPerRound }
            Client = { [FloorModule.ClientProfile]::UpdateMilliseconds($id, 'us', $CallsPerRound, $false) }
            Core   = { [FloorModule.ClientProfile]::AzureCoreMilliseconds($id, 'us', $CallsPerRound) }
            Empty  = { Measure-PerCall { Get-Nothing } $CallsPerRound }
            Context = { Measure-PerCall { $null = Get-IntuneVppContext } $CallsPerRound }
        }
        # Warm every way until the JIT has settled, so that neither connection set-up nor compilation is in the
        # figures. .NET starts code without precompiled native code (the module's, Azure.Core's) at tier 0 and
        # recompiles what is hot in the background over the first several thousand calls; rounds taken before that
        # measure the JIT, and they flatter the floor, whose code is smaller. The first calls of a fresh process are
        # measured apart (section 7).
        $warm = Wait-JitSettled -Cycle { foreach ($way in $ways.Values) { $null = & $way } } -SettledMethods $SettledMethods -MaxSeconds $MaxWarmSeconds
        $settled = if ($warm.Settled) { 'settled' } else { "not settled after $MaxWarmSeconds s: the figures include JIT work" }
        Add-Row 'Per call' "Warm-up before the rounds: every way run until three cycles in a row compiled $SettledMethods methods or fewer" `
            ('{0} cycles of {1} calls each way, {2:N1} s ({3})' -f $warm.Cycles, $CallsPerRound, $warm.Seconds, $settled) '' '' ''
        $names = @($ways.Keys)
        $perRound = for ($round = 0; $round -lt $Rounds; $round++) {
            $result = @{}
            for ($k = 0; $k -lt $names.Count; $k++) {
                $name = $names[($round + $k) % $names.Count]
                $switches = Get-VoluntarySwitch
                $result[$name] = [double](& $ways[$name])
                if ($null -ne $switches) { $result["$name.Switches"] = ((Get-VoluntarySwitch) - $switches) / $CallsPerRound }
            }
            [pscustomobject]$result
        }
        $ratio = { param($Of, $To) @($perRound | ForEach-Object { $_.$Of / $_.$To }) }
        $spreadMs = { param($Name) Format-Spread @($perRound.$Name) '{0:N3} ms' }
        Add-Row 'Per call' "Raw HttpClient PATCH in a compiled loop (floor 1), median of $Rounds rounds x $CallsPerRound (lowest-highest)" (& $spreadMs 'Raw') '' '' ''
        Add-Row 'Per call' 'A compiled cmdlet sending that raw PATCH (floor 2: the cost of being a cmdlet)' (& $spreadMs 'Floor') 'floor 1' (Format-Spread (& $ratio 'Floor' 'Raw') '{0:N2}x') ''
        Add-Row 'Per call' 'Set-IntuneVppToken -Id -CountryOrRegion' (& $spreadMs 'Ours') 'floor 2' (Format-Spread (& $ratio 'Ours' 'Floor') '{0:N2}x') '< 1.3x'
        Add-Row 'Per call' 'Set-IntuneVppToken -Id -CountryOrRegion' (& $spreadMs 'Ours') 'floor 1' (Format-Spread (& $ratio 'Ours' 'Raw') '{0:N2}x') ''
        Add-Row 'Per call' 'Invoke-RestMethod -Method Patch' (& $spreadMs 'Irm') 'floor 1' (Format-Spread (& $ratio 'Irm' 'Raw') '{0:N2}x') 'VppToken below it'
        Add-Row 'Per call' 'Set-IntuneVppToken next to Invoke-RestMethod' '' '' (Format-Spread (& $ratio 'Ours' 'Irm') '{0:N2}x') '< 1x'
    }
    #endregion

    #region 3. Profile of the cost per call
    if (3 -in $Section) {
        Write-Host '3/7 Profile: the module''s cost per call over the cmdlet floor, taken apart'
        $micro = 20000
        $us = { param($Value) '{0:N1} us' -f $Value }
        $clientExtra = @($perRound | ForEach-Object { ($_.Client - $_.Raw) * 1000 })
        $cmdletSide = @($perRound | ForEach-Object { (($_.Ours - $_.Floor) - ($_.Client - $_.Raw)) * 1000 })
        $total = @($perRound | ForEach-Object { ($_.Ours - $_.Floor) * 1000 })
        $cmdletCall = @($perRound | ForEach-Object { ($_.Floor - $_.Raw) * 1000 })
        $emptyCall = @($perRound | ForEach-Object { $_.Empty * 1000 })
        # The paced client is warmed first (its first calls set up a connection), then both ways alternate.
        $null = [FloorModule.ClientProfile]::UpdateMilliseconds($id, 'us', $CallsPerRound, $true)
        $pacerCost = @(for ($round = 0; $round -lt $Rounds; $round++) {
                $paced = [FloorModule.ClientProfile]::UpdateMilliseconds($id, 'us', $CallsPerRound, $true)
                $unpaced = [FloorModule.ClientProfile]::UpdateMilliseconds($id, 'us', $CallsPerRound, $false)
                ($paced - $unpaced) * 1000
            })
        Add-Row 'Profile' 'Set-IntuneVppToken over floor 2, all of it' (Format-Spread $total '{0:N1} us') '' '' ''
        Add-Row 'Profile' '  client layer over the raw PATCH (Azure.Core pipeline, policies, JSON, log text, ids), compiled loop' (Format-Spread $clientExtra '{0:N1} us') '' '' ''
        Add-Row 'Profile' '    a bare Azure.Core pipeline over the raw PATCH (its default policies, before any of VppToken''s)' (Format-Spread @($perRound | ForEach-Object { ($_.Core - $_.Raw) * 1000 }) '{0:N1} us') '' '' ''
        Add-Row 'Profile' '    VppToken''s own policies and GraphClient work over the bare pipeline' (Format-Spread @($perRound | ForEach-Object { ($_.Client - $_.Core) * 1000 }) '{0:N1} us') '' '' ''
        Add-Row 'Profile' '    request body JSON (VppTokenJson.WriteChanges)' (& $us ([FloorModule.ClientProfile]::WriteChangesMicroseconds($micro))) '' '' ''
        $answerBytes = [FloorModule.ClientProfile]::CaptureAnswer($id)
        Add-Row 'Profile' "    Graph's answer ($answerBytes bytes) read into a VppToken: JSON, three dates, the Apple token as a SecureString" (& $us ([FloorModule.ClientProfile]::ReadAnswerMicroseconds($micro))) '' '' ''
        Add-Row 'Profile' '      for scale: that SecureString built a character at a time, as the module did before' (& $us ([FloorModule.ClientProfile]::AppendCharSecureStringMicroseconds($micro / 4))) '' '' ''
        Add-Row 'Profile' '    request body redacted for the debug log, made only when debug lines are shown (Redaction.RedactJson)' (& $us ([FloorModule.ClientProfile]::RedactRequestBodyMicroseconds($micro))) '' '' ''
        Add-Row 'Profile' '    verbose log text formatted, made only when verbose lines are shown' (& $us ([FloorModule.ClientProfile]::LogTextMicroseconds($micro))) '' '' ''
        Add-Row 'Profile' '    client-request-id (a GUID as text)' (& $us ([FloorModule.ClientProfile]::ClientRequestIdMicroseconds($micro))) '' '' ''
        Add-Row 'Profile' '    write pacer on (limit far away) next to off, alternating rounds' (Format-Spread $pacerCost '{0:N1} us') '' '' ''
        Add-Row 'Profile' '  cmdlet side (binding, connection, thread hop, queued output), the rest' (Format-Spread $cmdletSide '{0:N1} us') '' '' ''
        Add-Row 'Profile' '    an async VppToken cmdlet that sends nothing (Get-IntuneVppContext: binding, connection, three blocks) over an empty compiled cmdlet' (Format-Spread @($perRound | ForEach-Object { ($_.Context - $_.Empty) * 1000 }) '{0:N1} us') '' '' ''
        Add-Row 'Profile' '    thread hop alone: work handed to the pool and a blocked thread woken' (& $us ([FloorModule.ClientProfile]::ThreadHopMicroseconds($micro / 4))) '' '' ''
        if ($perRound[0].PSObject.Properties['Raw.Switches']) {
            $switchText = { param($Name) Format-Spread @($perRound.("$Name.Switches")) '{0:N2}' }
            Add-Row 'Profile' 'Thread wake-ups (voluntary context switches) per call, all threads: Set-IntuneVppToken' (& $switchText 'Ours') `
                ('{0} floor 2; {1} floor 1' -f (& $switchText 'Floor'), (& $switchText 'Raw')) '' ''
            Add-Row 'Profile' '  the same for the client layer alone (compiled loop)' (& $switchText 'Client') '' '' ''
        }
        Add-Row 'Profile' 'For scale: floor 2 over floor 1 (a compiled cmdlet call)' (Format-Spread $cmdletCall '{0:N1} us') '' '' ''
        Add-Row 'Profile' 'For scale: an empty compiled cmdlet call (Get-Nothing) in the same loop' (Format-Spread $emptyCall '{0:N1} us') '' '' ''
    }
    #endregion

    #region 4. Bulk under the write limit
    if (4 -in $Section) {
        $rate = $BulkLimit / ($BulkWindowMs / 1000)
        Write-Host "4/7 Bulk: $BulkItems ids piped under a quota of $BulkLimit writes per $BulkWindowMs ms"
        $null = Set-GraphEmulatorSetting -Emulator $emulator -Settings @{ writeQuota = @{ limit = $BulkLimit; windowMs = $BulkWindowMs; retryAfter = 'fractional' } }
        Clear-GraphEmulatorRequest -Emulator $emulator
        Connect-IntuneVpp -AccessToken (ConvertTo-SecureString 'bench' -AsPlainText -Force) -GraphEndpoint $uri -WriteLimit $BulkLimit -WriteWindow ([TimeSpan]::FromMilliseconds($BulkWindowMs))
        $bulkIds = 1..$BulkItems | ForEach-Object { $ids[$_ % $ids.Count] }
        $errors = $null
        $bulk = Measure-Command { $bulkIds | Set-IntuneVppToken -CountryOrRegion us -ErrorVariable errors -ErrorAction SilentlyContinue }
        $writes = @(Get-GraphEmulatorRequest -Emulator $emulator -Method PATCH)
        $null = Set-GraphEmulatorSetting -Emulator $emulator -Settings @{ writeQuota = $null }
        $throttled = @($writes | Where-Object { $_.PSObject.Properties['status'] -and $_.status -eq 429 }).Count
        if (-not $writes[0].PSObject.Properties['status']) {
            # The request log records what was asked; 429s show as the extra tries beyond one per item.
            $throttled = $writes.Count - $BulkItems
        }
        $floor = $BulkItems / $rate
        Add-Row 'Bulk' "$BulkItems writes, wall time" ('{0:N1} s' -f $bulk.TotalSeconds) ('{0:N1} s (N / rate)' -f $floor) ('{0:N2}x' -f ($bulk.TotalSeconds / $floor)) '< 1.15x'
        Add-Row 'Bulk' 'Requests throttled (429)' ('{0} of {1} ({2:P1}); {3} items failed' -f $throttled, $writes.Count, ($throttled / [Math]::Max(1, $writes.Count)), @($errors).Count) '' '' '< 1%'
    }
    #endregion

    #region 5. Many tenants
    if (5 -in $Section) {
        Write-Host "5/7 Many tenants: $TenantCount tenants, one connection each, ForEach-Object -Parallel"
        $tenants = 1..$TenantCount | ForEach-Object {
            $tenantId = [guid]::NewGuid().ToString()
            $tokenId = [guid]::NewGuid().ToString()
            Set-GraphEmulatorTenant -Emulator $emulator -TenantId $tenantId -VppToken @(@{
                    id = $tokenId; organizationName = "Tenant $_"; vppTokenAccountType = 'business'; appleId = "vpp@tenant$_.example"
                    expirationDateTime = '+100d'; lastSyncDateTime = '-1d'; lastModifiedDateTime = '-1d'; state = 'valid'
                    lastSyncStatus = 'completed'; automaticallyUpdateApps = $true; countryOrRegion = 'us'; token = 'x'
                })
            $accessToken = New-GraphEmulatorAccessToken -Emulator $emulator -TenantId $tenantId
            [pscustomobject]@{
                TenantId   = $tenantId
                TokenId    = $tokenId
                Connection = Connect-IntuneVpp -AccessToken (ConvertTo-SecureString $accessToken -AsPlainText -Force) -GraphEndpoint $uri -PassThru
            }
        }
        $timer = [Diagnostics.Stopwatch]::StartNew()
        $seen = $tenants | ForEach-Object -ThrottleLimit 50 -Parallel {
            Import-Module $using:ModulePath
            $got = @(Get-IntuneVppToken -Connection $_.Connection)
            [pscustomobject]@{ TenantId = $_.TenantId; Expected = $_.TokenId; Got = @($got.Id) }
        }
        $wall = $timer.Elapsed.TotalSeconds
        $wrong = @($seen | Where-Object { $_.Got.Count -ne 1 -or $_.Got[0] -ne $_.Expected }).Count
        Add-Row 'Tenants' "$TenantCount tenants read in parallel (50 runspaces), wall time" ('{0:N1} s' -f $wall) '' '' ''
        Add-Row 'Tenants' 'Tenants that got anything but their own token' ("$wrong of $(@($seen).Count)") '' '' '0'
    }
    #endregion

    #region 6. Memory
    if (6 -in $Section) {
        Write-Host "6/7 Memory: $MemoryCalls calls"
        Connect-IntuneVpp -AccessToken (ConvertTo-SecureString 'bench' -AsPlainText -Force) -GraphEndpoint $uri -WriteLimit 0
        $samples = [Collections.Generic.List[object]]::new()
        $step = [Math]::Max(1, [int]($MemoryCalls / 5))
        for ($i = 0; $i -le $MemoryCalls; $i++) {
            if ($i % $step -eq 0) {
                [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
                $samples.Add([pscustomobject]@{ Calls = $i; HeapMB = [GC]::GetTotalMemory($true) / 1MB; WorkingSetMB = (Get-Process -Id $PID).WorkingSet64 / 1MB })
            }
            if ($i -lt $MemoryCalls) { $null = Get-IntuneVppToken -Id $id }
        }
        $first = $samples[1]
        $last = $samples[$samples.Count - 1]
        Add-Row 'Memory' "Managed heap after GC, at $($first.Calls) and $($last.Calls) calls" ('{0:N1} MB -> {1:N1} MB' -f $first.HeapMB, $last.HeapMB) '' ('{0:+0.0;-0.0} MB' -f ($last.HeapMB - $first.HeapMB)) 'flat'
        Add-Row 'Memory' "Working set, at $($first.Calls) and $($last.Calls) calls" ('{0:N0} MB -> {1:N0} MB' -f $first.WorkingSetMB, $last.WorkingSetMB) '' ('{0:+0;-0} MB' -f ($last.WorkingSetMB - $first.WorkingSetMB)) 'flat'
    }
    #endregion

    #region 7. First day
    if (7 -in $Section) {
        Write-Host "7/7 First day: $ColdRuns cold processes each way; 10 items against an unreachable Graph; Sync -Wait on 5 tokens and on 1"

        # A cold process as a runbook starts one: pwsh, import, sign in with the managed identity, first list. Timed
        # from outside, so pwsh's own start is in it; the floor is pwsh starting and importing an empty module.
        $identityHeader = 'bench-identity-header'
        $null = Set-GraphEmulatorManagedIdentity -Emulator $emulator -IdentityHeader $identityHeader -ClientId 'a8f3c2d1-6b5e-4f7a-9c8d-0e1f2a3b4c5d'
        $saved = @{ IDENTITY_ENDPOINT = $env:IDENTITY_ENDPOINT; IDENTITY_HEADER = $env:IDENTITY_HEADER }
        $env:IDENTITY_ENDPOINT = "$uri/msi/token"
        $env:IDENTITY_HEADER = $identityHeader
        try {
            $coldScript = "`$ErrorActionPreference = 'Stop'; Import-Module '$ModulePath'; Connect-IntuneVpp -Identity -GraphEndpoint '$uri'; `$n = @(Get-IntuneVppToken).Count; if (`$n -lt 1) { throw 'no tokens' }"
            $floorScript = "`$ErrorActionPreference = 'Stop'; Import-Module '$EmptyModulePath'; Get-Nothing"
            $cold = [Collections.Generic.List[double]]::new()
            $bare = [Collections.Generic.List[double]]::new()
            for ($run = 0; $run -lt $ColdRuns; $run++) {
                foreach ($pair in @(@($cold, $coldScript), @($bare, $floorScript))) {
                    $timer = [Diagnostics.Stopwatch]::StartNew()
                    $output = & $pwshPath @pwshPrefix -NoProfile -NonInteractive -Command $pair[1] 2>&1
                    if ($LASTEXITCODE) { throw "A cold-start process failed: $output" }
                    $pair[0].Add($timer.Elapsed.TotalMilliseconds)
                }
            }
        }
        finally {
            foreach ($name in $saved.Keys) {
                if ($null -eq $saved[$name]) { Remove-Item "env:$name" -ErrorAction SilentlyContinue } else { Set-Item "env:$name" -Value $saved[$name] }
            }
        }
        $coldMedian = Get-Median $cold
        $bareMedian = Get-Median $bare
        Add-Row 'First day' "Cold process: pwsh, Import-Module, Connect-IntuneVpp -Identity, first Get; median of $ColdRuns (lowest-highest)" (Format-Spread $cold '{0:N0} ms') `
            ('{0} pwsh + empty module' -f (Format-Spread $bare '{0:N0} ms')) ('+{0:N0} ms' -f ($coldMedian - $bareMedian)) ''

        # The first calls of a fresh process, before the JIT has settled: what a runbook that changes a few tokens
        # gets. Each way in its own process, alternating, timed from inside after import and connection.
        $timedCallsScript = { param($Setup, $Call) "`$ErrorActionPreference = 'Stop'; $Setup; `$t = [Diagnostics.Stopwatch]::StartNew(); for (`$i = 0; `$i -lt $FirstCalls; `$i++) { `$null = $Call }; @{ Ms = `$t.Elapsed.TotalMilliseconds / $FirstCalls } | ConvertTo-Json -Compress" }
        $firstSet = & $timedCallsScript "Import-Module '$ModulePath'; `$null = Connect-IntuneVpp -AccessToken (ConvertTo-SecureString 'bench' -AsPlainText -Force) -GraphEndpoint '$uri' -WriteLimit 0" "Set-IntuneVppToken -Id '$id' -CountryOrRegion us"
        $firstFloor = & $timedCallsScript "Import-Module '$FloorModulePath'; [FloorModule.RawPatch]::Configure('$uri', 'bench')" "Invoke-FloorPatch -Id '$id' -CountryOrRegion us"
        $firstRatios = [Collections.Generic.List[double]]::new()
        $firstOurs = [Collections.Generic.List[double]]::new()
        $firstFloors = [Collections.Generic.List[double]]::new()
        for ($run = 0; $run -lt $ColdRuns; $run++) {
            $ours = [double](Invoke-Fresh $firstSet).Ms
            $floorMs = [double](Invoke-Fresh $firstFloor).Ms
            $firstOurs.Add($ours); $firstFloors.Add($floorMs); $firstRatios.Add($ours / $floorMs)
        }
        Add-Row 'First day' "Set-IntuneVppToken -Id -CountryOrRegion, the first $($FirstCalls.ToString("N0")) calls of a fresh process (the JIT still compiling), median of $ColdRuns" (Format-Spread $firstOurs '{0:N3} ms') `
            ('{0} floor 2, its first {1:N0}' -f (Format-Spread $firstFloors '{0:N3} ms'), $FirstCalls) (Format-Spread $firstRatios '{0:N2}x') ''

        # Ten items against a Graph nobody answers (a closed loopback port): how long until the first error, and
        # until the last, with the defaults a first-day user has.
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $closedPort = ([Net.IPEndPoint]$listener.LocalEndpoint).Port
        $listener.Stop()
        $down = Connect-IntuneVpp -AccessToken (ConvertTo-SecureString 'bench' -AsPlainText -Force) -GraphEndpoint "http://127.0.0.1:$closedPort" -PassThru
        $downIds = 1..10 | ForEach-Object { [guid]::NewGuid().ToString() }
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $arrivals = @(& { $downIds | Set-IntuneVppToken -CountryOrRegion us -Connection $down -ErrorAction Continue 2>&1 } |
                ForEach-Object { [pscustomobject]@{ At = $clock.Elapsed.TotalSeconds; Record = $_ } })
        $downWall = $clock.Elapsed.TotalSeconds
        $downErrors = @($arrivals | Where-Object { $_.Record -is [Management.Automation.ErrorRecord] })
        $downIdsSeen = @($downErrors.Record.FullyQualifiedErrorId | ForEach-Object { ($_ -split ',')[0] } | Sort-Object -Unique) -join ', '
        $firstError = if ($downErrors) { '{0:N1} s' -f $downErrors[0].At } else { 'none' }
        Add-Row 'First day' '10 items against an unreachable Graph (connection refused), defaults: wall time' ('{0:N1} s' -f $downWall) '' '' ''
        Add-Row 'First day' '  first error after; errors written (ErrorId)' ("$firstError; $($downErrors.Count) ($downIdsSeen)") '' '' '10 errors'

        # Sync -Wait on five tokens next to one: each sync completes $SyncCompletesAfterMs after it starts.
        $syncTenant = [guid]::NewGuid().ToString()
        $syncIds = 1..5 | ForEach-Object { [guid]::NewGuid().ToString() }
        Set-GraphEmulatorTenant -Emulator $emulator -TenantId $syncTenant -VppToken @($syncIds | ForEach-Object {
                @{ id = $_; organizationName = "Sync $_"; vppTokenAccountType = 'business'; expirationDateTime = '+100d'; lastSyncStatus = 'completed'; token = 'x' }
            })
        $syncConnection = Connect-IntuneVpp -AccessToken (ConvertTo-SecureString (New-GraphEmulatorAccessToken -Emulator $emulator -TenantId $syncTenant) -AsPlainText -Force) -GraphEndpoint $uri -PassThru
        $null = Set-GraphEmulatorSetting -Emulator $emulator -Settings @{ syncCompletesAfterMs = $SyncCompletesAfterMs }
        $poll = [TimeSpan]::FromMilliseconds(500)
        $oneSync = Measure-Command { $script:oneResult = @(Sync-IntuneVppToken -Id $syncIds[0] -Wait -PollInterval $poll -Connection $syncConnection -ProgressAction SilentlyContinue) }
        $fiveSync = Measure-Command { $script:fiveResult = @($syncIds | Sync-IntuneVppToken -Wait -PollInterval $poll -Connection $syncConnection -ProgressAction SilentlyContinue) }
        $null = Set-GraphEmulatorSetting -Emulator $emulator -Settings @{ syncCompletesAfterMs = 0 }
        $completed = @(@($oneResult) + @($fiveResult) | Where-Object { $_.LastSyncStatus -eq 'completed' }).Count
        Add-Row 'First day' "Sync-IntuneVppToken -Wait, 5 tokens (each sync takes $($SyncCompletesAfterMs / 1000) s, polled every 0.5 s)" ('{0:N1} s' -f $fiveSync.TotalSeconds) `
            ('{0:N1} s for 1 token' -f $oneSync.TotalSeconds) ('{0:N2}x' -f ($fiveSync.TotalSeconds / $oneSync.TotalSeconds)) '~1x (in parallel)'
        Add-Row 'First day' '  syncs written as completed' ("$completed of 6") '' '' '6'
    }
    #endregion
}
catch {
    # The figures measured so far are still written; the run then fails.
    $failure = $_
    Write-Host "The benchmark stopped: $failure"
    Add-Row 'Failed' "$($failure.InvocationInfo.PositionMessage -split "`n" | Select-Object -First 1)" "$failure" '' '' ''
}
finally {
    Stop-GraphEmulator -Emulator $emulator
}

$table = $rows | Format-Table -AutoSize -Wrap | Out-String -Width 200
Write-Host $table

$machine = @(
    "- Date: $([DateTimeOffset]::UtcNow.ToString('u'))"
    "- OS: $([Runtime.InteropServices.RuntimeInformation]::OSDescription)"
    "- CPU: $([Environment]::ProcessorCount) logical cores; memory: {0:N1} GB" -f ([double]((Get-Content /proc/meminfo -ErrorAction SilentlyContinue | Select-Object -First 1) -replace '\D', '') / 1MB)
    "- PowerShell $($PSVersionTable.PSVersion) on .NET $([Environment]::Version)"
    "- Module $((Import-PowerShellDataFile (Join-Path $ModulePath 'VppToken.psd1')).ModuleVersion); emulator on 127.0.0.1"
    "- Load average (1, 5, 15 min): $loadBefore before the run, $(Get-LoadAverage) after; other work on the machine moves every figure"
)
$markdown = @(
    '# VppToken benchmark results'
    ''
    'Produced by `dotnet pwsh ./build.ps1 -Task Bench`. Every figure is measured against the local Graph emulator on'
    'loopback, so network time is near zero and the module''s own cost is what shows. A figure is a measurement, not a'
    'test: a busy machine gives slower numbers.'
    ''
    '## Machine'
    ''
    $machine
    ''
    '## Results'
    ''
    'Per call: floor 1 is the raw PATCH on a shared HttpClient in a compiled loop; floor 2 is a compiled cmdlet with two'
    'parameters that sends that same PATCH on the pipeline thread, so floor 2 over floor 1 is what being a cmdlet costs.'
    'The ways are first run until the JIT has settled (code without precompiled native code starts at tier 0 and is'
    'recompiled in the background over several thousand calls); the first calls of a fresh process are a First day row.'
    'The ways are measured in alternating rounds; each figure is the median of the rounds with the lowest and highest'
    'round after it, and each ratio the median of the per-round ratios. The profile splits Set-IntuneVppToken over'
    'floor 2 into the client layer (timed in a compiled loop, without PowerShell) and the cmdlet side (the rest); the'
    'rows under them are timed alone. Wake-ups count voluntary context switches per call over all threads of the'
    'process: other work on the machine does not inflate them the way it inflates times.'
    ''
    '| Area | Measure | VppToken | Floor | Ratio | Target |'
    '|---|---|---|---|---|---|'
    ($rows | ForEach-Object { "| $($_.Area) | $($_.Measure) | $($_.VppToken) | $($_.Floor) | $($_.Ratio) | $($_.Target) |" })
    ''
    if ($samples) {
        '## Memory samples'
        ''
        '| Calls | Managed heap (MB) | Working set (MB) |'
        '|---|---|---|'
        ($samples | ForEach-Object { '| {0} | {1:N1} | {2:N0} |' -f $_.Calls, $_.HeapMB, $_.WorkingSetMB })
    }
)
$null = New-Item -ItemType Directory -Force -Path (Split-Path $ResultPath)
Set-Content -LiteralPath $ResultPath -Value $markdown -Encoding utf8
Write-Host "Written to $ResultPath"
if ($failure) { exit 1 }
