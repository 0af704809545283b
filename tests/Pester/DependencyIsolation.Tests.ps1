#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# VppToken must load and work beside modules that bring their own Azure.Identity / Azure.Core / MSAL into the
# default load context (Az.Accounts, Microsoft.Graph.Authentication, ExchangeOnlineManagement). IsolationProbe
# (tests/IsolationProbe, built to out/IsolationProbe) is such a module, on Azure.Identity 1.11.4 / Azure.Core 1.38.
# Which assemblies a process has loaded cannot be undone, so every scenario runs in a fresh pwsh and hands its
# findings back as JSON; the assertions then run here, on those findings and on the emulator's request log.
# PowerShell 7 only: Windows PowerShell 5.1 has no load contexts, and its by-path path is not exercised here.

BeforeDiscovery {
    $script:IsCore = $PSVersionTable.PSEdition -eq 'Core'

    $script:OrderCases = @(
        @{ Scenario = 'IsolationProbe first, then VppToken'; Steps = @('Probe', 'VppToken') }
        @{ Scenario = 'VppToken first, then IsolationProbe'; Steps = @('VppToken', 'Probe') }
    )
}

BeforeAll {
    Import-Module -Name ([IO.Path]::Combine($PSScriptRoot, 'GraphEmulator.psm1')) -Force

    $outPath = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..', 'out'))
    $script:DependencyPath = [IO.Path]::Combine($outPath, 'VppToken', 'Dependencies')
    $script:ProbePath = [IO.Path]::Combine($outPath, 'IsolationProbe')
    $script:OurAzureCoreVersion = [Reflection.AssemblyName]::GetAssemblyName(
        [IO.Path]::Combine($DependencyPath, 'Azure.Core.dll')).Version.ToString()
    $script:ProbeAzureCoreVersion = [Reflection.AssemblyName]::GetAssemblyName(
        [IO.Path]::Combine($ProbePath, 'Azure.Core.dll')).Version.ToString()

    # Under `dotnet pwsh` (the build's local tool) this process is the dotnet host running pwsh.dll.
    $script:PwshPath = [Environment]::ProcessPath
    $script:PwshArguments = @(
        if ([IO.Path]::GetFileNameWithoutExtension($PwshPath) -eq 'dotnet') {
            [IO.Path]::Combine($PSHOME, 'pwsh.dll')
        }
    )

    # The child: runs the given steps in order, each recorded with its outcome, then describes the load contexts
    # and the AssemblyResolve handlers, and writes it all to ResultPath. It never throws: a failed step is a finding.
    $script:ChildScriptPath = [IO.Path]::Combine($TestDrive, 'Invoke-IsolationScenario.ps1')
    Set-Content -LiteralPath $ChildScriptPath -Encoding utf8 -Value @'
param([string[]]$Steps, [string]$Uri, [string]$DependencyPath, [string]$ResultPath)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
# pwsh -File passes every argument as one string.
$Steps = $Steps -split ','

function Get-ResolveHandler {
    # AppDomain.AssemblyResolve is stored on AssemblyLoadContext in .NET (Core).
    $field = [System.Runtime.Loader.AssemblyLoadContext].GetField('AssemblyResolve', [Reflection.BindingFlags]'NonPublic, Static')
    $handlers = $field.GetValue($null)
    @(if ($handlers) { $handlers.GetInvocationList() | Where-Object { $_.Method.DeclaringType.FullName -eq 'IntuneVpp.Module.DependencyResolver' } })
}

function Get-AssemblyInfo {
    param([Reflection.Assembly[]]$Assembly)
    foreach ($item in $Assembly) {
        [ordered]@{ Name = $item.GetName().Name; Version = $item.GetName().Version.ToString(); Location = $item.Location }
    }
}

function Get-VppTokenClientAzureCore {
    # The Azure.Core our client really bound to: the assembly of an Azure.Core base type of one of its classes.
    $client = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'VppToken.Client' } | Select-Object -First 1
    $client.GetTypes() | ForEach-Object BaseType | Where-Object { $_ -and $_.Assembly.GetName().Name -eq 'Azure.Core' } |
        Select-Object -First 1 | ForEach-Object { $_.Assembly }
}

