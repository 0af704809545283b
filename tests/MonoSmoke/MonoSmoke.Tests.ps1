#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# VppToken.Client on a .NET Framework-profile runtime: Mono runs tests/MonoSmoke (a net472 program) from a folder
# laid out like the module, the program in VppToken.dll's place and out/VppToken's Dependencies/ beside it, with the
# module's own AssemblyResolve code compiled in. It lists tokens from the Graph emulator, and the findings come back
# as JSON. Mono binds without looking at assembly versions, so this proves the netstandard2.0 builds of every
# dependency, the resolver, the TLS settings and the import check on that profile; not Windows PowerShell 5.1 itself.

BeforeDiscovery {
    $script:HasMono = [bool](Get-Command -Name mono -CommandType Application -ErrorAction SilentlyContinue)
}

BeforeAll {
    Import-Module -Name ([IO.Path]::Combine($PSScriptRoot, '..', 'Pester', 'GraphEmulator.psm1')) -Force
    Import-Module -Name ([IO.Path]::Combine($PSScriptRoot, '..', 'Pester', 'TestHelpers.psm1')) -Force

    $outPath = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..', 'out'))
    $script:ShippedDependencies = [IO.Path]::Combine($outPath, 'VppToken', 'Dependencies')
    $script:Harness = [IO.Path]::Combine($outPath, 'MonoSmoke', 'VppToken.MonoSmoke.exe')
    $script:ShippedAzureCore = [Reflection.AssemblyName]::GetAssemblyName([IO.Path]::Combine($ShippedDependencies, 'Azure.Core.dll')).Version.ToString()

    function New-ModuleLayout {
        param([string]$Name)
        $moduleBase = [IO.Path]::Combine($TestDrive, $Name, 'VppToken')
        $null = New-Item -Path $moduleBase -ItemType Directory -Force
        Copy-Item -LiteralPath $ShippedDependencies -Destination $moduleBase -Recurse
        Copy-Item -LiteralPath $Harness -Destination $moduleBase
        $moduleBase
    }

    function Invoke-Harness {
        param([string]$ModuleBase, [string[]]$Option = @())
        $resultPath = [IO.Path]::Combine($TestDrive, "$([IO.Path]::GetFileName([IO.Path]::GetDirectoryName($ModuleBase))).json")
        $output = & mono ([IO.Path]::Combine($ModuleBase, 'VppToken.MonoSmoke.exe')) $Emulator.Uri.AbsoluteUri $resultPath @Option 2>&1
        $exitCode = $LASTEXITCODE
        if (-not (Test-Path -LiteralPath $resultPath)) {
            throw "The harness wrote no result (exit code $exitCode): $($output -join [Environment]::NewLine)"
        }
        $result = Get-Content -LiteralPath $resultPath -Raw | ConvertFrom-Json
        $result | Add-Member -NotePropertyName ExitCode -NotePropertyValue $exitCode -PassThru
    }

    function Test-UnderFolder {
        param([string]$Path, [string]$Folder)
        $Path -and [IO.Path]::GetDirectoryName([IO.Path]::GetFullPath($Path)) -eq $Folder.TrimEnd([IO.Path]::DirectorySeparatorChar)
    }

    function Get-Header {
        param($Request, [string]$Name)
        $property = $Request.headers.PSObject.Properties[$Name]
        if ($property) { [string]$property.Value }
    }

    $script:Emulator = $null
    if (Get-Command -Name mono -CommandType Application -ErrorAction SilentlyContinue) {
        $script:Emulator = Start-GraphEmulator
        $script:Good = New-ModuleLayout 'good'
        $script:Run = Invoke-Harness $Good '--legacy-tls'
        $script:Requests = @(Get-GraphEmulatorRequest -Emulator $Emulator -Method GET -Path '/v1.0/deviceAppManagement/vppTokens*')
        $script:StoredCount = @(Get-GraphEmulatorStoredToken -Emulator $Emulator -TenantId $DefaultTenantId).Count

        # The same folder without its Azure.Core, as an interrupted copy leaves it. (A wrong version would not do:
        # Mono binds whatever version it finds.)
        $script:Broken = New-ModuleLayout 'broken'
        Remove-Item -LiteralPath ([IO.Path]::Combine($Broken, 'Dependencies', 'Azure.Core.dll'))
        Clear-GraphEmulatorRequest -Emulator $Emulator
        $script:BrokenRun = Invoke-Harness $Broken
        $script:BrokenRequests = @(Get-GraphEmulatorRequest -Emulator $Emulator)

        # Kept for reading: which requests this runtime makes without naming a requester.
        $Run.decisions | ConvertTo-Json -Depth 3 | Set-Content -LiteralPath ([IO.Path]::Combine($outPath, 'TestResults', 'MonoSmoke.decisions.json')) -Encoding utf8
    }
}

