#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Smoke tests of the module folder the build assembles (out/VppToken); tools/Invoke-PesterTests.ps1 puts out/
# first on PSModulePath, so a plain `Import-Module VppToken` must find it there.

BeforeDiscovery {
    $script:IsCore = $PSVersionTable.PSEdition -eq 'Core'
}

BeforeAll {
    $script:ExpectedModuleBase = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'VppToken'))

    function Get-DefaultContextAssembly {
        [System.Runtime.Loader.AssemblyLoadContext]::Default.Assemblies |
            Where-Object { $_.GetName().Name -match '^(Azure\.|Microsoft\.Identity\.)' } |
            ForEach-Object { $_.GetName().Name }
    }

    $script:AssembliesBeforeImport = @(Get-DefaultContextAssembly)
    $script:Module = Import-Module -Name VppToken -Force -PassThru -ErrorAction Stop
}

AfterAll {
    Remove-Module -Name VppToken -Force -ErrorAction SilentlyContinue
}

Describe 'The VppToken module' {
    It 'imports from the built module folder out/VppToken' {
        $Module | Should -Not -BeNullOrEmpty
        $Module.ModuleBase.TrimEnd([IO.Path]::DirectorySeparatorChar) | Should -Be $ExpectedModuleBase
        $Module.Version | Should -Be (Import-PowerShellDataFile -LiteralPath (Join-Path $ExpectedModuleBase 'VppToken.psd1')).ModuleVersion
    }

    It 'exports exactly the cmdlets its manifest lists' {
        $manifest = Import-PowerShellDataFile -LiteralPath (Join-Path $Module.ModuleBase 'VppToken.psd1')

        $exported = @($Module.ExportedCmdlets.Keys | Sort-Object)
        $listed = @($manifest.CmdletsToExport | Sort-Object)

        $listed.Count | Should -BeGreaterThan 0
        $exported | Should -Be $listed
    }

    It 'keeps Azure.* and Microsoft.Identity.* out of the default load context' -Skip:(-not $IsCore) {
        # Signing in makes the module reach its client layer, which is what pulls in Azure.Core; whether the call
        # itself succeeds does not matter here, only where the assemblies it needed were loaded.
        $token = ConvertTo-SecureString -String 'smoke-test-token' -AsPlainText -Force
        try {
            Connect-IntuneVpp -AccessToken $token -GraphEndpoint 'http://127.0.0.1:9/' -ErrorAction SilentlyContinue
            Disconnect-IntuneVpp -ErrorAction SilentlyContinue
        }
        catch {
            Write-Verbose "Connect-IntuneVpp failed, which this test does not judge: $_"
        }

        $leaked = @(Get-DefaultContextAssembly | Where-Object { $_ -notin $AssembliesBeforeImport })
        $leaked | Should -BeNullOrEmpty -Because 'dependencies belong in the module''s own load context'

        $clientContexts = @([System.Runtime.Loader.AssemblyLoadContext]::All |
                Where-Object { $_.Assemblies | Where-Object { $_.GetName().Name -eq 'VppToken.Client' } })
        # Without this the check above would also pass for a module that never reached its dependencies.
        $clientContexts.Count | Should -BeGreaterThan 0 -Because 'Connect-IntuneVpp loads the client layer'
        foreach ($context in $clientContexts) {
            $context | Should -Not -Be ([System.Runtime.Loader.AssemblyLoadContext]::Default) `
                -Because 'VppToken.Client ships in Dependencies/ and loads beside its dependencies'
        }
    }

    It 'can be removed and imported again in the same session' {
        Remove-Module -Name VppToken -Force -ErrorAction Stop
        Get-Module -Name VppToken | Should -BeNullOrEmpty

        Import-Module -Name VppToken -Force -ErrorAction Stop

        $reloaded = Get-Module -Name VppToken
        $reloaded | Should -Not -BeNullOrEmpty
        $reloaded.ModuleBase.TrimEnd([IO.Path]::DirectorySeparatorChar) | Should -Be $ExpectedModuleBase
        (Get-Command -Name Get-IntuneVppToken -Module VppToken).CommandType | Should -Be 'Cmdlet'
    }
}