$stepResults = [System.Collections.Generic.List[object]]::new()
foreach ($step in $Steps) {
    $result = [ordered]@{ Step = $step; Succeeded = $false; Error = $null; HandlerCount = 0 }
    try {
        switch ($step) {
            'Probe' {
                Import-Module -Name IsolationProbe
                $probe = Invoke-ProbeRequest -Uri $Uri
                $result.StatusCode = $probe.StatusCode
                $result.AzureCoreVersion = $probe.AzureCoreVersion
                $result.AzureCoreLocation = $probe.AzureCoreLocation
            }
            'PreloadSameAzureCore' {
                # Another module shipping our very Azure.Core version: the default context answers any request for
                # that version with this copy unless our load context already has its own.
                $copy = [IO.Path]::Combine([IO.Path]::GetTempPath(), "other-module-$PID")
                $null = New-Item -Path $copy -ItemType Directory -Force
                Copy-Item -LiteralPath ([IO.Path]::Combine($DependencyPath, 'Azure.Core.dll')) -Destination $copy
                $loaded = [Reflection.Assembly]::LoadFrom([IO.Path]::Combine($copy, 'Azure.Core.dll'))
                $result.AzureCoreVersion = $loaded.GetName().Version.ToString()
                $result.AzureCoreLocation = $loaded.Location
            }
            'VppToken' {
                if (-not (Get-Module -Name VppToken)) {
                    Import-Module -Name VppToken
                }
                $token = ConvertTo-SecureString -String 'isolation-test' -AsPlainText -Force
                Connect-IntuneVpp -AccessToken $token -GraphEndpoint $Uri
                $result.TokenCount = @(Get-IntuneVppToken).Count
                $core = Get-VppTokenClientAzureCore
                $result.AzureCoreVersion = $core.GetName().Version.ToString()
                $result.AzureCoreLocation = $core.Location
                Disconnect-IntuneVpp
            }
            'PublicSurface' {
                # Every type a user meets: cmdlet base classes, parameter types, output types and their properties.
                $module = Import-Module -Name VppToken -PassThru
                $seen = [System.Collections.Generic.HashSet[type]]::new()
                $expand = {
                    param([type]$Type)
                    if ($Type -and $seen.Add($Type)) {
                        if ($Type.HasElementType) { & $expand $Type.GetElementType() }
                        foreach ($argument in $Type.GenericTypeArguments) { & $expand $argument }
                    }
                }
                foreach ($command in $module.ExportedCmdlets.Values) {
                    for ($base = $command.ImplementingType; $base; $base = $base.BaseType) { & $expand $base }
                    foreach ($parameter in $command.Parameters.Values) { & $expand $parameter.ParameterType }
                    foreach ($output in $command.OutputType) {
                        if ($output.Type) {
                            & $expand $output.Type
                            foreach ($property in $output.Type.GetProperties()) { & $expand $property.PropertyType }
                        }
                    }
                }
                $result.TypeCount = $seen.Count
                $result.AzureTypes = @($seen | Where-Object { $_.Assembly.GetName().Name -match '^(Azure\.|Microsoft\.Identity)' } |
                        ForEach-Object FullName)
            }
            'RemoveVppToken' { Remove-Module -Name VppToken }
            'ImportVppTokenForce' { Import-Module -Name VppToken -Force }
            'AskHandler' {
                # The handler itself, asked directly with the module as the requester.
                $handler = @(Get-ResolveHandler)[0]
                $self = (Get-Module -Name VppToken).ImplementingAssembly
                $probeAssembly = (Get-Module -Name IsolationProbe).ImplementingAssembly
                $ask = { param($name, $requester) $handler.Invoke($null, [ResolveEventArgs]::new($name, $requester)) }
                $result.NotInFolder = $null -eq (& $ask 'Not.In.Dependencies, Version=1.0.0.0' $self)
                $result.ForeignRequester = $null -eq (& $ask 'Azure.Core, Version=1.50.0.0, Culture=neutral, PublicKeyToken=92742159e12e44c8' $probeAssembly)
                $ours = & $ask 'Azure.Identity, Version=1.0.0.0, Culture=neutral, PublicKeyToken=92742159e12e44c8' $self
                $result.OwnRequesterLocation = if ($ours) { $ours.Location }
            }
            default { throw "Unknown step '$step'." }
        }
        $result.Succeeded = $true
    }
    catch {
        $result.Error = "$($_.Exception.GetType().FullName): $($_.Exception.Message)"
    }
    $result.HandlerCount = @(Get-ResolveHandler).Count
    $stepResults.Add($result)
}

$contexts = foreach ($context in [System.Runtime.Loader.AssemblyLoadContext]::All) {
    [ordered]@{
        Name       = $context.Name
        IsDefault  = [object]::ReferenceEquals($context, [System.Runtime.Loader.AssemblyLoadContext]::Default)
        Assemblies = @(Get-AssemblyInfo ($context.Assemblies | Where-Object { $_.GetName().Name -match '^(Azure\.|Microsoft\.Identity|VppToken|IsolationProbe|System\.ClientModel|System\.Memory\.Data)' }))
    }
}

[ordered]@{ Steps = $stepResults; Contexts = @($contexts) } | ConvertTo-Json -Depth 6 |
    Set-Content -LiteralPath $ResultPath -Encoding utf8
