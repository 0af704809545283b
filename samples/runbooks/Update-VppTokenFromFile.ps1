<#
.SYNOPSIS
Renews an Intune VPP token from Apple's new .vpptoken file, kept in an Automation variable or in storage.

.DESCRIPTION
An Azure Automation runbook for PowerShell 5.1 or 7.x. It reads the new token file from one place: an encrypted
Automation variable (by default the variable VppTokenFile), a blob in Azure Storage read with the managed identity, or
a file path (on a Hybrid Runbook Worker). It checks the file (readable, not expired), signs in with the Automation
account's managed identity, finds the Intune token of the file's organization, and renews it with
Set-IntuneVppToken -TokenFile. A token that already expires no earlier than the file is left alone, so the runbook can
run again safely. Any problem fails the job; the token's content never reaches the job's output.

Needs the VppToken module in the Automation account, Microsoft Graph's DeviceManagementServiceConfig.ReadWrite.All
application permission for the managed identity and, for -TokenFileUri, the Storage Blob Data Reader role on the
blob's container. See README.md in this folder.

.PARAMETER TokenVariableName
The Automation variable that holds the .vpptoken file's content (create it encrypted). Used when no other source
is given, with the name VppTokenFile.

.PARAMETER TokenFileUri
The https URL of a blob that holds the .vpptoken file, read with the managed identity.

.PARAMETER TokenFilePath
The path of the .vpptoken file, such as a file share a Hybrid Runbook Worker reaches.

.PARAMETER TokenFileContent
The file's content itself, for running the runbook outside Azure Automation, where Get-AutomationVariable does not
exist. In Automation, prefer an encrypted variable: job parameters are kept in the job's history.

.PARAMETER TokenId
The Intune token to renew, when the organization alone does not tell (several tokens of one organization).

.PARAMETER Force
Sends the file even when its organization differs from the Intune token's (after Apple renamed it).

.PARAMETER SyncLicenses
Starts a license sync with Apple once the token is renewed.

.PARAMETER ClientId
The client id of a user-assigned managed identity; leave it out for the account's system-assigned identity.

.PARAMETER Environment
The cloud: Global (the default), USGov, USGovDoD or China.

.PARAMETER GraphEndpoint
A Microsoft Graph endpoint of your own instead of the cloud's, such as a test server.

.EXAMPLE
.\Update-VppTokenFromFile.ps1 -TokenVariableName ContosoVppToken -SyncLicenses

Renews the token of the organization in the variable ContosoVppToken's file, then syncs its licenses.

.EXAMPLE
.\Update-VppTokenFromFile.ps1 -TokenFileUri https://contosoit.blob.core.windows.net/vpp/contoso.vpptoken

Renews the token from the blob.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string] $TokenVariableName = 'VppTokenFile',

    [string] $TokenFileUri,

    [string] $TokenFilePath,

    [string] $TokenFileContent,

    [string] $TokenId,

    [switch] $Force,

    [switch] $SyncLicenses,

    [string] $ClientId,

    [ValidateSet('Global', 'USGov', 'USGovDoD', 'China')]
    [string] $Environment = 'Global',

    [string] $GraphEndpoint
)

# Any error ends the job as Failed.
$ErrorActionPreference = 'Stop'

$sources = @(@('TokenVariableName', 'TokenFileUri', 'TokenFilePath', 'TokenFileContent') | Where-Object { $PSBoundParameters.ContainsKey($_) })
if ($sources.Count -gt 1) {
    throw "Give the token file one way, not with both -$($sources -join ' and -')."
}
$source = if ($sources.Count -eq 1) { $sources[0] } else { 'TokenVariableName' }

