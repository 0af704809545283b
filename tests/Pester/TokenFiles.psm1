#Requires -Version 7.0
# Writes Apple .vpptoken files for the tests: one base64 string that decodes to JSON {"token","expDate","orgName"},
# expDate with an offset that has no colon (2014-08-15T18:13:52-0700), as Apple Business Manager writes them; and
# files broken in each way such a file can be broken.
Set-StrictMode -Version Latest

$Invariant = [System.Globalization.CultureInfo]::InvariantCulture

# Each kind, and a wildcard the error message must match so that it names the problem, not only the file.
$TokenFileKinds = [ordered]@{
    Valid             = $null
    Expired           = $null
    WrongOrganization = $null
    NotBase64         = '*base64*'
    NotJson           = '*not JSON*'
    NotObject         = '*not a JSON object*'
    MissingToken      = "*'token'*"
    MissingExpDate    = "*'expDate'*"
    MissingOrgName    = "*'orgName'*"
    EmptyToken        = "*'token'*empty*"
    EmptyExpDate      = "*'expDate'*empty*"
    EmptyOrgName      = "*'orgName'*empty*"
    BadDate           = '*expDate*31-02-2030*'
    EmptyFile         = '*empty*'
}

# The corrupt kinds only: what Read-IntuneVppTokenFile must refuse with InvalidTokenFile.
$CorruptTokenFileKinds = @($TokenFileKinds.Keys | Where-Object { $null -ne $TokenFileKinds[$_] })

<#
.SYNOPSIS
An expiration in Apple's format: yyyy-MM-ddTHH:mm:ss and an offset without colon (-0700).
#>
function ConvertTo-AppleDate {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [DateTimeOffset] $Date)
    $Date.ToString("yyyy-MM-dd'T'HH:mm:ss", $Invariant) + $Date.ToString('zzz', $Invariant).Replace(':', '')
}

<#
.SYNOPSIS
Writes one .vpptoken file of the given kind and describes it.
.PARAMETER Kind
Valid, Expired, WrongOrganization, or a corrupt kind: NotBase64, NotJson (base64 of text that is not JSON), NotObject
(JSON that is not an object), MissingToken, MissingExpDate, MissingOrgName, EmptyToken, EmptyExpDate, EmptyOrgName,
BadDate, EmptyFile.
.PARAMETER OrganizationName
orgName of a Valid or Expired file (WrongOrganization always uses an organization no seeded token has).
.PARAMETER ExpiresIn
When a Valid or WrongOrganization file expires, from now (Expired: 5 days ago). Written in offset -07:00, as Apple does.
.PARAMETER Directory
Where to write; TestDrive: by default.
.PARAMETER Name
The file name; <Kind>.vpptoken by default.
.OUTPUTS
[pscustomobject] Path, Kind, Content (the whole file text), OrganizationName, ExpDate (as written), Expiration
([DateTimeOffset], whole seconds), Problem (wildcard for the error message of a corrupt kind, else $null).
#>
function New-TestTokenFile {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [ValidateScript({ $TokenFileKinds.Contains($_) })] [string] $Kind,
        [string] $OrganizationName = 'Contoso Ltd.',
        [TimeSpan] $ExpiresIn = [TimeSpan]::FromDays(365),
        [string] $Directory,
        [string] $Name
    )

    if (-not $Directory) { $Directory = (Get-PSDrive TestDrive -ErrorAction Stop).Root }
    if (-not $Name) { $Name = "$Kind.vpptoken" }
    $null = New-Item -ItemType Directory -Path $Directory -Force

    $organization = if ($Kind -eq 'WrongOrganization') { 'Wrong Organization Inc.' } else { $OrganizationName }
    $wholeSeconds = [DateTimeOffset]::FromUnixTimeSeconds([DateTimeOffset]::UtcNow.ToUnixTimeSeconds())
    $expiration = $wholeSeconds.Add($(if ($Kind -eq 'Expired') { [TimeSpan]::FromDays(-5) } else { $ExpiresIn })).ToOffset([TimeSpan]::FromHours(-7))
    $fields = [ordered]@{
        token   = 'pester-apple-' + [Convert]::ToBase64String([guid]::NewGuid().ToByteArray()) # '+', '/' and '=' as Apple's have
        expDate = ConvertTo-AppleDate $expiration
        orgName = $organization
    }

    switch ($Kind) {
        'MissingToken' { $fields.Remove('token') }
        'MissingExpDate' { $fields.Remove('expDate') }
        'MissingOrgName' { $fields.Remove('orgName') }
        'EmptyToken' { $fields.token = '' }
        'EmptyExpDate' { $fields.expDate = '' }
        'EmptyOrgName' { $fields.orgName = '' }
        'BadDate' { $fields.expDate = '31-02-2030 25:61' }
    }

    $json = switch ($Kind) {
        'NotJson' { 'token=abc; expDate=2030-01-01; orgName=Contoso' }
        'NotObject' { ConvertTo-Json -InputObject @($fields.token, $fields.expDate, $fields.orgName) -Compress }
        default { ConvertTo-Json -InputObject $fields -Compress }
    }

    $content = switch ($Kind) {
        'NotBase64' { 'this is not base64 at all: {"orgName":"Contoso Ltd."}' }
        'EmptyFile' { '' }
        default { [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($json)) }
    }

    $path = Join-Path $Directory $Name
    [System.IO.File]::WriteAllText($path, $content, [System.Text.UTF8Encoding]::new($false))

    [pscustomobject]@{
        Path             = $path
        Kind             = $Kind
        Content          = $content
        OrganizationName = $organization
        ExpDate          = if ($fields.Contains('expDate')) { $fields.expDate }
        Expiration       = $expiration
        Problem          = $TokenFileKinds[$Kind]
    }
}

<#
.SYNOPSIS
The plain text of a SecureString, to compare what the module holds with what the file says.
#>
function ConvertFrom-TestSecureString {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [securestring] $SecureString)
    [System.Net.NetworkCredential]::new('', $SecureString).Password
}

Export-ModuleMember -Function New-TestTokenFile, ConvertTo-AppleDate, ConvertFrom-TestSecureString -Variable TokenFileKinds, CorruptTokenFileKinds
