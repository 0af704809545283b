#Requires -Version 7.0
# Drives the Graph emulator (tests/GraphEmulator) from Pester: start and stop it, and call its /_emulator control API.
Set-StrictMode -Version Latest

function Get-GraphEmulatorDll {
    if ($env:VPPTOKEN_EMULATOR_DLL) { return $env:VPPTOKEN_EMULATOR_DLL }
    $repo = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    $published = Join-Path $repo 'out/GraphEmulator/GraphEmulator.dll'
    if (Test-Path $published) { return $published }
    $built = Get-ChildItem (Join-Path $repo 'tests/GraphEmulator/bin') -Filter GraphEmulator.dll -Recurse -ErrorAction SilentlyContinue |
        Sort-Object LastWriteTimeUtc -Descending | Select-Object -First 1
    if ($built) { return $built.FullName }
    throw "GraphEmulator.dll not found: set VPPTOKEN_EMULATOR_DLL, or build tests/GraphEmulator (dotnet build tests/GraphEmulator -c Release)."
}

function Invoke-GraphEmulatorControl {
    param([Parameter(Mandatory)] $Emulator, [string] $Method = 'GET', [Parameter(Mandatory)] [string] $Path, $Body)
    $request = @{ Method = $Method; Uri = [uri]::new($Emulator.Uri, "/_emulator/$Path") }
    if ($PSBoundParameters.ContainsKey('Body')) {
        $request.Body = ConvertTo-Json -InputObject $Body -Depth 20 -Compress
        $request.ContentType = 'application/json'
    }
    Invoke-RestMethod @request
}

<#
.SYNOPSIS
Starts the Graph emulator as a background process.
.DESCRIPTION
Runs `dotnet GraphEmulator.dll` (found through $env:VPPTOKEN_EMULATOR_DLL, then <repo>/out/GraphEmulator, then the build
output under tests/GraphEmulator/bin) on free loopback ports and waits up to 30 seconds for its listening line(s).
.PARAMETER Seed
A seed file (JSON) to load instead of the default seed.json.
.PARAMETER HttpsCertificatePath
A .pfx to serve https with (needed for the Entra ID token endpoint); a second, https listener is opened.
.PARAMETER HttpsCertificatePassword
The .pfx password, if any.
.OUTPUTS
[pscustomobject] with Uri (http), HttpsUri (or $null) and Process.
.EXAMPLE
$emulator = Start-GraphEmulator
#>
function Start-GraphEmulator {
    [CmdletBinding(SupportsShouldProcess)]
    param([string] $Seed, [string] $HttpsCertificatePath, [string] $HttpsCertificatePassword)

    $arguments = [System.Collections.Generic.List[string]]@((Get-GraphEmulatorDll))
    if ($Seed) { $arguments.AddRange([string[]]@('--seed', (Resolve-Path $Seed).Path)) }
    if ($HttpsCertificatePath) { $arguments.AddRange([string[]]@('--https-cert', (Resolve-Path $HttpsCertificatePath).Path)) }
    if ($HttpsCertificatePassword) { $arguments.AddRange([string[]]@('--https-cert-password', $HttpsCertificatePassword)) }
    if (-not $PSCmdlet.ShouldProcess("dotnet $($arguments -join ' ')", 'Start Graph emulator')) { return }

    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $arguments | ForEach-Object { $start.ArgumentList.Add($_) }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)
    $process.BeginErrorReadLine() # drained so a chatty stderr can never block the emulator

    $expected = if ($HttpsCertificatePath) { 2 } else { 1 }
    $urls = @{}
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while ($urls.Count -lt $expected) {
        $line = $process.StandardOutput.ReadLineAsync()
        $remaining = [Math]::Max(0, ($deadline - [DateTime]::UtcNow).TotalMilliseconds)
        if (-not $line.Wait([int]$remaining) -or $null -eq $line.Result) {
            if (-not $process.HasExited) { $process.Kill() }
            throw "Graph emulator did not report listening within 30 s (exited: $($process.HasExited)). Command: dotnet $($arguments -join ' ')"
        }
        if ($line.Result -match '^GraphEmulator listening on (?<url>(?<scheme>https?)://\S+)$') {
            $urls[$Matches.scheme] = [uri]$Matches.url
        }
    }

    [pscustomobject]@{ Uri = $urls['http']; HttpsUri = $urls['https']; Process = $process }
}

