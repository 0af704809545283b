#Requires -Version 7.0
# The session surface of Microsoft.Graph.Authentication v2, as VppToken sees it: Connect-MgGraph -AccessToken,
# Get-MgContext, Get-MgEnvironment / Add-MgEnvironment, and Invoke-MgGraphRequest -OutputType HttpResponseMessage,
# which sends a real request with the session's bearer token and hands back the real HttpResponseMessage.
Set-StrictMode -Version Latest

$script:Environments = [ordered]@{}
foreach ($builtIn in @(
        @{ Name = 'Global'; AzureADEndpoint = 'https://login.microsoftonline.com'; GraphEndpoint = 'https://graph.microsoft.com' }
        @{ Name = 'China'; AzureADEndpoint = 'https://login.chinacloudapi.cn'; GraphEndpoint = 'https://microsoftgraph.chinacloudapi.cn' }
        @{ Name = 'USGov'; AzureADEndpoint = 'https://login.microsoftonline.us'; GraphEndpoint = 'https://graph.microsoft.us' }
        @{ Name = 'USGovDoD'; AzureADEndpoint = 'https://login.microsoftonline.us'; GraphEndpoint = 'https://dod-graph.microsoft.us' })) {
    $script:Environments[$builtIn.Name] = [pscustomobject]@{
        PSTypeName = 'Microsoft.Graph.PowerShell.Authentication.GraphEnvironment'
        Name = $builtIn.Name; AzureADEndpoint = $builtIn.AzureADEndpoint; GraphEndpoint = $builtIn.GraphEndpoint; Type = 'Built-in'
    }
}

$script:Context = $null
$script:Token = $null
$script:Http = [System.Net.Http.HttpClient]::new()
$script:UserAgent = "Mozilla/5.0 PowerShell/$($PSVersionTable.PSVersion) Invoke-MgGraphRequest Microsoft.Graph.Authentication-StandIn/2.99.0"

function Read-JwtClaim {
    param([string] $Token)
    $parts = $Token.Split('.')
    if ($parts.Count -ne 3) { return $null }
    $payload = $parts[1].Replace('-', '+').Replace('_', '/')
    switch ($payload.Length % 4) { 2 { $payload += '==' } 3 { $payload += '=' } }
    try { [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($payload)) | ConvertFrom-Json } catch { $null }
}

function Connect-MgGraph {
    [CmdletBinding(DefaultParameterSetName = 'AccessTokenParameterSet')]
    [Alias('Connect-Graph')]
    param(
        [Parameter(Mandatory, ParameterSetName = 'AccessTokenParameterSet')]
        [securestring] $AccessToken,
        [string] $Environment = 'Global',
        [switch] $NoWelcome)

    if (-not $script:Environments.Contains($Environment)) {
        throw "Unable to find environment with name '$Environment'. Use Get-MgEnvironment to list available environments."
    }
    $token = [System.Net.NetworkCredential]::new('', $AccessToken).Password
    $claims = Read-JwtClaim $token
    $scopes = @()
    if ($claims) {
        if ($claims.PSObject.Properties['scp']) { $scopes += $claims.scp -split ' ' }
        if ($claims.PSObject.Properties['roles']) { $scopes += @($claims.roles) }
    }
    $script:Token = $token
    $script:Context = [pscustomobject]@{
        PSTypeName             = 'Microsoft.Graph.PowerShell.Authentication.AuthContext'
        ClientId               = if ($claims -and $claims.PSObject.Properties['appid']) { $claims.appid }
        TenantId               = if ($claims -and $claims.PSObject.Properties['tid']) { $claims.tid }
        Scopes                 = [string[]]$scopes
        AuthType               = 'UserProvidedAccessToken'
        TokenCredentialType    = 'UserProvidedAccessToken'
        CertificateThumbprint  = $null
        CertificateSubjectName = $null
        SendCertificateChain   = $false
        Account                = $null
        AppName                = $null
        ContextScope           = 'Process'
        Certificate            = $null
        PSHostVersion          = $PSVersionTable.PSVersion
        ManagedIdentityId      = $null
        ClientSecret           = $null
        Environment            = $Environment
    }
    if (-not $NoWelcome) { Write-Information 'Welcome to Microsoft Graph! (stand-in)' }
}