'@

    $script:ScenarioNumber = 0

    function Invoke-IsolationScenario {
        param([string[]]$Steps)

        $script:ScenarioNumber++
        $resultPath = [IO.Path]::Combine($TestDrive, "scenario-$ScenarioNumber.json")
        $arguments = @($PwshArguments) + @(
            '-NoProfile', '-NonInteractive', '-File', $ChildScriptPath,
            '-Steps', ($Steps -join ','), '-Uri', $Emulator.Uri.AbsoluteUri,
            '-DependencyPath', $DependencyPath, '-ResultPath', $resultPath)
        $output = & $PwshPath @arguments 2>&1
        if (-not (Test-Path -LiteralPath $resultPath)) {
            throw "The child pwsh wrote no result (exit code $LASTEXITCODE): $($output -join [Environment]::NewLine)"
        }
        Get-Content -LiteralPath $resultPath -Raw | ConvertFrom-Json
    }

    function Get-Step {
        param($Result, [string]$Name)
        @($Result.Steps | Where-Object Step -eq $Name)
    }

    function Get-DefaultContextAssembly {
        param($Result)
        @($Result.Contexts | Where-Object IsDefault | ForEach-Object { $_.Assemblies })
    }

    function Get-VppTokenContextAssembly {
        param($Result)
        @($Result.Contexts | Where-Object { -not $_.IsDefault -and ($_.Assemblies.Name -contains 'VppToken.Client') } |
                ForEach-Object { $_.Assemblies })
    }

    function Test-UnderFolder {
        param([string]$Path, [string]$Folder)
        $Path -and [IO.Path]::GetDirectoryName([IO.Path]::GetFullPath($Path)).TrimEnd([IO.Path]::DirectorySeparatorChar) -eq
            $Folder.TrimEnd([IO.Path]::DirectorySeparatorChar)
    }

    function Get-Header {
        param($Request, [string]$Name)
        $property = $Request.headers.PSObject.Properties[$Name]
        if ($property) { [string]$property.Value }
    }

    $script:Emulator = Start-GraphEmulator
}

AfterAll {
    Stop-GraphEmulator -Emulator $Emulator
}

Describe 'VppToken beside a module with an older Azure.Identity and Azure.Core' -Skip:(-not $IsCore) {
    # -ForEach on the Context is -TestCases for the whole block: one child process per order, several assertions.
    Context '<Scenario>' -ForEach $OrderCases {
        BeforeAll {
            Clear-GraphEmulatorRequest -Emulator $Emulator
            $script:Result = Invoke-IsolationScenario -Steps $Steps
            $script:Probe = Get-Step $Result 'Probe'
            $script:Vpp = Get-Step $Result 'VppToken'
            $script:Requests = @(Get-GraphEmulatorRequest -Emulator $Emulator -Method GET -Path '/v1.0/deviceAppManagement/vppTokens*')
        }

        It 'runs both modules' {
            foreach ($step in $Result.Steps) {
                $step.Error | Should -BeNullOrEmpty -Because "step $($step.Step) must succeed"
            }
            $Probe.StatusCode | Should -Be 200
            $Vpp.TokenCount | Should -BeGreaterThan 0
        }

        It 'runs each module on its own Azure.Core' {
            $ProbeAzureCoreVersion | Should -Not -Be $OurAzureCoreVersion -Because 'the probe must be built on another Azure.Core'
            $Probe.AzureCoreVersion | Should -Be $ProbeAzureCoreVersion
            Test-UnderFolder $Probe.AzureCoreLocation $ProbePath | Should -BeTrue -Because "the probe loads its own copy, not $($Probe.AzureCoreLocation)"
            $Vpp.AzureCoreVersion | Should -Be $OurAzureCoreVersion
            Test-UnderFolder $Vpp.AzureCoreLocation $DependencyPath | Should -BeTrue -Because "VppToken binds its own copy, not $($Vpp.AzureCoreLocation)"
        }

        It 'puts both modules'' requests on the wire, in the order they ran' {
            $senders = @($Requests | ForEach-Object {
                    if (Get-Header $_ 'X-Isolation-Probe') { 'Probe' }
                    elseif ((Get-Header $_ 'User-Agent') -like 'VppToken/*') { 'VppToken' }
                } | Select-Object -Unique)
            $senders | Should -Be $Steps
            $probeHeader = $Requests | ForEach-Object { Get-Header $_ 'X-Isolation-Probe' } | Where-Object { $_ } | Select-Object -First 1
            $probeHeader | Should -BeLike "Azure.Core/$ProbeAzureCoreVersion *"
        }

        It 'keeps our Azure.* and Microsoft.Identity.* out of the default load context' {
            $default = Get-DefaultContextAssembly $Result
            @($default | Where-Object { Test-UnderFolder $_.Location $DependencyPath }) | Should -BeNullOrEmpty
            @($default | Where-Object { $_.Name -match '^(Azure\.|Microsoft\.Identity)' -and -not (Test-UnderFolder $_.Location $ProbePath) }) |
                Should -BeNullOrEmpty -Because 'the only Azure and MSAL assemblies in the default context are the probe''s'

            $ours = Get-VppTokenContextAssembly $Result
            foreach ($name in 'Azure.Core', 'VppToken.Client') {
                @($ours | Where-Object Name -eq $name).Count | Should -Be 1 -Because "$name belongs in VppToken's load context"
            }
            foreach ($assembly in $ours) {
                Test-UnderFolder $assembly.Location $DependencyPath | Should -BeTrue -Because "$($assembly.Name) in VppToken's load context must come from Dependencies"
            }
        }
    }
}

