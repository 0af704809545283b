# The nupkg, made by Publish-PSResource in a pwsh whose user folders are all throwaway ones.

<#
.SYNOPSIS
The environment of a pwsh whose user folders all lie under HomePath (created here), with PowerShell's own modules only.
#>
function Get-IsolatedEnvironment {
    [CmdletBinding()]
    [OutputType([hashtable])]
    param([Parameter(Mandatory)] [string] $HomePath)

    $environment = [ordered]@{
        HOME            = $HomePath
        USERPROFILE     = $HomePath
        XDG_DATA_HOME   = [IO.Path]::Combine($HomePath, '.local', 'share')
        XDG_CONFIG_HOME = [IO.Path]::Combine($HomePath, '.config')
        XDG_CACHE_HOME  = [IO.Path]::Combine($HomePath, '.cache')
        LOCALAPPDATA    = [IO.Path]::Combine($HomePath, 'AppData', 'Local')
        APPDATA         = [IO.Path]::Combine($HomePath, 'AppData', 'Roaming')
    }
    # .NET reports no folder at all for one that does not exist, and PSResourceGet then writes beside the cwd.
    $null = New-Item -ItemType Directory -Path @($environment.Values) -Force
    $environment['PSModulePath'] = [IO.Path]::Combine($PSHOME, 'Modules')
    $environment['POWERSHELL_TELEMETRY_OPTOUT'] = '1'
    $environment['POWERSHELL_UPDATECHECK'] = 'Off'
    $environment['NO_COLOR'] = '1'
    $environment
}

function Invoke-IsolatedPwsh {
    param([string] $ScriptPath, [string] $HomePath, [string[]] $Argument)

    $hostPath = [Environment]::ProcessPath
    $start = [System.Diagnostics.ProcessStartInfo]::new($hostPath)
    # Under `dotnet pwsh` (a .NET local tool) this process is the dotnet host, and pwsh is pwsh.dll in $PSHOME.
    if ([IO.Path]::GetFileNameWithoutExtension($hostPath) -eq 'dotnet') { $start.ArgumentList.Add([IO.Path]::Combine($PSHOME, 'pwsh.dll')) }
    foreach ($item in @('-NoProfile', '-NonInteractive', '-File', $ScriptPath) + $Argument) { $start.ArgumentList.Add($item) }
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $environment = Get-IsolatedEnvironment -HomePath $HomePath
    foreach ($name in $environment.Keys) { $start.Environment[$name] = $environment[$name] }
    $process = [System.Diagnostics.Process]::Start($start)
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    $process.WaitForExit()
    [pscustomobject]@{ ExitCode = $process.ExitCode; Output = "$($stdout.Result)`n$($stderr.Result)" }
}

<#
.SYNOPSIS
Runs Publish-PSResource in a child pwsh against a temporary local repository and moves the nupkg it wrote to
DestinationFolder; returns its path.
.DESCRIPTION
PSResourceGet keeps its repositories in the user's data folder, and NuGet its settings in the config folder. The child
gets a throwaway home for both; the repository also has a name of its own and is unregistered afterwards, which keeps
the user's repository list as it was on Windows too, where no variable moves the data folder.
#>
function Publish-ModuleNupkg {
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType([string])]
    param([Parameter(Mandatory)] [string] $ModulePath, [Parameter(Mandatory)] [string] $DestinationFolder)

    if (-not $PSCmdlet.ShouldProcess($ModulePath, 'Publish-PSResource to a temporary local repository')) { return }
    $work = [IO.Path]::Combine([IO.Path]::GetTempPath(), 'vpptoken-publish-' + [guid]::NewGuid().ToString('n'))
    $repository = [IO.Path]::Combine($work, 'repository')
    $null = New-Item -ItemType Directory -Path $repository -Force
    try {
        $script = [IO.Path]::Combine($work, 'publish.ps1')
        Set-Content -LiteralPath $script -Encoding utf8 -Value @'
param([string] $ModulePath, [string] $Repository, [string] $Name)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Register-PSResourceRepository -Name $Name -Uri $Repository -Trusted
try {
    Publish-PSResource -Path $ModulePath -Repository $Name
}
finally {
    Unregister-PSResourceRepository -Name $Name
}
'@
        $result = Invoke-IsolatedPwsh -ScriptPath $script -HomePath ([IO.Path]::Combine($work, 'home')) -Argument @(
            '-ModulePath', $ModulePath, '-Repository', $repository, '-Name', ('VppTokenPackage' + [guid]::NewGuid().ToString('n')))
        $nupkg = @(Get-ChildItem -LiteralPath $repository -Filter '*.nupkg' -File)
        if ($result.ExitCode -ne 0 -or $nupkg.Count -ne 1) {
            throw "Publish-PSResource did not make one nupkg (exit code $($result.ExitCode), $($nupkg.Count) written): $($result.Output.Trim())"
        }
        $destination = [IO.Path]::Combine($DestinationFolder, $nupkg[0].Name)
        Move-Item -LiteralPath $nupkg[0].FullName -Destination $destination -Force
        $destination
    }
    finally {
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
    }
}