<#
.SYNOPSIS
Stops an emulator started with Start-GraphEmulator. Safe to call twice.
.PARAMETER Emulator
The object Start-GraphEmulator returned.
#>
function Stop-GraphEmulator {
    [CmdletBinding(SupportsShouldProcess)]
    param([Parameter(Mandatory)] [AllowNull()] $Emulator)
    if ($null -eq $Emulator -or $Emulator.Process.HasExited) { return }
    if ($PSCmdlet.ShouldProcess("Graph emulator (pid $($Emulator.Process.Id))", 'Stop')) {
        $Emulator.Process.Kill()
        $null = $Emulator.Process.WaitForExit(5000)
    }
}

<#
.SYNOPSIS
Puts the emulator back to its seed: seed tokens, empty request log, no scripts, default settings.
Registered apps and the managed identity configuration are kept.
#>
function Reset-GraphEmulator {
    [CmdletBinding(SupportsShouldProcess)]
    param([Parameter(Mandatory)] $Emulator)
    if ($PSCmdlet.ShouldProcess($Emulator.Uri, 'Reset Graph emulator')) {
        $null = Invoke-GraphEmulatorControl $Emulator -Method POST -Path reset
    }
}

<#
.SYNOPSIS
Returns the requests the emulator received (control API calls excluded), oldest first.
.DESCRIPTION
Each has sequence, time, method, path (raw target, query included), headers, body; and Json, the parsed body, when
the body is JSON.
.PARAMETER Method
Only requests with this HTTP method.
.PARAMETER Path
Only requests whose raw path (query included) matches this wildcard, e.g. '/v1.0/deviceAppManagement/vppTokens/*'.
#>
function Get-GraphEmulatorRequest {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator, [string] $Method, [string] $Path)
    foreach ($request in (Invoke-GraphEmulatorControl $Emulator -Path requests)) {
        if ($Method -and $request.method -ne $Method) { continue }
        if ($Path -and $request.path -notlike $Path) { continue }
        $json = $null
        if ($request.body) { try { $json = ConvertFrom-Json $request.body -ErrorAction Stop } catch { $json = $null } }
        $request | Add-Member -NotePropertyName Json -NotePropertyValue $json -PassThru
    }
}

<#
.SYNOPSIS
Empties the emulator's request log.
#>
function Clear-GraphEmulatorRequest {
    [CmdletBinding(SupportsShouldProcess)]
    param([Parameter(Mandatory)] $Emulator)
    if ($PSCmdlet.ShouldProcess($Emulator.Uri, 'Clear request log')) {
        $null = Invoke-GraphEmulatorControl $Emulator -Method DELETE -Path requests
    }
}

<#
.SYNOPSIS
Changes emulator settings; only the given keys change.
.PARAMETER Settings
Any of patchNoContent, pageSize, syncLicensesWrapped, syncCompletesAfterMs, writeQuota, readQuota
(quota: @{ limit = 100; windowMs = 2000; retryAfter = 'seconds' | 'fractional' | 'none' | '<literal>' }, or $null).
.OUTPUTS
The settings now in force.
#>
function Set-GraphEmulatorSetting {
    [CmdletBinding(SupportsShouldProcess)]
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [hashtable] $Settings)
    if ($PSCmdlet.ShouldProcess($Emulator.Uri, 'Change settings')) {
        Invoke-GraphEmulatorControl $Emulator -Method PUT -Path settings -Body $Settings
    }
}