Describe 'VppToken after another module loaded the very same Azure.Core version' -Skip:(-not $IsCore) {
    It 'binds its own Azure.Core from Dependencies and still works' {
        # The default context hands a loaded assembly to any request for the same or a lower version, so a
        # module with the same or a newer Azure.Core than ours (a newer Az.Accounts) must not capture VppToken.
        $result = Invoke-IsolationScenario -Steps 'PreloadSameAzureCore', 'VppToken'

        foreach ($step in $result.Steps) {
            $step.Error | Should -BeNullOrEmpty -Because "step $($step.Step) must succeed"
        }
        $other = Get-Step $result 'PreloadSameAzureCore'
        $vpp = Get-Step $result 'VppToken'
        $other.AzureCoreVersion | Should -Be $OurAzureCoreVersion
        $vpp.TokenCount | Should -BeGreaterThan 0
        Test-UnderFolder $vpp.AzureCoreLocation $DependencyPath | Should -BeTrue -Because "VppToken binds its own copy, not $($vpp.AzureCoreLocation)"
    }
}

Describe 'The public surface of VppToken' -Skip:(-not $IsCore) {
    It 'shows no Azure.* or Microsoft.Identity.* type in a base class, parameter or output type' {
        # Such a type would be loaded from whichever copy the caller's context sees, not from ours.
        $surface = Get-Step (Invoke-IsolationScenario -Steps 'PublicSurface') 'PublicSurface'

        $surface.Error | Should -BeNullOrEmpty
        $surface.TypeCount | Should -BeGreaterThan 10 -Because 'the cmdlets, their parameters and outputs were all inspected'
        @($surface.AzureTypes) | Should -BeNullOrEmpty
    }
}

Describe 'The AssemblyResolve handler' -Skip:(-not $IsCore) {
    BeforeAll {
        $script:Lifecycle = Invoke-IsolationScenario -Steps 'VppToken', 'RemoveVppToken', 'ImportVppTokenForce', 'VppToken'
    }

    It 'survives <Scenario>' -TestCases @(
        @{ Scenario = 'Import-Module, use'; Index = 0 }
        @{ Scenario = 'Remove-Module'; Index = 1 }
        @{ Scenario = 'Import-Module -Force'; Index = 2 }
        @{ Scenario = 'use after re-import'; Index = 3 }
    ) {
        param($Scenario, $Index)

        $step = $Lifecycle.Steps[$Index]
        $step.Error | Should -BeNullOrEmpty
        $step.Succeeded | Should -BeTrue
    }

    It 'is registered once while the module is imported and removed with it' {
        $Lifecycle.Steps.HandlerCount | Should -Be @(1, 0, 1, 1)
    }

    It 'the re-imported module works on the same Azure.Core from Dependencies' {
        $Lifecycle.Steps[3].TokenCount | Should -BeGreaterThan 0
        Test-UnderFolder $Lifecycle.Steps[3].AzureCoreLocation $DependencyPath | Should -BeTrue
        @(Get-VppTokenContextAssembly $Lifecycle | Where-Object Name -eq 'Azure.Core').Count | Should -Be 1 `
            -Because 'a re-import reuses the load context instead of loading a second copy'
    }

    Context 'asked directly, with VppToken and IsolationProbe imported' {
        BeforeAll {
            $script:Answers = Get-Step (Invoke-IsolationScenario -Steps 'Probe', 'VppToken', 'AskHandler') 'AskHandler'
        }

        It 'answers <Scenario>' -TestCases @(
            @{ Scenario = 'nothing for a name that is not in Dependencies'; Property = 'NotInFolder' }
            @{ Scenario = 'nothing to another module asking for our Azure.Core'; Property = 'ForeignRequester' }
        ) {
            param($Scenario, $Property)

            $Answers.Error | Should -BeNullOrEmpty
            $Answers.$Property | Should -BeTrue
        }

        It 'answers the module itself with the copy in Dependencies' {
            $Answers.Error | Should -BeNullOrEmpty
            Test-UnderFolder $Answers.OwnRequesterLocation $DependencyPath | Should -BeTrue
        }
    }
}