function Disconnect-MgGraph {
    [CmdletBinding()]
    [Alias('Disconnect-Graph')]
    param()
    if ($null -eq $script:Context) { throw 'No application to sign out from.' }
    $context = $script:Context
    $script:Context = $null
    $script:Token = $null
    $context
}

function Get-MgContext {
    [CmdletBinding()]
    param()
    $script:Context
}

function Get-MgEnvironment {
    [CmdletBinding()]
    param([string] $Name)
    if ($Name) { if ($script:Environments.Contains($Name)) { $script:Environments[$Name] } }
    else { $script:Environments.Values }
}

function Add-MgEnvironment {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [string] $AzureADEndpoint,
        [Parameter(Mandatory)] [string] $GraphEndpoint)
    $script:Environments[$Name] = [pscustomobject]@{
        PSTypeName = 'Microsoft.Graph.PowerShell.Authentication.GraphEnvironment'
        Name = $Name; AzureADEndpoint = $AzureADEndpoint.TrimEnd('/'); GraphEndpoint = $GraphEndpoint.TrimEnd('/'); Type = 'User-defined'
    }
    $script:Environments[$Name]
}

function Invoke-MgGraphRequest {
    [CmdletBinding()]
    [Alias('Invoke-GraphRequest')]
    param(
        [ValidateSet('GET', 'POST', 'PUT', 'PATCH', 'DELETE')] [string] $Method = 'GET',
        [Parameter(Mandatory, Position = 0)] [uri] $Uri,
        [object] $Body,
        [hashtable] $Headers = @{},
        [ValidateSet('HashTable', 'PSObject', 'HttpResponseMessage', 'Json')] [string] $OutputType = 'HashTable')

    if ($null -eq $script:Context) { throw 'Authentication needed. Please call Connect-MgGraph.' }
    $target = if ($Uri.IsAbsoluteUri) { $Uri } else {
        [uri]::new($script:Environments[$script:Context.Environment].GraphEndpoint.TrimEnd('/') + '/' + $Uri.OriginalString.TrimStart('/'))
    }
    $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::new($Method), $target)
    $request.Headers.Authorization = [System.Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', $script:Token)
    $null = $request.Headers.TryAddWithoutValidation('User-Agent', $script:UserAgent)
    foreach ($name in $Headers.Keys) { $null = $request.Headers.TryAddWithoutValidation($name, [string]$Headers[$name]) }
    if ($null -ne $Body) {
        $text = if ($Body -is [string]) { $Body } else { ConvertTo-Json -InputObject $Body -Depth 20 }
        $request.Content = [System.Net.Http.StringContent]::new($text, [Text.Encoding]::UTF8, 'application/json')
    }

    $response = $script:Http.SendAsync($request).GetAwaiter().GetResult()
    if ($OutputType -eq 'HttpResponseMessage') { return $response }
    try {
        $content = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
        if (-not $response.IsSuccessStatusCode) {
            throw "$([int]$response.StatusCode) $($response.ReasonPhrase): $content"
        }
        switch ($OutputType) {
            'Json' { $content }
            'PSObject' { if ($content) { $content | ConvertFrom-Json } }
            default { if ($content) { $content | ConvertFrom-Json -AsHashtable } }
        }
    }
    finally {
        $response.Dispose()
    }
}

Export-ModuleMember -Function Connect-MgGraph, Disconnect-MgGraph, Get-MgContext, Get-MgEnvironment, Add-MgEnvironment, Invoke-MgGraphRequest -Alias Connect-Graph, Disconnect-Graph, Invoke-GraphRequest
