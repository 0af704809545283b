<#
.SYNOPSIS
Checks the tenant's Apple VPP tokens every day; fails the job when one needs attention.

.DESCRIPTION
An Azure Automation runbook for PowerShell 5.1 or 7.x. It signs in with the Automation account's managed identity and
checks every VPP token of the tenant with Test-IntuneVppToken: a token that expires within -WarningDays (expired ones
included), whose state is not 'valid' (claimed by another MDM, invalid after a password reset, ...), whose last
license sync failed, or that has not synced for -StaleSyncDays needs attention. It writes a line per token and a
summary to the job's output and a warning per flagged token, and then fails the job, so that an alert on failed jobs
tells someone while there is still time to renew. A tenant whose tokens cannot be read fails the job at once.

Needs the VppToken module in the Automation account, and Microsoft Graph's DeviceManagementServiceConfig.Read.All
application permission for the managed identity. See README.md in this folder.

.PARAMETER WarningDays
How many days before expiry a token needs attention. 30 by default: Apple's tokens last a year, and renewing one
takes an administrator of Apple Business Manager or Apple School Manager.

.PARAMETER CriticalDays
How many days before expiry a token is Critical rather than a Warning. 7 by default; at most -WarningDays.

.PARAMETER StaleSyncDays
How many days without a license sync a token may go. 7 by default.

.PARAMETER ClientId
The client id of a user-assigned managed identity; leave it out for the account's system-assigned identity.

.PARAMETER Environment
The cloud: Global (the default), USGov, USGovDoD or China.

.PARAMETER GraphEndpoint
A Microsoft Graph endpoint of your own instead of the cloud's, such as a test server.

.EXAMPLE
.\Watch-VppTokenExpiry.ps1 -WarningDays 45

Flags the tokens that expire within 45 days, besides those not valid or not syncing.
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 3650)]
    [int] $WarningDays = 30,

    [ValidateRange(0, 3650)]
    [int] $CriticalDays = 7,

    [ValidateRange(1, 3650)]
    [int] $StaleSyncDays = 7,

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

# A short -WarningDays alone (5) must not make the default critical window (7) an error.
if ($CriticalDays -gt $WarningDays) { $CriticalDays = $WarningDays }
$health = @(Test-IntuneVppToken -WarningDays $WarningDays -CriticalDays $CriticalDays -StaleSyncDays $StaleSyncDays)

$unreadable = @($health | Where-Object { -not $_.TokenId })
if ($unreadable.Count -gt 0) {
    throw "The VPP tokens could not be checked: $($unreadable[0].Reasons[0].Message)"
}
if ($health.Count -eq 0) {
    Write-Output 'The tenant has no VPP tokens.'
    return
}

# What to do about a token, from its worst kind of reason: a new file from Apple, or a look in Intune.
function Get-Advice($Record) {
    $codes = @($Record.Reasons | ForEach-Object { [string]$_.Code })
    if ($codes | Where-Object { $_ -in 'Expired', 'ExpiresWithinCriticalDays', 'ExpiresWithinWarningDays', 'InvalidState' }) {
        'Download a new token from Apple Business Manager or Apple School Manager and renew it (Update-VppTokenFromFile.ps1).'
    }
    elseif ($codes | Where-Object { $_ -in 'AssignedToExternalMdm', 'DuplicateLocationId', 'StateNotValid' }) {
        'Intune cannot use it in this state: see Tenant administration > Connectors and tokens > Apple VPP tokens in the Intune admin center.'
    }
    else {
        'Start a license sync (Sync-IntuneVppToken) and check the token in Apple Business Manager or Apple School Manager.'
    }
}

$flagged = @($health | Where-Object { [string]$_.Status -ne 'Healthy' })
$critical = @($flagged | Where-Object { [string]$_.Status -eq 'Critical' }).Count
Write-Output ("VPP tokens: {0}; needing attention: {1} ({2} critical, {3} warning; expiring within {4} days, not valid, or not syncing)." -f
    $health.Count, $flagged.Count, $critical, ($flagged.Count - $critical), $WarningDays)
$rows = $health | Sort-Object -Property DaysLeft | Select-Object -Property Status, @{ n = 'Organization'; e = { $_.OrganizationName } }, AppleId, State,
    @{ n = 'Expires'; e = { if ($_.ExpirationDateTime) { $_.ExpirationDateTime.ToUniversalTime().ToString('yyyy-MM-dd') } else { 'unknown' } } },
    DaysLeft, @{ n = 'Reasons'; e = { @($_.Reasons | ForEach-Object { [string]$_.Code }) -join ', ' } }
Write-Output ($rows | Format-Table -AutoSize | Out-String -Width 250).Trim()

foreach ($item in $flagged) {
    $words = @($item.Reasons | ForEach-Object { $_.Message }) -join '; '
    Write-Warning "$($item.OrganizationName) ($($item.AppleId), id $($item.TokenId)) is $($item.Status): $words. $(Get-Advice $item)"
}
if ($flagged.Count -gt 0) {
    $names = ($flagged | ForEach-Object { "$($_.OrganizationName) ($($_.Status): $(@($_.Reasons | ForEach-Object { [string]$_.Code }) -join ', '))" }) -join ', '
    throw "$($flagged.Count) of $($health.Count) VPP tokens need attention: $names."
}
