<#
.SYNOPSIS
Checks the tenant's Apple VPP tokens every day; fails the job when one needs attention.

.DESCRIPTION
An Azure Automation runbook for PowerShell 5.1 or 7.x. It signs in with the Automation account's managed identity,
reads every VPP token of the tenant, and flags each one that expires within -WarningDays (expired ones included) or
whose state is not 'valid'. It writes a line per token and a summary to the job's output and a warning per flagged
token, and then fails the job, so that an alert on failed jobs tells someone while there is still time to renew.

Needs the VppToken module in the Automation account, and Microsoft Graph's DeviceManagementServiceConfig.Read.All
application permission for the managed identity. See README.md in this folder.

.PARAMETER WarningDays
How many days before expiry a token needs attention. 30 by default: Apple's tokens last a year, and renewing one
takes an administrator of Apple Business Manager or Apple School Manager.

.PARAMETER ClientId
The client id of a user-assigned managed identity; leave it out for the account's system-assigned identity.

.PARAMETER Environment
The cloud: Global (the default), USGov, USGovDoD or China.

.PARAMETER GraphEndpoint
A Microsoft Graph endpoint of your own instead of the cloud's, such as a test server.

.EXAMPLE
.\Watch-VppTokenExpiry.ps1 -WarningDays 45

Flags the tokens that expire within 45 days.
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 3650)]
    [int] $WarningDays = 30,

    [string] $ClientId,

    [ValidateSet('Global', 'USGov', 'USGovDoD', 'China')]
    [string] $Environment = 'Global',

    [string] $GraphEndpoint
)

# Any error ends the job as Failed: a check that could not run must not look like a clean one.
$ErrorActionPreference = 'Stop'

$connect = @{ Identity = $true; Environment = $Environment }
if ($ClientId) { $connect['ClientId'] = $ClientId }
if ($GraphEndpoint) { $connect['GraphEndpoint'] = $GraphEndpoint }
Connect-IntuneVpp @connect

$tokens = @(Get-IntuneVppToken)
$expiring = @(Get-IntuneVppToken -ExpiringWithinDays $WarningDays | ForEach-Object { $_.Id })

$now = [DateTimeOffset]::UtcNow
$report = @(foreach ($token in ($tokens | Sort-Object -Property ExpirationDateTime)) {
        $reasons = @()
        $advice = $null
        # Whole days, counted towards zero: 29.9 days left is 29, and 10.2 days past is -10 ('expired 10 days ago').
        $days = $null
        if ($token.ExpirationDateTime) {
            $left = ($token.ExpirationDateTime - $now).TotalDays
            $days = if ($left -ge 0) { [int][Math]::Floor($left) } else { - [int][Math]::Floor(- $left) }
        }
        if ($expiring -contains $token.Id) {
            if ($days -lt 0 -or $token.ExpirationDateTime -le $now) { $reasons += "expired $(- $days) days ago" } else { $reasons += "expires in $days days" }
            $advice = 'Download a new token from Apple Business Manager or Apple School Manager and renew it (Update-VppTokenFromFile.ps1).'
        }
        if ($token.State -ne 'valid') {
            $reasons += "state is '$($token.State)'"
            if (-not $advice) {
                $advice = 'Intune cannot use it in this state: see Tenant administration > Connectors and tokens > Apple VPP tokens in the Intune admin center.'
            }
        }
        [pscustomobject]@{
            Organization = $token.OrganizationName
            AppleId      = $token.AppleId
            State        = $token.State
            Expires      = if ($token.ExpirationDateTime) { $token.ExpirationDateTime.ToUniversalTime().ToString('yyyy-MM-dd') } else { 'unknown' }
            DaysLeft     = $days
            Attention    = $reasons -join '; '
            Advice       = $advice
            Id           = $token.Id
        }
    })
$flagged = @($report | Where-Object { $_.Attention })

if ($report.Count -eq 0) {
    Write-Output 'The tenant has no VPP tokens.'
    return
}
Write-Output "VPP tokens: $($report.Count); needing attention: $($flagged.Count) (expiring within $WarningDays days, or not valid)."
Write-Output ($report | Format-Table -Property Organization, AppleId, State, Expires, DaysLeft, Attention -AutoSize | Out-String -Width 250).Trim()

foreach ($item in $flagged) {
    Write-Warning "$($item.Organization) ($($item.AppleId), id $($item.Id)): $($item.Attention). $($item.Advice)"
}
if ($flagged.Count -gt 0) {
    $names = ($flagged | ForEach-Object { "$($_.Organization) ($($_.Attention))" }) -join ', '
    throw "$($flagged.Count) of $($report.Count) VPP tokens need attention: $names."
}