<#
.SYNOPSIS
Queues scripted answers for requests matching a decoded path (trailing * = prefix) and, optionally, a method.
.PARAMETER Response
One hashtable per answer: status, headers (hashtable), body (raw text), json (object) or bodyBase64 (raw bytes, which
need not be UTF-8), delayMs, fault ('reset' | 'reset-mid-body' | 'hang'), times (the same answer n times in a row),
forever ($true: this answer for every later match, until the emulator is reset).
.EXAMPLE
Add-GraphEmulatorScript $e -Method PATCH -Path '/v1.0/deviceAppManagement/vppTokens/*' -Response @{ status = 429; headers = @{ 'Retry-After' = '1' } }
.EXAMPLE
Add-GraphEmulatorScript $e -Method GET -Path '/v1.0/deviceAppManagement/vppTokens/*' -Response @{ status = 200; bodyBase64 = [Convert]::ToBase64String([byte[]](0x7B, 0xFF, 0x7D)) }
#>
function Add-GraphEmulatorScript {
    [CmdletBinding(SupportsShouldProcess)]
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $Path, [string] $Method, [Parameter(Mandatory)] [hashtable[]] $Response)
    $script = @{ path = $Path; responses = @($Response) }
    if ($Method) { $script.method = $Method }
    if ($PSCmdlet.ShouldProcess($Path, 'Queue scripted answers')) {
        $null = Invoke-GraphEmulatorControl $Emulator -Method POST -Path scripts -Body $script
    }
}

<#
.SYNOPSIS
Returns a tenant's vppTokens as stored (all properties, beta ones included).
#>
function Get-GraphEmulatorStoredToken {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $TenantId)
    Invoke-GraphEmulatorControl $Emulator -Path "tenants/$TenantId/vppTokens" | ForEach-Object { $_ }
}

<#
.SYNOPSIS
Creates or replaces a tenant and its vppTokens (missing properties get Intune's defaults; dates may be relative, '+30d').
#>
function Set-GraphEmulatorTenant {
    [CmdletBinding(SupportsShouldProcess)]
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $TenantId, [object[]] $VppToken = @())
    if ($PSCmdlet.ShouldProcess($TenantId, 'Create or replace tenant')) {
        $null = Invoke-GraphEmulatorControl $Emulator -Method PUT -Path "tenants/$TenantId" -Body @{ vppTokens = @($VppToken) }
    }
}

<#
.SYNOPSIS
Registers an app (service principal) for the Entra ID token endpoint: a client secret and/or a certificate.
.PARAMETER Certificate
The public certificate: an X509Certificate2 or base64 DER.
.PARAMETER Role
Application permissions put into its access tokens' roles claim.
#>
function Register-GraphEmulatorApp {
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)] [string] $TenantId,
        [Parameter(Mandatory)] [string] $ClientId,
        [string] $ClientSecret,
        $Certificate,
        [string[]] $Role = @('DeviceManagementServiceConfig.ReadWrite.All'))
    $app = @{ tenantId = $TenantId; clientId = $ClientId; roles = @($Role) }
    if ($ClientSecret) { $app.clientSecret = $ClientSecret }
    if ($Certificate -is [System.Security.Cryptography.X509Certificates.X509Certificate2]) {
        $app.certificate = [Convert]::ToBase64String($Certificate.RawData)
    } elseif ($Certificate) { $app.certificate = [string]$Certificate }
    if ($PSCmdlet.ShouldProcess($ClientId, 'Register app')) {
        $null = Invoke-GraphEmulatorControl $Emulator -Method POST -Path apps -Body $app
    }
}

