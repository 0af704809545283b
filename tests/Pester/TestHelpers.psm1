#Requires -Version 7.0
# What the Pester files share: the one setup most of them open with (the built module, the emulator, a connection)
# and its teardown, and small helpers for reading what reached the wire (request bodies, raw queries) and what the
# emulator holds, without PowerShell's own JSON conversion turning date strings into DateTime values.
Set-StrictMode -Version Latest

# The opaque access token the shared setup connects with; the emulator maps it to $DefaultTenantId.
$TestAccessTokenText = 'pester-token'

# What Start-VppTokenTest started, for Stop-VppTokenTest to end.
$script:StartedEmulators = [System.Collections.Generic.List[object]]::new()

# The first tenant in tests/GraphEmulator/seed.json: the one an opaque access token such as 'pester-token' reaches.
$DefaultTenantId = '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f'

# Its four seeded tokens, by organization.
$SeedTokenId = @{
    Contoso  = '0f5d8d4b-3c1e-4b7a-a2d4-6e9f1b2c3d4e'
    Fabrikam = '7a2b9c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d'
    Retail   = 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f'
    Labs     = 'e9f8a7b6-c5d4-4e3f-9a2b-1c0d9e8f7a6b'
}

<#
.SYNOPSIS
The top-level properties of a JSON object text, in order: Name, Kind (String, True, False, Number, Null, ...) and
Value (strings decoded, anything else as its raw JSON text).
#>
function Get-WireJsonProperty {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Json)
    $document = [System.Text.Json.JsonDocument]::Parse($Json)
    try {
        foreach ($property in $document.RootElement.EnumerateObject()) {
            $value = if ($property.Value.ValueKind -eq [System.Text.Json.JsonValueKind]::String) {
                $property.Value.GetString()
            }
            else {
                $property.Value.GetRawText()
            }
            [pscustomobject]@{ Name = $property.Name; Kind = [string]$property.Value.ValueKind; Value = $value }
        }
    }
    finally {
        $document.Dispose()
    }
}

<#
.SYNOPSIS
The same, one line per property ("name Kind value"), for comparing whole bodies with Should -Be.
#>
function Format-WireJson {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Json)
    Get-WireJsonProperty -Json $Json | ForEach-Object { '{0} {1} {2}' -f $_.Name, $_.Kind, $_.Value }
}

<#
.SYNOPSIS
The query parameters of a raw request target as the emulator logged it: Name, RawValue (as sent) and Value (decoded).
#>
function Get-RawQueryParameter {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Path)
    $parts = $Path -split '\?', 2
    if ($parts.Count -lt 2 -or $parts[1] -eq '') { return }
    foreach ($pair in $parts[1] -split '&') {
        $name, $value = $pair -split '=', 2
        [pscustomobject]@{ Name = $name; RawValue = $value; Value = if ($null -ne $value) { [uri]::UnescapeDataString($value) } }
    }
}

<#
.SYNOPSIS
A tenant's tokens as the emulator stores them, dates left as the strings it holds.
#>
function Get-StoredVppToken {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator, [string] $TenantId = $DefaultTenantId)
    $answer = Invoke-WebRequest -Uri ([uri]::new($Emulator.Uri, "/_emulator/tenants/$TenantId/vppTokens")) -UseBasicParsing
    $answer.Content | ConvertFrom-Json -DateKind String
}

<#
.SYNOPSIS
Everything a pipeline wrote to any stream, as text: objects, errors (message and details), warnings, verbose,
debug and information records.
#>
function ConvertTo-StreamText {
    [CmdletBinding()]
    param([Parameter(ValueFromPipeline)] [AllowNull()] $InputObject)
    process {
        if ($null -eq $InputObject) { return }
        if ($InputObject -is [System.Management.Automation.ErrorRecord]) {
            $InputObject.ToString()
            $InputObject.Exception.ToString()
            if ($InputObject.ErrorDetails) { $InputObject.ErrorDetails.Message; $InputObject.ErrorDetails.RecommendedAction }
        }
        elseif ($InputObject -is [System.Management.Automation.InformationalRecord]) {
            $InputObject.Message
        }
        else {
            $InputObject | Format-List * -Force | Out-String -Width 4096
        }
    }
}

function Select-ErrorRecord {
    <#
    .SYNOPSIS
    The error records of a call: non-terminating ones from -ErrorVariable plus a terminating one that was caught.
    -ErrorVariable also holds the bare exception of a terminating error, which is dropped here.
    #>
    param($ErrorVariable, $Caught)

    # The comma keeps a one-item result an array, so .Count works under strict mode.
    , @(@($ErrorVariable) + @($Caught) | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
}

<#
.SYNOPSIS
An error as the console shows it: the message, then the recommendation, which PowerShell 7.5 and later show on a
line of their own (earlier versions have it in the message).
#>
function Get-ErrorText {
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [System.Management.Automation.ErrorRecord] $Record)
    $recommendation = if ($Record.ErrorDetails) { $Record.ErrorDetails.RecommendedAction }
    if ($recommendation) { "$Record`n$recommendation" } else { "$Record" }
}

