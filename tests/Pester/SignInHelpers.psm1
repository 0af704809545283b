#Requires -Version 7.0
# Helpers for the sign-in tests: test certificates made at run time, and a child pwsh that imports the built module
# with its own environment (managed identity variables, SSL_CERT_FILE) and hands its results back as JSON.
Set-StrictMode -Version Latest

<#
.SYNOPSIS
Makes a self-signed RSA certificate with its private key, and optionally writes it as .pfx and as PEM.
.PARAMETER DnsName
Subject alternative names; with -IpAddress, a server certificate (serverAuth) the emulator can serve https with.
.PARAMETER PemPath
The public certificate as PEM, for SSL_CERT_FILE.
#>
function New-TestCertificate {
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType([System.Security.Cryptography.X509Certificates.X509Certificate2])]
    param(
        [Parameter(Mandatory)] [string] $Subject,
        [string[]] $DnsName = @(),
        [string[]] $IpAddress = @(),
        [string] $PfxPath,
        [string] $Password,
        [string] $PemPath)

    if (-not $PSCmdlet.ShouldProcess($Subject, 'Create test certificate')) { return }
    $rsa = [System.Security.Cryptography.RSA]::Create(2048)
    $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new(
        "CN=$Subject", $rsa, [System.Security.Cryptography.HashAlgorithmName]::SHA256,
        [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
    if ($DnsName -or $IpAddress) {
        $names = [System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
        $DnsName | ForEach-Object { $names.AddDnsName($_) }
        $IpAddress | ForEach-Object { $names.AddIpAddress([System.Net.IPAddress]::Parse($_)) }
        $request.CertificateExtensions.Add($names.Build())
        $usages = [System.Security.Cryptography.OidCollection]::new()
        $null = $usages.Add([System.Security.Cryptography.Oid]::new('1.3.6.1.5.5.7.3.1')) # serverAuth
        $request.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension]::new($usages, $false))
    }
    $request.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($false, $false, 0, $true))
    $request.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509KeyUsageExtension]::new(
            [System.Security.Cryptography.X509Certificates.X509KeyUsageFlags]'DigitalSignature, KeyEncipherment', $true))
    $certificate = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddMinutes(-5), [DateTimeOffset]::UtcNow.AddDays(1))

    if ($PfxPath) {
        $pfx = $certificate.Export([System.Security.Cryptography.X509Certificates.X509ContentType]::Pkcs12, $Password)
        [IO.File]::WriteAllBytes($PfxPath, $pfx)
    }
    if ($PemPath) {
        Set-Content -LiteralPath $PemPath -Value $certificate.ExportCertificatePem() -Encoding ascii
    }
    $certificate
}

<#
.SYNOPSIS
Starts a script in a fresh `pwsh -NoProfile` that finds the built module first on PSModulePath; Receive-ChildPwsh
waits for it and hands back what the script returned, through JSON.
.DESCRIPTION
Managed identity is always pointed at the emulator (IDENTITY_ENDPOINT, IDENTITY_HEADER), so that nothing can fall
back to the instance metadata address. The script gets one argument, -In (the -InputObject, round-tripped through
JSON), and can call ConvertTo-ErrorSummary on an ErrorRecord. Starting and receiving apart lets a test act while the
child waits (approve a device code sign-in).
.PARAMETER Environment
Extra environment variables for the child (SSL_CERT_FILE, ...). A $null value removes one.
#>
function Start-ChildPwsh {
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)] [scriptblock] $ScriptBlock,
        [hashtable] $InputObject = @{},
        [hashtable] $Environment = @{},
        [string] $IdentityHeader = 'emulator-identity-header')

    $work = Join-Path ([IO.Path]::GetTempPath()) ("vpptoken-child-" + [guid]::NewGuid().ToString('n'))
    if (-not $PSCmdlet.ShouldProcess($work, 'Start child pwsh')) { return }
    $null = New-Item -ItemType Directory -Path $work
    $inputPath = Join-Path $work 'in.json'
    $outputPath = Join-Path $work 'out.json'
    $scriptPath = Join-Path $work 'child.ps1'
    ConvertTo-Json -InputObject $InputObject -Depth 10 | Set-Content -LiteralPath $inputPath -Encoding utf8
    $wrapper = @'