<#
.SYNOPSIS
Issues an emulator access token (JWT) for a tenant and app; returns the token string.
.PARAMETER LifetimeSeconds
Negative for a token that is already expired.
.PARAMETER Scope
Delegated permissions (space-separated) for the scp claim.
#>
function New-GraphEmulatorAccessToken {
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)] [string] $TenantId,
        [string] $ClientId = '11111111-2222-3333-4444-555555555555',
        [string[]] $Role = @('DeviceManagementServiceConfig.ReadWrite.All'),
        [int] $LifetimeSeconds = 3600,
        [string] $Scope)
    $request = @{ tenantId = $TenantId; clientId = $ClientId; roles = @($Role); lifetimeSeconds = $LifetimeSeconds }
    if ($Scope) { $request.scp = $Scope }
    if ($PSCmdlet.ShouldProcess($TenantId, 'Issue access token')) {
        (Invoke-GraphEmulatorControl $Emulator -Method POST -Path issue-token -Body $request).access_token
    }
}

<#
.SYNOPSIS
Configures the managed identity endpoint (/msi/token): its secret header, tenant, app, roles and token lifetime.
Only the given values change.
#>
function Set-GraphEmulatorManagedIdentity {
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(Mandatory)] $Emulator,
        [string] $IdentityHeader,
        [string] $TenantId,
        [string] $ClientId,
        [string[]] $Role,
        [int] $LifetimeSeconds)
    $names = @{ IdentityHeader = 'identityHeader'; TenantId = 'tenantId'; ClientId = 'clientId'; Role = 'roles'; LifetimeSeconds = 'lifetimeSeconds' }
    $body = @{}
    foreach ($key in $names.Keys) { if ($PSBoundParameters.ContainsKey($key)) { $body[$names[$key]] = $PSBoundParameters[$key] } }
    if ($PSCmdlet.ShouldProcess($Emulator.Uri, 'Configure managed identity')) {
        Invoke-GraphEmulatorControl $Emulator -Method PUT -Path managed-identity -Body $body
    }
}

<#
.SYNOPSIS
The device authorizations (device code sign-ins) the emulator handed out since the last reset, oldest first.
.DESCRIPTION
Each has userCode, tenantId, clientId, resource, permissions, asksDefault, state (Pending, Approved, Declined, Expired,
Redeemed), polls and user. The device code itself, the client's secret, is never listed.
#>
function Get-GraphEmulatorDeviceCode {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator)
    Invoke-GraphEmulatorControl $Emulator -Path device-codes | ForEach-Object { $_ }
}

<#
.SYNOPSIS
Waits until a device code sign-in is pending at the emulator and returns it; throws after -TimeoutSeconds.
#>
function Wait-GraphEmulatorDeviceCode {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator, [int] $TimeoutSeconds = 30)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        $pending = @(Get-GraphEmulatorDeviceCode $Emulator | Where-Object state -EQ 'Pending')
        if ($pending) { return $pending[0] }
        Start-Sleep -Milliseconds 100
    }
    throw "No device code sign-in was pending at the emulator within $TimeoutSeconds s."
}

<#
.SYNOPSIS
Does what the person at the verification page would: approve (as -User), decline, let the code expire, or make the
client's next poll answer slow_down.
#>
function Set-GraphEmulatorDeviceCode {
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)] [string] $UserCode,
        [Parameter(Mandatory)] [ValidateSet('approve', 'decline', 'expire', 'slow_down')] [string] $Outcome,
        [string] $User)
    $body = @{ outcome = $Outcome }
    if ($User) { $body.user = $User }
    if ($PSCmdlet.ShouldProcess($UserCode, $Outcome)) {
        Invoke-GraphEmulatorControl $Emulator -Method POST -Path "device-codes/$UserCode" -Body $body
    }
}

Export-ModuleMember -Function Start-GraphEmulator, Stop-GraphEmulator, Reset-GraphEmulator, Get-GraphEmulatorRequest,
    Clear-GraphEmulatorRequest, Set-GraphEmulatorSetting, Add-GraphEmulatorScript, Get-GraphEmulatorStoredToken,
    Set-GraphEmulatorTenant, Register-GraphEmulatorApp, New-GraphEmulatorAccessToken, Set-GraphEmulatorManagedIdentity,
    Get-GraphEmulatorDeviceCode, Wait-GraphEmulatorDeviceCode, Set-GraphEmulatorDeviceCode
