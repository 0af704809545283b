<#
.SYNOPSIS
Measures VppToken against the emulator next to its floors, prints a table and writes bench/results.md.

.DESCRIPTION
Run by `dotnet pwsh ./build.ps1 -Task Bench` in a fresh pwsh. Prints figures only: nothing here passes or fails
on a time, so a busy machine gives slower numbers, never a red build.
1. Import: Import-Module in fresh processes, next to an empty binary module; first call after import; working set.
2. Per call: sequential Set-IntuneVppToken next to raw HttpClient PATCHes and Invoke-RestMethod from this process.
3. Bulk: ids piped into Set-IntuneVppToken under the emulator's write quota, next to the quota's floor.
4. Many tenants: a connection per tenant, read in ForEach-Object -Parallel; every tenant must get its own tokens.
5. Memory: working set and managed heap across many calls.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EmptyModulePath,
    [Parameter(Mandatory)] [string] $EmulatorModulePath,
    [Parameter(Mandatory)] [string] $EmulatorPath,
    [Parameter(Mandatory)] [string] $ResultPath,
    [int] $ImportRuns = 15,
    [int] $PerCallRuns = 500,
    [int] $BulkItems = 1000,
    [int] $BulkLimit = 100,
    [int] $BulkWindowMs = 2000,
    [int] $TenantCount = 200,
    [int] $MemoryCalls = 10000
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$env:VPPTOKEN_EMULATOR_DLL = $EmulatorPath
Import-Module $EmulatorModulePath

$pwshPath = (Get-Process -Id $PID).Path
$pwshPrefix = if ([IO.Path]::GetFileNameWithoutExtension($pwshPath) -eq 'dotnet') { , @([IO.Path]::Combine($PSHOME, 'pwsh.dll')) } else { , @() }

function Get-Median([double[]] $Values) {
    $sorted = $Values | Sort-Object
    $middle = [int][Math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$middle] } else { ($sorted[$middle - 1] + $sorted[$middle]) / 2 }
}

function Get-Percentile([double[]] $Values, [double] $Fraction) {
    $sorted = @($Values | Sort-Object)
    $sorted[[int][Math]::Min($sorted.Count - 1, [Math]::Floor($Fraction * $sorted.Count))]
}

function Invoke-Fresh([string] $Script) {
    $output = & $pwshPath @pwshPrefix -NoProfile -NonInteractive -Command $Script
    if ($LASTEXITCODE) { throw "A benchmark child process failed: $output" }
    $output | Select-Object -Last 1 | ConvertFrom-Json
}

function Format-Ms([double] $Value) { '{0:N1} ms' -f $Value }

$rows = [Collections.Generic.List[object]]::new()
function Add-Row([string] $Area, [string] $Measure, [string] $Value, [string] $Floor, [string] $Ratio, [string] $Target) {
    $rows.Add([pscustomobject]@{ Area = $Area; Measure = $Measure; VppToken = $Value; Floor = $Floor; Ratio = $Ratio; Target = $Target })
}

$emulator = Start-GraphEmulator
try {
    $uri = $emulator.Uri.AbsoluteUri.TrimEnd('/')
    $seeded = @(Get-GraphEmulatorStoredToken -Emulator $emulator -TenantId '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f')
    $ids = @($seeded | ForEach-Object id)

    #region 1. Import
    Write-Host "1/5 Import: $ImportRuns fresh processes each for VppToken and for an empty binary module"
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
    #endregion

    #region 2. Per-call cost
    Write-Host "2/5 Per call: $PerCallRuns sequential PATCHes three ways"
    Import-Module $ModulePath
    # Pacing is off here: this measures what one call costs, not Intune's limit.
    Connect-IntuneVpp -AccessToken (ConvertTo-SecureString 'bench' -AsPlainText -Force) -GraphEndpoint $uri -WriteLimit 0
    $id = $ids[0]
    $body = '{"@odata.type":"#microsoft.graph.vppToken","countryOrRegion":"us"}'
    $client = [Net.Http.HttpClient]::new()
    $patchUri = "$uri/v1.0/deviceAppManagement/vppTokens/$id"
    $raw = {
        $request = [Net.Http.HttpRequestMessage]::new([Net.Http.HttpMethod]::new('PATCH'), $patchUri)
        $request.Headers.Authorization = [Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', 'bench')
        $request.Headers.Add('client-request-id', [guid]::NewGuid().ToString())
        $request.Content = [Net.Http.StringContent]::new($body, [Text.Encoding]::UTF8, 'application/json')
        $response = $client.SendAsync($request).GetAwaiter().GetResult()
        $null = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
        $response.Dispose()
    }
    $headers = @{ Authorization = 'Bearer bench' }
    # Warm every path once so JIT and connection set-up are not in the figures.
    & $raw; Set-IntuneVppToken -Id $id -CountryOrRegion us; $null = Invoke-RestMethod -Method Patch -Uri $patchUri -Headers $headers -Body $body -ContentType 'application/json'
    $rawMs = (Measure-Command { for ($i = 0; $i -lt $PerCallRuns; $i++) { & $raw } }).TotalMilliseconds / $PerCallRuns
    $oursMs = (Measure-Command { for ($i = 0; $i -lt $PerCallRuns; $i++) { Set-IntuneVppToken -Id $id -CountryOrRegion us } }).TotalMilliseconds / $PerCallRuns
    $irmMs = (Measure-Command { for ($i = 0; $i -lt $PerCallRuns; $i++) { $null = Invoke-RestMethod -Method Patch -Uri $patchUri -Headers $headers -Body $body -ContentType 'application/json' } }).TotalMilliseconds / $PerCallRuns
    Add-Row 'Per call' "Set-IntuneVppToken, mean of $PerCallRuns" (Format-Ms $oursMs) ("{0} raw HttpClient" -f (Format-Ms $rawMs)) ('{0:N2}x' -f ($oursMs / $rawMs)) '< 1.3x'
    Add-Row 'Per call' "Invoke-RestMethod, mean of $PerCallRuns" (Format-Ms $irmMs) ("{0} raw HttpClient" -f (Format-Ms $rawMs)) ('{0:N2}x' -f ($irmMs / $rawMs)) 'VppToken below it'
    #endregion

    #region 3. Bulk under the write limit
    $rate = $BulkLimit / ($BulkWindowMs / 1000)
    Write-Host "3/5 Bulk: $BulkItems ids piped under a quota of $BulkLimit writes per $BulkWindowMs ms"
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
    #endregion

    #region 4. Many tenants
    Write-Host "4/5 Many tenants: $TenantCount tenants, one connection each, ForEach-Object -Parallel"
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
    #endregion

    #region 5. Memory
    Write-Host "5/5 Memory: $MemoryCalls calls"
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
    #endregion
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
    '| Area | Measure | VppToken | Floor | Ratio | Target |'
    '|---|---|---|---|---|---|'
    ($rows | ForEach-Object { "| $($_.Area) | $($_.Measure) | $($_.VppToken) | $($_.Floor) | $($_.Ratio) | $($_.Target) |" })
    ''
    '## Memory samples'
    ''
    '| Calls | Managed heap (MB) | Working set (MB) |'
    '|---|---|---|'
    ($samples | ForEach-Object { '| {0} | {1:N1} | {2:N0} |' -f $_.Calls, $_.HeapMB, $_.WorkingSetMB })
)
$null = New-Item -ItemType Directory -Force -Path (Split-Path $ResultPath)
Set-Content -LiteralPath $ResultPath -Value $markdown -Encoding utf8
Write-Host "Written to $ResultPath"