param([string] $InputPath, [string] $OutputPath)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
function ConvertTo-ErrorSummary {
    param([Parameter(Mandatory)] [System.Management.Automation.ErrorRecord] $ErrorRecord)
    [ordered]@{
        ErrorId           = $ErrorRecord.FullyQualifiedErrorId
        Category          = [string]$ErrorRecord.CategoryInfo.Category
        Message           = $ErrorRecord.Exception.Message
        DetailsMessage    = if ($ErrorRecord.ErrorDetails) { $ErrorRecord.ErrorDetails.Message }
        RecommendedAction = if ($ErrorRecord.ErrorDetails) { $ErrorRecord.ErrorDetails.RecommendedAction }
        ExceptionType     = $ErrorRecord.Exception.GetType().FullName
        TargetObject      = if ($null -ne $ErrorRecord.TargetObject) { [string]$ErrorRecord.TargetObject }
    }
}
$In = Get-Content -LiteralPath $InputPath -Raw | ConvertFrom-Json -AsHashtable
$result = & {
'@ + $ScriptBlock.ToString() + @'
} -In $In
ConvertTo-Json -InputObject $result -Depth 10 | Set-Content -LiteralPath $OutputPath -Encoding utf8
'@
    Set-Content -LiteralPath $scriptPath -Value $wrapper -Encoding utf8

    $hostPath = [Environment]::ProcessPath
    $start = [System.Diagnostics.ProcessStartInfo]::new($hostPath)
    # Under `dotnet pwsh` (a .NET local tool) this process is the dotnet host, and pwsh is pwsh.dll in $PSHOME.
    if ([IO.Path]::GetFileNameWithoutExtension($hostPath) -eq 'dotnet') { $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
    foreach ($argument in '-NoProfile', '-NonInteractive', '-File', $scriptPath, '-InputPath', $inputPath, '-OutputPath', $outputPath) {
        $start.ArgumentList.Add($argument)
    }
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.Environment['PSModulePath'] = $env:PSModulePath
    $start.Environment['IDENTITY_ENDPOINT'] = [uri]::new($Emulator.Uri, '/msi/token').AbsoluteUri
    $start.Environment['IDENTITY_HEADER'] = $IdentityHeader
    $start.Environment['NO_COLOR'] = '1'
    foreach ($name in $Environment.Keys) {
        if ($null -eq $Environment[$name]) { $null = $start.Environment.Remove($name) } else { $start.Environment[$name] = [string]$Environment[$name] }
    }

    $process = [System.Diagnostics.Process]::Start($start)
    [pscustomobject]@{
        Process    = $process
        Stdout     = $process.StandardOutput.ReadToEndAsync()
        Stderr     = $process.StandardError.ReadToEndAsync()
        Work       = $work
        OutputPath = $outputPath
    }
}

<#
.SYNOPSIS
Waits for a child from Start-ChildPwsh and returns Result (what its script returned), Stdout and Stderr. If the child
itself breaks (no JSON written) or outlives -TimeoutSeconds, this throws with its output.
#>
function Receive-ChildPwsh {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Child, [int] $TimeoutSeconds = 60)
    $process = $Child.Process
    try {
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill($true)
            throw "The child pwsh did not finish within $TimeoutSeconds s. stdout: $($Child.Stdout.Result) stderr: $($Child.Stderr.Result)"
        }
        $process.WaitForExit()
        if (-not (Test-Path -LiteralPath $Child.OutputPath)) {
            throw "The child pwsh wrote no result (exit code $($process.ExitCode)). stdout: $($Child.Stdout.Result) stderr: $($Child.Stderr.Result)"
        }
        [pscustomobject]@{
            Result = Get-Content -LiteralPath $Child.OutputPath -Raw | ConvertFrom-Json
            Stdout = $Child.Stdout.Result
            Stderr = $Child.Stderr.Result
        }
    }
    finally {
        Remove-Item -LiteralPath $Child.Work -Recurse -Force -ErrorAction SilentlyContinue
    }
}