<#
.SYNOPSIS
A test file's shared setup, for its BeforeAll: imports the built VppToken, the emulator's helpers and the helper
modules named by -Helper into the session, starts an emulator and returns it; -Connect also connects to it with
$TestAccessTokenText (v1.0, or -ApiVersion).
#>
function Start-VppTokenTest {
    [CmdletBinding()]
    param(
        [switch] $Connect,
        [string] $ApiVersion,
        # Other helper modules of tests/Pester the file uses: TokenFiles, SignInHelpers.
        [ValidateSet('TokenFiles', 'SignInHelpers')] [string[]] $Helper = @(),
        # Passed on to Start-GraphEmulator (-Seed, -HttpsCertificatePath, -HttpsCertificatePassword).
        [hashtable] $EmulatorParameter = @{}
    )

    # -Global: from inside this module a plain import would land in its own scope, out of the test file's sight.
    foreach ($name in @('GraphEmulator') + $Helper) {
        Import-Module -Name ([IO.Path]::Combine($PSScriptRoot, "$name.psm1")) -Force -Global -ErrorAction Stop
    }
    # By name: tools/Invoke-PesterTests.ps1 puts out/ first on PSModulePath, so this is the module the build made.
    Import-Module -Name VppToken -Force -Global -ErrorAction Stop

    $emulator = Start-GraphEmulator @EmulatorParameter
    $script:StartedEmulators.Add($emulator)
    if ($Connect) {
        $version = if ($ApiVersion) { @{ ApiVersion = $ApiVersion } } else { @{} }
        Connect-IntuneVpp -AccessToken (ConvertTo-SecureString $TestAccessTokenText -AsPlainText -Force) `
            -GraphEndpoint $emulator.Uri @version -ErrorAction Stop
    }
    $emulator
}

<#
.SYNOPSIS
The shared teardown, for AfterAll: drops the runspace's default connection and stops the emulators
Start-VppTokenTest started. Safe to call when the setup failed halfway.
#>
function Stop-VppTokenTest {
    [CmdletBinding()]
    param()

    if (Get-Command -Name Disconnect-IntuneVpp -ErrorAction SilentlyContinue) {
        Disconnect-IntuneVpp -ErrorAction SilentlyContinue
    }
    foreach ($emulator in $script:StartedEmulators) {
        Stop-GraphEmulator -Emulator $emulator
    }
    $script:StartedEmulators.Clear()
}

function Invoke-WithWhatIf {
    <#
    .SYNOPSIS
    Runs a -WhatIf call and returns what it wrote: its output, its error records (non-terminating ones included) and
    the "What if:" lines it showed, which go to the host and so are read back from a transcript.
    #>
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock, [Parameter(Mandatory)] [string] $TranscriptPath)

    $null = Start-Transcript -LiteralPath $TranscriptPath
    try { $written = @(& $ScriptBlock 2>&1) }
    finally { $null = Stop-Transcript }
    [pscustomobject]@{
        Output = @($written | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
        Errors = @($written | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        WhatIf = @(Get-Content -LiteralPath $TranscriptPath | Where-Object { $_ -like 'What if:*' })
    }
}

function Connect-EmulatorTenant {
    <#
    .SYNOPSIS
    A connection (-PassThru) to one tenant of the emulator, with a JWT of that tenant carrying the given app roles:
    what the multi-tenant tests give -Connection.
    #>
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)] [string] $TenantId,
        [Parameter(Mandatory)] [string[]] $Role,
        [string] $ApiVersion = 'beta'
    )

    $jwt = New-GraphEmulatorAccessToken $Emulator -TenantId $TenantId -Role $Role
    Connect-IntuneVpp -AccessToken (ConvertTo-SecureString $jwt -AsPlainText -Force) -GraphEndpoint $Emulator.Uri -ApiVersion $ApiVersion -PassThru
}

Export-ModuleMember -Function Start-VppTokenTest, Connect-EmulatorTenant, Stop-VppTokenTest, Get-WireJsonProperty, Format-WireJson, Get-RawQueryParameter, Get-StoredVppToken, ConvertTo-StreamText, Select-ErrorRecord, Get-ErrorText, Invoke-WithWhatIf `
    -Variable DefaultTenantId, SeedTokenId, TestAccessTokenText