# The blob's reader: a storage token from the managed identity endpoint Azure Automation provides.
function Read-TokenBlob {
    param([string] $Uri)

    $target = $null
    if (-not [uri]::TryCreate($Uri, [UriKind]::Absolute, [ref]$target) -or ($target.Scheme -ne 'https' -and -not $target.IsLoopback)) {
        throw "-TokenFileUri must be the https URL of the blob, not '$Uri'."
    }
    if (-not $env:IDENTITY_ENDPOINT -or -not $env:IDENTITY_HEADER) {
        throw 'Reading -TokenFileUri needs the managed identity of an Azure Automation job (IDENTITY_ENDPOINT is not set); on a Hybrid Runbook Worker, use -TokenFilePath.'
    }
    if ($PSVersionTable.PSEdition -ne 'Core') {
        # Windows PowerShell may not offer TLS 1.2, which Azure Storage requires, unless asked.
        [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12
    }
    $query = 'resource=' + [uri]::EscapeDataString('https://storage.azure.com/') + '&api-version=2019-08-01'
    if ($ClientId) { $query += '&client_id=' + [uri]::EscapeDataString($ClientId) }
    $separator = if ($env:IDENTITY_ENDPOINT.Contains('?')) { '&' } else { '?' }
    $identity = Invoke-RestMethod -Uri ($env:IDENTITY_ENDPOINT + $separator + $query) -Headers @{ 'X-IDENTITY-HEADER' = $env:IDENTITY_HEADER } -UseBasicParsing
    $headers = @{ Authorization = 'Bearer ' + $identity.access_token; 'x-ms-version' = '2021-08-06' }
    $content = (Invoke-WebRequest -Uri $target -Headers $headers -UseBasicParsing).Content
    if ($content -is [byte[]]) { $content = [Text.Encoding]::UTF8.GetString($content) }
    $content
}

$work = $null
try {
    switch ($source) {
        'TokenFilePath' {
            $path = $TokenFilePath
            $from = "the file $TokenFilePath"
        }
        default {
            $from = "the Automation variable '$TokenVariableName'"
            if ($source -eq 'TokenFileContent') {
                $content = $TokenFileContent
                $from = '-TokenFileContent'
            }
            elseif ($source -eq 'TokenFileUri') {
                $content = Read-TokenBlob -Uri $TokenFileUri
                $from = "the blob $TokenFileUri"
            }
            elseif (Get-Command -Name Get-AutomationVariable -ErrorAction SilentlyContinue) {
                $content = Get-AutomationVariable -Name $TokenVariableName
            }
            else {
                throw "Get-AutomationVariable exists only in Azure Automation jobs, so $from cannot be read here. Outside Automation, give the file with -TokenFilePath or its content with -TokenFileContent."
            }
            if (-not $content) {
                throw "$from is empty; it must hold the .vpptoken file's content."
            }
            # Read-IntuneVppTokenFile and Set-IntuneVppToken -TokenFile take a file: a private one, removed at the end.
            $work = Join-Path -Path ([IO.Path]::GetTempPath()) -ChildPath ('vpptoken-' + [guid]::NewGuid().ToString('n'))
            # Not subject to -WhatIf: the check and the preview need the file as much as the renewal does.
            $null = New-Item -ItemType Directory -Path $work -WhatIf:$false -Confirm:$false
            $path = Join-Path -Path $work -ChildPath 'new.vpptoken'
            [IO.File]::WriteAllText($path, [string]$content)
        }
    }

    try {
        $file = Read-IntuneVppTokenFile -Path $path
    }
    catch {
        throw "$from is not a usable .vpptoken file: $($_.Exception.Message)"
    }
    if ($file.IsExpired) {
        throw "The token file from $from expired on $($file.ExpirationDateTime.ToUniversalTime().ToString('yyyy-MM-dd')); download a new one from Apple Business Manager or Apple School Manager."
    }

    $connect = @{ Identity = $true; Environment = $Environment }
    if ($ClientId) { $connect['ClientId'] = $ClientId }
    if ($GraphEndpoint) { $connect['GraphEndpoint'] = $GraphEndpoint }
    Connect-IntuneVpp @connect

    if ($TokenId) {
        $current = Get-IntuneVppToken -Id $TokenId
    }
    else {
        $candidates = @(Get-IntuneVppToken | Where-Object { $_.OrganizationName -eq $file.OrganizationName })
        if ($candidates.Count -eq 0) {
            throw "No Intune VPP token belongs to '$($file.OrganizationName)', the organization of the file from $from. Give the token with -TokenId (and -Force if Apple renamed the organization), or add it with New-IntuneVppToken."
        }
        if ($candidates.Count -gt 1) {
            throw "$($candidates.Count) Intune VPP tokens belong to '$($file.OrganizationName)' ($(($candidates | ForEach-Object { $_.Id }) -join ', ')); give the one to renew with -TokenId."
        }
        $current = $candidates[0]
    }

    # Every date in UTC: Apple writes the file's in its own offset (-0700), Intune answers in UTC, and one day apart
    # in the log for the same moment would read as a failed renewal.
    $before = if ($current.ExpirationDateTime) { $current.ExpirationDateTime.ToUniversalTime().ToString('yyyy-MM-dd') } else { 'unknown' }
    $after = $file.ExpirationDateTime.ToUniversalTime().ToString('yyyy-MM-dd')
    if ($current.ExpirationDateTime -and $current.ExpirationDateTime -ge $file.ExpirationDateTime) {
        Write-Output "Nothing to do: the token of $($current.OrganizationName) (id $($current.Id)) already expires on $before; the one from $from expires on $after."
        return
    }

    $renewed = Set-IntuneVppToken -Id $current.Id -TokenFile $path -Force:$Force -PassThru
    if (-not $renewed) {
        # -WhatIf: Set-IntuneVppToken said what it would do and sent nothing.
        return
    }
    $now = if ($renewed.ExpirationDateTime) { $renewed.ExpirationDateTime.ToUniversalTime().ToString('yyyy-MM-dd') } else { 'unknown' }
    Write-Output "Renewed the token of $($renewed.OrganizationName) (id $($renewed.Id)) from ${from}: it now expires on $now instead of $before."

    if ($SyncLicenses) {
        $null = Sync-IntuneVppToken -Id $renewed.Id
        Write-Output 'Started a license sync with Apple.'
    }
}
finally {
    if ($work) { Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue -WhatIf:$false -Confirm:$false }
}