<#
.SYNOPSIS
Runs a script in a fresh `pwsh -NoProfile` (Start-ChildPwsh, then Receive-ChildPwsh) and returns what it returned.
#>
function Invoke-ChildPwsh {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)] [scriptblock] $ScriptBlock,
        [hashtable] $InputObject = @{},
        [hashtable] $Environment = @{},
        [string] $IdentityHeader = 'emulator-identity-header',
        [int] $TimeoutSeconds = 60)

    $child = Start-ChildPwsh -Emulator $Emulator -ScriptBlock $ScriptBlock -InputObject $InputObject -Environment $Environment -IdentityHeader $IdentityHeader
    (Receive-ChildPwsh -Child $child -TimeoutSeconds $TimeoutSeconds).Result
}

<#
.SYNOPSIS
The bearer token of a logged request, or $null.
#>
function Get-RequestBearer {
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory, ValueFromPipeline)] $Request)
    process {
        $authorization = $Request.headers.PSObject.Properties | Where-Object Name -EQ 'Authorization' | Select-Object -First 1
        if ($authorization -and $authorization.Value -match '^Bearer (?<token>\S+)$') { $Matches.token } else { $null }
    }
}

<#
.SYNOPSIS
A logged request's header value by name (case-insensitive), or $null.
#>
function Get-RequestHeader {
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] $Request, [Parameter(Mandatory)] [string] $Name)
    $header = $Request.headers.PSObject.Properties | Where-Object Name -EQ $Name | Select-Object -First 1
    if ($header) { [string]$header.Value } else { $null }
}

<#
.SYNOPSIS
The claims of a JWT's payload (no signature check), as a PSCustomObject.
#>
function Get-JwtPayload {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Token)
    $payload = $Token.Split('.')[1].Replace('-', '+').Replace('_', '/')
    switch ($payload.Length % 4) { 2 { $payload += '==' } 3 { $payload += '=' } }
    [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($payload)) | ConvertFrom-Json
}

<#
.SYNOPSIS
The query parameters of a logged request's raw target, decoded, as a hashtable.
#>
function Get-RequestQuery {
    [CmdletBinding()]
    [OutputType([hashtable])]
    param([Parameter(Mandatory)] $Request)
    $query = @{}
    $parts = $Request.path -split '\?', 2
    if ($parts.Count -eq 2) {
        foreach ($pair in $parts[1] -split '&') {
            $name, $value = $pair -split '=', 2
            $query[[uri]::UnescapeDataString($name)] = if ($null -ne $value) { [uri]::UnescapeDataString($value) }
        }
    }
    $query
}



<#
.SYNOPSIS
Runs a script block and returns its output and every error it raised, terminating or not, without throwing.
#>
function Invoke-CollectingError {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock)
    $output = [System.Collections.Generic.List[object]]::new()
    $errors = [System.Collections.Generic.List[System.Management.Automation.ErrorRecord]]::new()
    try {
        & $ScriptBlock 2>&1 | ForEach-Object {
            if ($_ -is [System.Management.Automation.ErrorRecord]) { $errors.Add($_) } else { $output.Add($_) }
        }
    }
    catch {
        $errors.Add($_)
    }
    [pscustomobject]@{ Output = $output.ToArray(); Errors = $errors.ToArray() }
}
Export-ModuleMember -Function New-TestCertificate, Start-ChildPwsh, Receive-ChildPwsh, Invoke-ChildPwsh, Invoke-CollectingError, Get-RequestBearer, Get-RequestHeader, Get-JwtPayload, Get-RequestQuery