AfterAll {
    if ($Emulator) {
        Stop-GraphEmulator -Emulator $Emulator
    }
}

Describe 'VppToken.Client on Mono, loaded through the module''s resolver' -Skip:(-not $HasMono) {
    It 'runs on Mono''s .NET Framework profile' {
        $Run.runtime | Should -BeLike 'Mono *'
        $Run.PSObject.Properties['callError'] | Should -BeNullOrEmpty
        $Run.ExitCode | Should -Be 0
    }

    It 'passes the import check and lists the tokens Graph holds' {
        $Run.importCheck | Should -Be 'passed'
        $Run.firstCallTokens | Should -Be $StoredCount
        $Run.secondCallTokens | Should -Be $StoredCount
        $StoredCount | Should -BeGreaterThan 0
    }

    It 'puts both calls on the wire with the token and user agent it was given' {
        $Requests.Count | Should -Be 2
        foreach ($request in $Requests) {
            Get-Header $request 'Authorization' | Should -Be 'Bearer mono-smoke-token'
            Get-Header $request 'User-Agent' | Should -BeLike 'VppToken.MonoSmoke*'
        }
    }

    It 'loads VppToken.Client and every dependency it used from the module''s Dependencies folder' {
        $dependencies = [IO.Path]::Combine($Good, 'Dependencies')
        $shippedNames = @(Get-ChildItem -LiteralPath $dependencies -Filter *.dll | ForEach-Object { $_.BaseName })
        $ours = @($Run.loaded | Where-Object name -in $shippedNames)
        foreach ($name in 'VppToken.Client', 'Azure.Core', 'System.ClientModel', 'System.Text.Json', 'System.Memory', 'Microsoft.Bcl.AsyncInterfaces') {
            @($ours | Where-Object name -eq $name).Count | Should -Be 1 -Because "$name is used by the call and loaded once"
        }
        # Mono counts System.Numerics.Vectors as part of its own framework and binds its GAC copy whatever is asked;
        # .NET Framework 4.7.2 has only an older 4.0.0.0 there, so our 4.1 comes from Dependencies on Windows.
        foreach ($assembly in @($ours | Where-Object name -ne 'System.Numerics.Vectors')) {
            Test-UnderFolder $assembly.location $dependencies | Should -BeTrue -Because "$($assembly.name) must come from Dependencies, not $($assembly.location)"
        }
    }

    It 'is asked for VppToken.Client by the program standing in for VppToken.dll, and answers it' {
        $asked = @($Run.decisions | Where-Object { $_.requested -like 'VppToken.Client,*' })
        $asked.Count | Should -BeGreaterThan 0
        Test-UnderFolder $asked[0].requester $Good | Should -BeTrue
        $asked[0].answer | Should -Be ([IO.Path]::Combine($Good, 'Dependencies', 'VppToken.Client.dll'))
    }

    It 'never hands out Azure.*, MSAL or the client to a request without a requester' {
        @($Run.decisions | Where-Object { $null -eq $_.requester -and $_.requested -match '^(Azure\.|Microsoft\.Identity|VppToken\.Client)' -and $_.answer }) |
            Should -BeNullOrEmpty
    }

    It 'adds TLS 1.2 to what the process had, once, and removes nothing' {
        $Run.tlsBefore | Should -Be 'Tls'
        @($Run.tlsAfterFirstCall -split ',\s*') | Should -Contain 'Tls'
        @($Run.tlsAfterFirstCall -split ',\s*') | Should -Contain 'Tls12'
        $Run.tlsAfterReset | Should -Be 'Tls' -Because 'the setting is made once per process; a host''s later choice stands'
    }

    It 'turns a missing Azure.Core into one clear import error, before anything is sent' {
        $BrokenRun.ExitCode | Should -Be 3
        $BrokenRun.importCheck | Should -Be 'failed'
        $BrokenRun.loadError | Should -BeLike "VppToken could not load its own code:*Azure.Core, Version=$ShippedAzureCore*"
        $BrokenRun.loadError | Should -BeLike "*$([IO.Path]::Combine($Broken, 'Dependencies'))*"
        $BrokenRun.loadError | Should -BeLike '*Reinstall the VppToken module*'
        $BrokenRun.PSObject.Properties['firstCallTokens'] | Should -BeNullOrEmpty
        $BrokenRequests | Should -BeNullOrEmpty
    }
}
