#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# The module in Windows PowerShell 5.1 (powershell.exe), where it loads its dependencies by path, with no load
# context and no binding redirects. Skipped where there is no powershell.exe (every Linux machine, this project's CI
# among them); the Windows job of .github/workflows/ci.yml runs it. Each scenario is a fresh powershell.exe that
# reports back as JSON; the assertions run here, in pwsh, on that report and on the emulator's request log.

BeforeDiscovery {
    $script:WindowsPowerShell = if ($IsWindows) {
        Get-Command -Name powershell.exe -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    }
    $script:Scenarios = @(
        @{ Scenario = 'VppToken alone'; PreloadOlderAzureCore = $false }
        @{ Scenario = 'VppToken after an older Azure.Core was loaded by path (as an older Az.Accounts does)'; PreloadOlderAzureCore = $true }
    )
}

BeforeAll {
    Import-Module -Name ([IO.Path]::Combine($PSScriptRoot, 'GraphEmulator.psm1')) -Force

    $outPath = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..', 'out'))
    $script:ModulePath = [IO.Path]::Combine($outPath, 'VppToken')
    $script:DependencyPath = [IO.Path]::Combine($ModulePath, 'Dependencies')
    $script:OlderAzureCore = [IO.Path]::Combine($outPath, 'IsolationProbe', 'Azure.Core.dll')

    # Windows PowerShell 5.1 syntax only in here.
    $script:ChildScriptPath = [IO.Path]::Combine($TestDrive, 'Invoke-InWindowsPowerShell.ps1')
    Set-Content -LiteralPath $ChildScriptPath -Encoding UTF8 -Value @'
param([string]$ModulePath, [string]$OlderAzureCore, [string]$Uri, [string]$ResultPath)
$ErrorActionPreference = 'Stop'
$result = [ordered]@{
    Edition   = $PSVersionTable.PSEdition
    Version   = $PSVersionTable.PSVersion.ToString()
    TlsBefore = [string][Net.ServicePointManager]::SecurityProtocol
}
try {
    if ($OlderAzureCore) {
        $older = [Reflection.Assembly]::LoadFrom($OlderAzureCore)
        $result.OlderAzureCore = $older.GetName().Version.ToString()
    }
    Import-Module -Name $ModulePath
    $token = ConvertTo-SecureString -String 'windows-powershell-test' -AsPlainText -Force
    Connect-IntuneVpp -AccessToken $token -GraphEndpoint $Uri
    $tokens = @(Get-IntuneVppToken)
    $result.TokenCount = $tokens.Count
    # The settings are dynamic parameters of a [bool?]/[string] object: they must bind, and $false be sent, on 5.1 too.
    $result.SettingsParameters = @((Get-Command Set-IntuneVppToken).Parameters.Keys | Where-Object { $_ -in 'AutomaticallyUpdateApps', 'CountryOrRegion', 'DisplayName' })
    Set-IntuneVppToken -Id $tokens[0].Id -AutomaticallyUpdateApps $false -CountryOrRegion fr -Confirm:$false
    $result.TlsAfter = [string][Net.ServicePointManager]::SecurityProtocol
    $client = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'VppToken.Client' } | Select-Object -First 1
    $core = $client.GetTypes() | ForEach-Object { $_.BaseType } |
        Where-Object { $_ -and $_.Assembly.GetName().Name -eq 'Azure.Core' } | Select-Object -First 1 | ForEach-Object { $_.Assembly }
    $result.ClientLocation = $client.Location
    $result.ClientAzureCore = $core.GetName().Version.ToString()
    $result.ClientAzureCoreLocation = $core.Location
    Disconnect-IntuneVpp
}
catch {
    $result.Error = "$($_.FullyQualifiedErrorId): $($_.Exception.GetType().FullName): $($_.Exception.Message)"
}
$result | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath $ResultPath -Encoding UTF8
'@

    $script:Emulator = $null
    if ($IsWindows -and (Get-Command -Name powershell.exe -CommandType Application -ErrorAction SilentlyContinue)) {
        $script:Emulator = Start-GraphEmulator
    }

    function Invoke-WindowsPowerShell {
        param([bool]$PreloadOlderAzureCore)
        $resultPath = [IO.Path]::Combine($TestDrive, "windows-powershell-$([guid]::NewGuid()).json")
        $older = if ($PreloadOlderAzureCore) { $OlderAzureCore } else { '' }
        $output = & powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File $ChildScriptPath `
            -ModulePath $ModulePath -OlderAzureCore $older -Uri $Emulator.Uri.AbsoluteUri -ResultPath $resultPath 2>&1
        if (-not (Test-Path -LiteralPath $resultPath)) {
            throw "powershell.exe wrote no result (exit code $LASTEXITCODE): $($output -join [Environment]::NewLine)"
        }
        Get-Content -LiteralPath $resultPath -Raw | ConvertFrom-Json
    }

    function Test-UnderFolder {
        param([string]$Path, [string]$Folder)
        $Path -and [IO.Path]::GetDirectoryName([IO.Path]::GetFullPath($Path)).TrimEnd('\') -eq $Folder.TrimEnd('\')
    }
}

AfterAll {
    if ($Emulator) {
        Stop-GraphEmulator -Emulator $Emulator
    }
}

Describe 'VppToken in Windows PowerShell 5.1' -Skip:(-not $WindowsPowerShell) {
    Context '<Scenario>' -ForEach $Scenarios {
        BeforeAll {
            Clear-GraphEmulatorRequest -Emulator $Emulator
            $script:Result = Invoke-WindowsPowerShell -PreloadOlderAzureCore $PreloadOlderAzureCore
            $script:Requests = @(Get-GraphEmulatorRequest -Emulator $Emulator -Method GET -Path '/v1.0/deviceAppManagement/vppTokens*')
        }

        It 'runs in Windows PowerShell 5.1 and lists the tokens' {
            $Result.PSObject.Properties['Error'] | Should -BeNullOrEmpty
            $Result.Edition | Should -Be 'Desktop'
            $Result.Version | Should -BeLike '5.1.*'
            $Result.TokenCount | Should -BeGreaterThan 0
            $Requests.Count | Should -Be 1
            [string]$Requests[0].headers.'User-Agent' | Should -BeLike 'VppToken/*'
        }

        It 'binds the settings parameters and sends -AutomaticallyUpdateApps $false as false' {
            @($Result.SettingsParameters | Sort-Object) | Should -Be @('AutomaticallyUpdateApps', 'CountryOrRegion', 'DisplayName')
            $patches = @(Get-GraphEmulatorRequest -Emulator $Emulator -Method PATCH -Path '/v1.0/deviceAppManagement/vppTokens/*')
            $patches.Count | Should -Be 1
            $body = $patches[0].body | ConvertFrom-Json -AsHashtable
            @($body.Keys | Sort-Object) | Should -Be @('@odata.type', 'automaticallyUpdateApps', 'countryOrRegion')
            $body.automaticallyUpdateApps | Should -BeExactly $false
            $body.countryOrRegion | Should -BeExactly 'fr'
        }

        It 'binds its client to the Azure.Core in Dependencies' {
            Test-UnderFolder $Result.ClientLocation $DependencyPath | Should -BeTrue
            Test-UnderFolder $Result.ClientAzureCoreLocation $DependencyPath | Should -BeTrue -Because "not $($Result.ClientAzureCoreLocation)"
        }

        It 'has TLS 1.2 enabled after connecting, and keeps what was enabled before' {
            $after = @($Result.TlsAfter -split ',\s*')
            if ($Result.TlsBefore -ne 'SystemDefault') {
                $after | Should -Contain 'Tls12'
                foreach ($protocol in $Result.TlsBefore -split ',\s*') {
                    $after | Should -Contain $protocol
                }
            }
            else {
                $Result.TlsAfter | Should -Be 'SystemDefault'
            }
        }
    }
}
