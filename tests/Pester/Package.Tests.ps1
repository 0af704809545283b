#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# The release artefacts the Package task writes to out/package (the Test task runs Package first): the nupkg is
# published to a temporary local repository and installed with Install-PSResource into a throwaway home, the Azure
# Automation zip is expanded and imported by path, each in a fresh pwsh that then works against the emulator. The
# packaging steps' refusals are driven through tools/ReleasePackage on broken copies of the built module.

BeforeDiscovery {
    $v = (Import-PowerShellDataFile -LiteralPath ([IO.Path]::Combine($PSScriptRoot, '..', '..', 'VppToken.psd1'))).ModuleVersion
    $script:RefusalCases = @(
        @{ Scenario = 'a manifest Test-ModuleManifest rejects'; Problem = '*not a valid module manifest*FormatsToProcess*Missing.Format.ps1xml*'
            Break = { param($m) Edit-TextFile $m.Manifest { $args[0].Replace("'VppToken.Format.ps1xml'", "'Missing.Format.ps1xml'") } } }
        @{ Scenario = 'a ModuleVersion that is no version'; Problem = '*not a valid module manifest*ModuleVersion*'
            Break = { param($m) Edit-TextFile $m.Manifest { $args[0] -replace "ModuleVersion(\s*)= '[^']*'", "ModuleVersion`$1= 'one'" } } }
        @{ Scenario = 'an empty string in the manifest'; Problem = '*empty strings*ProjectUri on line*'
            Break = { param($m) Edit-TextFile $m.Manifest { $args[0] -replace '(?m)^(\s*)Tags(\s*)=', "`$1ProjectUri = ''`n`$1Tags`$2=" } } }
        @{ Scenario = 'a prerelease label PowerShellGet refuses'; Problem = "*Prerelease 'preview.1'*letters and digits*"
            Break = { param($m) Edit-TextFile $m.Manifest { $args[0] -replace '(?m)^(\s*)Tags(\s*)=', "`$1Prerelease = 'preview.1'`n`$1Tags`$2=" } } }
        @{ Scenario = 'no CHANGELOG section for the version'; Problem = "*has no section for $v.*"
            Break = { param($m) Edit-TextFile $m.Changelog { $args[0].Replace("## [$Version]", '## [0.0.0]') } } }
        @{ Scenario = 'an empty CHANGELOG section'; Problem = "*section for $v*is empty*"
            Break = { param($m) Set-Content -LiteralPath $m.Changelog -Value "# Changelog`n`n## [$Version]`n`n## [0.0.0]`n`nOlder." } }
        @{ Scenario = 'no CHANGELOG at all'; Problem = '*no changelog at*'
            Break = { param($m) Remove-Item -LiteralPath $m.Changelog } }
        @{ Scenario = 'no LICENSE'; Problem = '*no license file*'
            Break = { param($m) Remove-Item -LiteralPath $m.License } }
        @{ Scenario = 'a dependency missing from the module folder'; Problem = '*lacks files the module needs: Dependencies/Azure.Core.dll.*'
            Break = { param($m) Remove-Item -LiteralPath ([IO.Path]::Combine($m.Module, 'Dependencies', 'Azure.Core.dll')) } }
        @{ Scenario = 'the compiled help missing'; Problem = '*lacks files the module needs: en-US/VppToken.dll-Help.xml.*'
            Break = { param($m) Remove-Item -LiteralPath ([IO.Path]::Combine($m.Module, 'en-US', 'VppToken.dll-Help.xml')) } }
    )

    $script:ArchiveCases = @(
        @{ Scenario = 'a file missing'; Problem = '*missing Dependencies/Azure.Core.dll*'; Drop = 'Dependencies/Azure.Core.dll'; Add = @() }
        @{ Scenario = 'debug symbols'; Problem = '*debug symbols*VppToken/VppToken.pdb*'; Drop = $null; Add = @('VppToken.pdb') }
        @{ Scenario = 'a path Azure Automation refuses'; Problem = '*140 characters or more*'; Drop = $null; Add = @('en-US/' + ('x' * 130) + '.txt') }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GraphEmulator.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'SignInHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force

    $script:RepoRoot = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..'))
    Import-Module ([IO.Path]::Combine($RepoRoot, 'tools', 'ReleasePackage', 'ReleasePackage.psm1')) -Force

    $script:ModulePath = [IO.Path]::Combine($RepoRoot, 'out', 'VppToken')
    $script:PackagePath = [IO.Path]::Combine($RepoRoot, 'out', 'package')
    $script:SourceManifest = Import-PowerShellDataFile -LiteralPath ([IO.Path]::Combine($RepoRoot, 'VppToken.psd1'))
    $script:Version = $SourceManifest.ModuleVersion
    $script:NupkgPath = [IO.Path]::Combine($PackagePath, "VppToken.$Version.nupkg")
    $script:ZipPath = [IO.Path]::Combine($PackagePath, 'VppToken.zip')
    if (-not (Test-Path -LiteralPath $NupkgPath)) {
        throw "There is no ${NupkgPath}: run 'dotnet pwsh ./build.ps1 -Task Package' (the Test task does) before these tests."
    }
    $script:ExpectedCommands = @($SourceManifest.CmdletsToExport | Sort-Object)
    # What Get-Help shows only when the compiled help shipped; without it, the synopsis is the syntax.
    $script:HelpSynopsis = (Get-Content -LiteralPath ([IO.Path]::Combine($RepoRoot, 'docs', 'en-US', 'Get-IntuneVppToken.md')) |
            Select-String -Pattern '^## SYNOPSIS$' -Context 0, 1).Context.PostContext[0]
    # What the package must hold: the built module folder without debug symbols, and the license.
    $script:ShippedFiles = @(@(Get-RelativeFile -Path $ModulePath | Where-Object { $_ -notlike '*.pdb' }) + 'LICENSE' | Sort-Object -CaseSensitive)

    # The changelog section, cut out here by its own means: everything between the version's heading and the next.
    $changelog = [IO.File]::ReadAllText([IO.Path]::Combine($RepoRoot, 'CHANGELOG.md')).Replace("`r`n", "`n")
    $script:ExpectedNotes = (($changelog -split "(?m)^## ") | Where-Object { $_.StartsWith("[$Version]") } |
            ForEach-Object { ($_ -split "`n", 2)[1] }).Trim()

    $script:Emulator = Start-GraphEmulator
    $script:SeedOrganizations = @(Get-GraphEmulatorStoredToken $Emulator -TenantId $DefaultTenantId | ForEach-Object organizationName | Sort-Object)

    function script:Read-ZipText([string] $Path, [string] $Entry) {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $archive = [System.IO.Compression.ZipFile]::OpenRead($Path)
        try {
            $reader = [IO.StreamReader]::new($archive.GetEntry($Entry).Open())
            try { $reader.ReadToEnd() } finally { $reader.Dispose() }
        }
        finally { $archive.Dispose() }
    }

    function script:Edit-TextFile([string] $Path, [scriptblock] $Change) {
        $text = [IO.File]::ReadAllText($Path)
        $changed = & $Change $text
        if ($changed -eq $text) { throw "The edit changed nothing in $Path; the test would not test what it says." }
        [IO.File]::WriteAllText($Path, $changed)
    }

    # A copy of the built module folder, the changelog and the license in a folder of their own, to break one way.
    function script:New-PackageInput {
        $root = [IO.Path]::Combine($TestDrive, [guid]::NewGuid().ToString('n'))
        $module = [IO.Path]::Combine($root, 'VppToken')
        $null = New-Item -ItemType Directory -Path $module
        Copy-Item -Path ([IO.Path]::Combine($ModulePath, '*')) -Destination $module -Recurse
        Copy-Item -LiteralPath ([IO.Path]::Combine($RepoRoot, 'CHANGELOG.md')), ([IO.Path]::Combine($RepoRoot, 'LICENSE')) -Destination $root
        [pscustomobject]@{
            Root      = $root
            Module    = $module
            Manifest  = [IO.Path]::Combine($module, 'VppToken.psd1')
            Changelog = [IO.Path]::Combine($root, 'CHANGELOG.md')
            License   = [IO.Path]::Combine($root, 'LICENSE')
            Output    = [IO.Path]::Combine($root, 'package')
        }
    }

    function script:Invoke-Package($In) {
        $required = @(Get-RelativeFile -Path $ModulePath | Where-Object { $_ -like 'Dependencies/*.dll' -or $_ -like 'en-US/*' })
        New-ReleasePackage -ModulePath $In.Module -ChangelogPath $In.Changelog -LicensePath $In.License -OutputPath $In.Output -RequiredFile $required
    }

    # A throwaway home: every user folder PowerShell, PSResourceGet and NuGet write to lies under it, and the
    # modules path holds only it and PowerShell's own modules.
    function script:New-ThrowawayHome {
        $homePath = [IO.Path]::Combine($TestDrive, 'home-' + [guid]::NewGuid().ToString('n'))
        $environment = Get-IsolatedEnvironment -HomePath $homePath
        # Where Install-PSResource -Scope CurrentUser puts modules off Windows; on Windows the test saves there.
        $modules = [IO.Path]::Combine($environment.XDG_DATA_HOME, 'powershell', 'Modules')
        $environment['PSModulePath'] = @($modules, [IO.Path]::Combine($PSHOME, 'Modules')) -join [IO.Path]::PathSeparator
        [pscustomobject]@{ Path = $homePath; Modules = $modules; Environment = $environment }
    }

    # The user's own PSResourceGet settings and modules folder, to show that nothing here touched them.
    $realData = [Environment]::GetFolderPath([Environment+SpecialFolder]::LocalApplicationData)
    $script:RealRepositoryFile = [IO.Path]::Combine($realData, 'PSResourceGet', 'PSResourceRepository.xml')
    $script:RealModuleFolder = [IO.Path]::Combine($realData, 'powershell', 'Modules', 'VppToken')
    # PowerShellGet 2 keeps its repositories in the cache folder (off Windows) or in LOCALAPPDATA.
    $realCache = if ($IsWindows) { $realData } elseif ($env:XDG_CACHE_HOME) { $env:XDG_CACHE_HOME } else { [IO.Path]::Combine($HOME, '.cache') }
    $script:RealV2RepositoryFile = if ($IsWindows) {
        [IO.Path]::Combine($realCache, 'Microsoft', 'Windows', 'PowerShell', 'PowerShellGet', 'PSRepositories.xml')
    }
    else {
        [IO.Path]::Combine($realCache, 'powershell', 'PowerShellGet', 'PSRepositories.xml')
    }
    function script:Get-RealProfileState {
        [pscustomobject]@{
            Repositories   = if (Test-Path -LiteralPath $RealRepositoryFile) { Get-Content -LiteralPath $RealRepositoryFile -Raw }
            V2Repositories = if (Test-Path -LiteralPath $RealV2RepositoryFile) { Get-Content -LiteralPath $RealV2RepositoryFile -Raw }
            Module         = Test-Path -LiteralPath $RealModuleFolder
        }
    }

    # Run in the fresh pwsh once the module is imported: what it exports and a call against the emulator.
    $script:UseModule = {
        param($In)
        $module = Get-Module VppToken
        Connect-IntuneVpp -AccessToken (ConvertTo-SecureString 'pester-package-token' -AsPlainText -Force) -GraphEndpoint $In.Graph
        $root = $module.ModuleBase.TrimEnd([IO.Path]::DirectorySeparatorChar) + [IO.Path]::DirectorySeparatorChar
        @{
            ModuleBase    = $module.ModuleBase
            Version       = "$($module.Version)"
            ReleaseNotes  = $module.PrivateData.PSData.ReleaseNotes
            Commands      = @(Get-Command -Module VppToken | ForEach-Object Name)
            Organizations = @(Get-IntuneVppToken | ForEach-Object OrganizationName)
            Synopsis      = (Get-Help Get-IntuneVppToken).Synopsis
            Files         = @(Get-ChildItem -LiteralPath $module.ModuleBase -File -Recurse | ForEach-Object { $_.FullName.Substring($root.Length).Replace('\', '/') })
        }
    }
}

AfterAll {
    Stop-GraphEmulator (Get-Variable -Name Emulator -ValueOnly -ErrorAction SilentlyContinue)
}

Describe 'out/package' {
    It 'holds the nupkg, the Azure Automation zip, SHA256SUMS and the outdated-dependencies report, and nothing else' {
        @(Get-ChildItem -LiteralPath $PackagePath -Force | ForEach-Object Name | Sort-Object) |
            Should -Be @('outdated-dependencies.json', 'outdated-dependencies.md', 'SHA256SUMS', "VppToken.$Version.nupkg", 'VppToken.zip')
    }

    It 'reports, beside the artefacts, each outdated dependency at the version the repository pins' {
        $report = [IO.File]::ReadAllText([IO.Path]::Combine($PackagePath, 'outdated-dependencies.json')) | ConvertFrom-Json
        $report.project | Should -Be 'VppToken.csproj'
        $pins = @{}
        $props = [xml][IO.File]::ReadAllText([IO.Path]::Combine($PSScriptRoot, '..', '..', 'Directory.Packages.props'))
        foreach ($pin in $props.Project.ItemGroup.PackageVersion) { $pins[$pin.Include] = $pin.Version }
        foreach ($row in @($report.packages)) {
            $row.Newest + $row.NewestPatch | Should -Not -BeNullOrEmpty -Because "$($row.Package) is listed as outdated"
            if ($pins.ContainsKey($row.Package)) { $row.Shipped | Should -Be $pins[$row.Package] -Because $row.Package }
        }
        $markdown = [IO.File]::ReadAllText([IO.Path]::Combine($PackagePath, 'outdated-dependencies.md'))
        if (@($report.packages).Count) { $markdown | Should -Match '\| Package \| Shipped \|' }
        else { $markdown | Should -Match 'Every dependency is on the newest version' }
    }

    It 'lists the SHA-256 of both artefacts in SHA256SUMS, a line each of hash, two spaces and name, as sha256sum -c reads' {
        $lines = @([IO.File]::ReadAllText([IO.Path]::Combine($PackagePath, 'SHA256SUMS')) -split "`n" | Where-Object { $_ })
        $lines.Count | Should -Be 2
        foreach ($name in "VppToken.$Version.nupkg", 'VppToken.zip') {
            $sha = [Security.Cryptography.SHA256]::HashData([IO.File]::ReadAllBytes([IO.Path]::Combine($PackagePath, $name)))
            $lines | Should -Contain ('{0}  {1}' -f [Convert]::ToHexString($sha).ToLowerInvariant(), $name)
        }
    }
}

Describe 'The nupkg' {
    BeforeAll {
        $script:NupkgEntries = @(Get-ArchiveEntry -Path $NupkgPath)
        $script:Nuspec = [xml](Read-ZipText $NupkgPath 'VppToken.nuspec')
        $packedPath = [IO.Path]::Combine($TestDrive, 'packed.psd1')
        [IO.File]::WriteAllText($packedPath, (Read-ZipText $NupkgPath 'VppToken.psd1'))
        $script:PackedManifest = Import-PowerShellDataFile -LiteralPath $packedPath

        # A manifest table as sorted 'key=value' lines, to compare two of them whole.
        function script:Format-ManifestTable([hashtable] $Table, [string[]] $Except) {
            $Table.GetEnumerator() | Where-Object Key -NotIn $Except | Sort-Object Key |
                ForEach-Object { "$($_.Key)=$(@($_.Value) -join ',')" }
        }
    }

    It 'is the manifest''s version, with the CHANGELOG section of that version as release notes' {
        $Nuspec.package.metadata.id | Should -Be 'VppToken'
        $Nuspec.package.metadata.version | Should -Be $Version
        $ExpectedNotes | Should -Not -BeNullOrEmpty
        $Nuspec.package.metadata.releaseNotes.Replace("`r`n", "`n") | Should -BeExactly $ExpectedNotes
    }

    It 'holds the whole module and LICENSE, and no debug symbols' {
        $moduleEntries = @($NupkgEntries | Where-Object { $_ -notmatch '^(\[Content_Types\]\.xml|_rels/|package/|VppToken\.nuspec$)' } | Sort-Object -CaseSensitive)
        $moduleEntries | Should -Be $ShippedFiles
        $moduleEntries | Should -Contain 'LICENSE'
        $moduleEntries | Should -Contain 'Dependencies/Azure.Identity.dll'
        @($NupkgEntries | Where-Object { $_ -like '*.pdb' }) | Should -BeNullOrEmpty
        Read-ZipText $NupkgPath 'LICENSE' | Should -BeExactly ([IO.File]::ReadAllText([IO.Path]::Combine($RepoRoot, 'LICENSE')))
    }

    It 'packs a manifest with the release notes, while the repository''s manifest stays without them' {
        $PackedManifest.PrivateData.PSData.ReleaseNotes.Replace("`r`n", "`n") | Should -BeExactly $ExpectedNotes
        $SourceManifest.PrivateData.PSData.ContainsKey('ReleaseNotes') | Should -BeFalse
        # Everything else is the repository's manifest, unchanged.
        Format-ManifestTable $PackedManifest -Except PrivateData | Should -Be @(Format-ManifestTable $SourceManifest -Except PrivateData)
        Format-ManifestTable $PackedManifest.PrivateData.PSData -Except ReleaseNotes | Should -Be @(Format-ManifestTable $SourceManifest.PrivateData.PSData)
    }

    It 'has no empty string in the repository''s manifest, which Publish-PSResource would refuse' {
        { Assert-ManifestHasNoEmptyString -ManifestPath ([IO.Path]::Combine($RepoRoot, 'VppToken.psd1')) } | Should -Not -Throw
        $SourceManifest.PrivateData.PSData.Keys | Should -Not -Contain 'ProjectUri'
        $SourceManifest.PrivateData.PSData.Keys | Should -Not -Contain 'LicenseUri'
    }
}

Describe 'Install-PSResource VppToken into a throwaway home' {
    BeforeAll {
        $script:ProfileBefore = Get-RealProfileState
        $script:Home1 = New-ThrowawayHome
        $script:RepositoryName = 'VppTokenTest' + [guid]::NewGuid().ToString('n')
        $repository = [IO.Path]::Combine($TestDrive, 'repository-' + [guid]::NewGuid().ToString('n'))
        $null = New-Item -ItemType Directory -Path $repository

        $script:Installed = Invoke-ChildPwsh -Emulator $Emulator -Environment $Home1.Environment -TimeoutSeconds 180 -InputObject @{
            Name = $RepositoryName; Repository = $repository; Nupkg = $NupkgPath; Modules = $Home1.Modules
        } -ScriptBlock {
            param($In)
            $ProgressPreference = 'SilentlyContinue'
            Register-PSResourceRepository -Name $In.Name -Uri $In.Repository -Trusted
            Publish-PSResource -NupkgPath $In.Nupkg -Repository $In.Name
            if ($IsWindows) {
                # CurrentUser is the Documents folder on Windows, which no variable moves: save to the throwaway one.
                Save-PSResource -Name VppToken -Repository $In.Name -Path $In.Modules -TrustRepository -IncludeXml
            }
            else {
                Install-PSResource -Name VppToken -Repository $In.Name -Scope CurrentUser -TrustRepository
            }
            $found = @(Get-InstalledPSResource -Name VppToken -Path $In.Modules)
            @{
                Published      = @(Get-ChildItem -LiteralPath $In.Repository -Filter *.nupkg | ForEach-Object Name)
                Versions       = @($found | ForEach-Object { "$($_.Version)" })
                RepositoryFile = [IO.Path]::Combine([Environment]::GetFolderPath('LocalApplicationData'), 'PSResourceGet', 'PSResourceRepository.xml')
            }
        }

        Reset-GraphEmulator $Emulator
        $script:Used = Invoke-ChildPwsh -Emulator $Emulator -Environment $Home1.Environment -TimeoutSeconds 120 -InputObject @{
            Graph = $Emulator.Uri.AbsoluteUri; Use = $UseModule.ToString()
        } -ScriptBlock {
            param($In)
            Import-Module VppToken
            & ([scriptblock]::Create($In.Use)) $In
        }
        $script:Requests = @(Get-GraphEmulatorRequest $Emulator)
    }

    It 'installs the published package under the throwaway home, and touches nothing of the real profile' {
        $Installed.Published | Should -Be @("VppToken.$Version.nupkg")
        $Installed.Versions | Should -Be @($Version)
        $Installed.RepositoryFile | Should -BeLike "$($Home1.Path)*" -Because 'PSResourceGet must keep its repositories in the throwaway home'
        Get-Content -LiteralPath $Installed.RepositoryFile -Raw | Should -Match $RepositoryName

        $after = Get-RealProfileState
        $after.Module | Should -Be $ProfileBefore.Module
        $after.Repositories | Should -Be $ProfileBefore.Repositories
    }

    It 'imports by name from the installed copy, with the release notes in its manifest' {
        $Used.ModuleBase | Should -Be ([IO.Path]::Combine($Home1.Modules, 'VppToken', $Version))
        $Used.Version | Should -Be $Version
        $Used.ReleaseNotes.Replace("`r`n", "`n") | Should -BeExactly $ExpectedNotes
        @($Used.Files | Where-Object { $_ -like '*.pdb' }) | Should -BeNullOrEmpty
        $Used.Files | Should -Contain 'LICENSE'
    }

    It 'exports exactly the cmdlets its manifest lists, with their help' {
        @($Used.Commands | Sort-Object) | Should -Be $ExpectedCommands
        $HelpSynopsis | Should -Not -BeNullOrEmpty
        $Used.Synopsis | Should -Be $HelpSynopsis -Because 'the compiled help ships in en-US/'
    }

    It 'lists the tenant''s tokens from the emulator' {
        @($Used.Organizations | Sort-Object) | Should -Be $SeedOrganizations
        $Requests.Count | Should -Be 1
        $Requests[0].method | Should -Be 'GET'
        $Requests[0].path | Should -Be '/v1.0/deviceAppManagement/vppTokens'
        Get-RequestHeader $Requests[0] 'Authorization' | Should -Be 'Bearer pester-package-token'
    }
}

Describe 'Install-Module VppToken (PowerShellGet 2, as Windows PowerShell 5.1 has) into a throwaway home' {
    BeforeAll {
        $script:ProfileBefore = Get-RealProfileState
        $script:Home4 = New-ThrowawayHome
        $repository = [IO.Path]::Combine($TestDrive, 'v2-repository-' + [guid]::NewGuid().ToString('n'))
        $null = New-Item -ItemType Directory -Path $repository
        Copy-Item -LiteralPath $NupkgPath -Destination $repository

        Reset-GraphEmulator $Emulator
        $script:Used = Invoke-ChildPwsh -Emulator $Emulator -Environment $Home4.Environment -TimeoutSeconds 180 -InputObject @{
            Repository = $repository; Modules = $Home4.Modules; Graph = $Emulator.Uri.AbsoluteUri; Use = $UseModule.ToString()
        } -ScriptBlock {
            param($In)
            $ProgressPreference = 'SilentlyContinue'
            Import-Module PowerShellGet -MaximumVersion 2.99
            Register-PSRepository -Name VppTokenV2 -SourceLocation $In.Repository -InstallationPolicy Trusted
            if ($IsWindows) {
                Save-Module -Name VppToken -Repository VppTokenV2 -Path $In.Modules
            }
            else {
                Install-Module -Name VppToken -Repository VppTokenV2 -Scope CurrentUser
            }
            Import-Module VppToken
            & ([scriptblock]::Create($In.Use)) $In
        }
    }

    It 'installs under the throwaway home, imports by name and exports exactly the manifest''s cmdlets' {
        $Used.ModuleBase | Should -Be ([IO.Path]::Combine($Home4.Modules, 'VppToken', $Version))
        @($Used.Commands | Sort-Object) | Should -Be $ExpectedCommands
        @($Used.Organizations | Sort-Object) | Should -Be $SeedOrganizations
        $after = Get-RealProfileState
        $after.V2Repositories | Should -Be $ProfileBefore.V2Repositories
        $after.Module | Should -Be $ProfileBefore.Module
    }
}

Describe 'The Azure Automation zip' {
    BeforeAll {
        $script:ZipEntries = @(Get-ArchiveEntry -Path $ZipPath)
        $script:Expanded = [IO.Path]::Combine($TestDrive, 'expanded-' + [guid]::NewGuid().ToString('n'))
        Expand-Archive -LiteralPath $ZipPath -DestinationPath $Expanded
        $script:Home2 = New-ThrowawayHome
        # Nothing on the modules path can satisfy the import: only the path given reaches the module.
        $Home2.Environment['PSModulePath'] = [IO.Path]::Combine($PSHOME, 'Modules')

        Reset-GraphEmulator $Emulator
        $script:Used = Invoke-ChildPwsh -Emulator $Emulator -Environment $Home2.Environment -TimeoutSeconds 120 -InputObject @{
            Graph = $Emulator.Uri.AbsoluteUri; Use = $UseModule.ToString(); Manifest = [IO.Path]::Combine($Expanded, 'VppToken', 'VppToken.psd1')
        } -ScriptBlock {
            param($In)
            Import-Module $In.Manifest
            & ([scriptblock]::Create($In.Use)) $In
        }
        $script:Requests = @(Get-GraphEmulatorRequest $Emulator)
    }

    It 'has one root folder named VppToken holding VppToken.psd1 and the rest of the module' {
        $ZipEntries | Should -Contain 'VppToken/VppToken.psd1'
        @($ZipEntries | Where-Object { -not $_.StartsWith('VppToken/') }) | Should -BeNullOrEmpty
        @($ZipEntries | ForEach-Object { $_.Substring('VppToken/'.Length) } | Sort-Object -CaseSensitive) | Should -Be $ShippedFiles
    }

    It 'has only short entry paths with forward slashes, as Azure Automation needs' {
        $longest = ($ZipEntries | Measure-Object -Property Length -Maximum).Maximum
        $longest | Should -BeLessThan 140
        @($ZipEntries | Where-Object { $_.Contains('\') }) | Should -BeNullOrEmpty
    }

    It 'imports by path once expanded, and exports exactly the cmdlets its manifest lists' {
        $Used.ModuleBase | Should -Be ([IO.Path]::Combine($Expanded, 'VppToken'))
        @($Used.Commands | Sort-Object) | Should -Be $ExpectedCommands
        $Used.ReleaseNotes.Replace("`r`n", "`n") | Should -BeExactly $ExpectedNotes
    }

    It 'lists the tenant''s tokens from the emulator' {
        @($Used.Organizations | Sort-Object) | Should -Be $SeedOrganizations
        @($Requests | ForEach-Object { "$($_.method) $($_.path)" }) | Should -Be @('GET /v1.0/deviceAppManagement/vppTokens')
    }
}

Describe 'Packaging refuses' {
    It 'refuses <Scenario>, and leaves no artefacts behind' -TestCases $RefusalCases {
        $in = New-PackageInput
        & $Break $in
        # An earlier run's artefacts must not survive to pass for this version's.
        $null = New-Item -ItemType Directory -Path $in.Output
        Set-Content -LiteralPath ([IO.Path]::Combine($in.Output, 'VppToken.0.0.1.nupkg')) -Value 'stale'

        { Invoke-Package $in } | Should -Throw -ExpectedMessage $Problem
        Test-Path -LiteralPath $in.Output | Should -BeFalse
    }

    It 'refuses an artefact with <Scenario>' -TestCases $ArchiveCases {
        $zip = [IO.Path]::Combine($TestDrive, [guid]::NewGuid().ToString('n') + '.zip')
        $expected = @(Get-RelativeFile -Path $ModulePath | Where-Object { $_ -notlike '*.pdb' })
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $archive = [System.IO.Compression.ZipFile]::Open($zip, [System.IO.Compression.ZipArchiveMode]::Create)
        try {
            foreach ($file in @($expected | Where-Object { $_ -ne $Drop }) + $Add) {
                $entry = $archive.CreateEntry("VppToken/$file")
                $writer = [IO.StreamWriter]::new($entry.Open())
                $writer.Write('content')
                $writer.Dispose()
            }
        }
        finally { $archive.Dispose() }

        { Assert-ArchiveContent -Path $zip -ExpectedFile $expected -Prefix 'VppToken/' -MaxPathLength 140 } |
            Should -Throw -ExpectedMessage $Problem
    }

    It 'accepts the same archive with nothing dropped or added' {
        # The cases above fail for their one fault, not for the way the test builds archives.
        $expected = @(Get-RelativeFile -Path $ModulePath | Where-Object { $_ -notlike '*.pdb' })
        $folder = [IO.Path]::Combine($TestDrive, 'intact-' + [guid]::NewGuid().ToString('n'), 'VppToken')
        $null = New-Item -ItemType Directory -Path $folder
        Copy-Item -Path ([IO.Path]::Combine($ModulePath, '*')) -Destination $folder -Recurse
        Get-ChildItem -LiteralPath $folder -Filter *.pdb -Recurse | Remove-Item
        $zip = "$folder.zip"
        New-AutomationModuleZip -ModulePath $folder -DestinationPath $zip

        { Assert-ArchiveContent -Path $zip -ExpectedFile $expected -Prefix 'VppToken/' -MaxPathLength 140 } | Should -Not -Throw
    }
}

Describe 'A prerelease' {
    BeforeAll {
        $script:Pre = New-PackageInput
        Edit-TextFile $Pre.Manifest { $args[0] -replace '(?m)^(\s*)Tags(\s*)=', "`$1Prerelease = 'preview1'`n`$1Tags`$2=" }
        Edit-TextFile $Pre.Changelog { $args[0].Replace("## [$Version]", "## [$Version-preview1]`n`nThe preview.`n`n## [0.0.0]") }
        $script:PrePackage = Invoke-Package $Pre
        $script:PreNuspec = [xml](Read-ZipText $PrePackage.Nupkg 'VppToken.nuspec')

        $script:Home3 = New-ThrowawayHome
        $repository = [IO.Path]::Combine($TestDrive, 'prerelease-repository')
        $null = New-Item -ItemType Directory -Path $repository
        Copy-Item -LiteralPath $PrePackage.Nupkg -Destination $repository
        $script:PreInstalled = Invoke-ChildPwsh -Emulator $Emulator -Environment $Home3.Environment -TimeoutSeconds 180 -InputObject @{
            Repository = $repository; Modules = $Home3.Modules
        } -ScriptBlock {
            param($In)
            $ProgressPreference = 'SilentlyContinue'
            Register-PSResourceRepository -Name VppTokenPrerelease -Uri $In.Repository -Trusted
            if ($IsWindows) {
                Save-PSResource -Name VppToken -Prerelease -Repository VppTokenPrerelease -Path $In.Modules -TrustRepository -IncludeXml
            }
            else {
                Install-PSResource -Name VppToken -Prerelease -Repository VppTokenPrerelease -Scope CurrentUser -TrustRepository
            }
            $module = Import-Module VppToken -PassThru
            @{ Version = "$($module.Version)"; Prerelease = $module.PrivateData.PSData.Prerelease; Notes = $module.PrivateData.PSData.ReleaseNotes }
        }
    }

    It 'is packaged as version-label, with the notes of that section' {
        Split-Path -Path $PrePackage.Nupkg -Leaf | Should -Be "VppToken.$Version-preview1.nupkg"
        $PreNuspec.package.metadata.version | Should -Be "$Version-preview1"
        $PreNuspec.package.metadata.releaseNotes | Should -BeExactly 'The preview.'
        @(Get-ChildItem -LiteralPath $Pre.Output | ForEach-Object Name | Sort-Object) | Should -Be @('SHA256SUMS', "VppToken.$Version-preview1.nupkg", 'VppToken.zip')
    }

    It 'installs with -Prerelease and imports as that prerelease' {
        $PreInstalled.Version | Should -Be $Version
        $PreInstalled.Prerelease | Should -Be 'preview1'
        $PreInstalled.Notes | Should -BeExactly 'The preview.'
    }
}

Describe 'Release notes in a manifest (Set-ManifestReleaseNote)' {
    It 'writes the notes into PSData <Scenario>, and leaves the rest as it was' -TestCases @(
        @{ Scenario = 'spread over several lines'; Text = "@{`n    ModuleVersion = '1.0.0'`n    PrivateData = @{`n        PSData = @{`n            Tags = @('a', 'b')`n        }`n    }`n}`n" }
        @{ Scenario = 'on one line'; Text = "@{ ModuleVersion = '1.0.0'; PrivateData = @{ PSData = @{ Tags = @('a', 'b') } } }`n" }
        @{ Scenario = 'that already has notes'; Text = "@{`n    ModuleVersion = '1.0.0'`n    PrivateData = @{`n        PSData = @{`n            Tags = @('a', 'b')`n            ReleaseNotes = 'old notes'`n        }`n    }`n}`n" }
        @{ Scenario = 'with Windows line ends'; Text = "@{`r`n    ModuleVersion = '1.0.0'`r`n    PrivateData = @{`r`n        PSData = @{`r`n            Tags = @('a', 'b')`r`n        }`r`n    }`r`n}`r`n" }
    ) {
        $path = [IO.Path]::Combine($TestDrive, [guid]::NewGuid().ToString('n') + '.psd1')
        [IO.File]::WriteAllText($path, $Text)
        $notes = "- Fixed 'quotes' and `"double quotes`".`n- A line with @' inside it, and `$variables."

        Set-ManifestReleaseNote -ManifestPath $path -ReleaseNotes $notes

        $data = Import-PowerShellDataFile -LiteralPath $path
        $data.PrivateData.PSData.ReleaseNotes.Replace("`r`n", "`n") | Should -BeExactly $notes
        $data.PrivateData.PSData.Tags | Should -Be @('a', 'b')
        $data.ModuleVersion | Should -Be '1.0.0'
    }

    It 'refuses notes with a line that would end the here-string' {
        $path = [IO.Path]::Combine($TestDrive, 'here-string.psd1')
        [IO.File]::WriteAllText($path, "@{ PrivateData = @{ PSData = @{} } }")
        { Set-ManifestReleaseNote -ManifestPath $path -ReleaseNotes "first`n'@ second" } | Should -Throw -ExpectedMessage "*starts with '@*"
    }
}

Describe 'The changelog section of a version (Get-ChangelogSection)' {
    It 'reads the section under <Scenario>' -TestCases @(
        @{ Scenario = '## [1.2.0] with a date'; Heading = '## [1.2.0] - 2026-12-01' }
        @{ Scenario = '## 1.2.0'; Heading = '## 1.2.0' }
        @{ Scenario = '## v1.2.0'; Heading = '## v1.2.0' }
    ) {
        $path = [IO.Path]::Combine($TestDrive, [guid]::NewGuid().ToString('n') + '.md')
        Set-Content -LiteralPath $path -Value @(
            '# Changelog', '', '## [1.2.1]', '', '- Newer.', '', $Heading, '', '### Fixed', '', '- One.', '- Two.', '',
            '## [1.1.0]', '', '- Older.', '', '[1.2.0]: https://example.invalid/1.2.0')

        Get-ChangelogSection -Path $path -Version '1.2.0' | Should -BeExactly "### Fixed`n`n- One.`n- Two."
    }

    It 'leaves out the link definitions that end the file' {
        $path = [IO.Path]::Combine($TestDrive, 'links.md')
        Set-Content -LiteralPath $path -Value @('## [1.2.0]', '', '- Only.', '', '[1.2.0]: https://example.invalid/1.2.0', '[1.1.0]: https://example.invalid/1.1.0')
        Get-ChangelogSection -Path $path -Version '1.2.0' | Should -BeExactly '- Only.'
    }

    It 'does not take 1.2.0''s notes for 1.2.0-preview1, or the reverse' {
        $path = [IO.Path]::Combine($TestDrive, 'versions.md')
        Set-Content -LiteralPath $path -Value @('## [1.2.0]', '', '- Final.')
        { Get-ChangelogSection -Path $path -Version '1.2.0-preview1' } | Should -Throw -ExpectedMessage '*no section for 1.2.0-preview1*'
        Set-Content -LiteralPath $path -Value @('## [1.2.0-preview1]', '', '- Preview.')
        { Get-ChangelogSection -Path $path -Version '1.2.0' } | Should -Throw -ExpectedMessage '*no section for 1.2.0.*'
    }

    It 'refuses two sections for one version' {
        $path = [IO.Path]::Combine($TestDrive, 'twice.md')
        Set-Content -LiteralPath $path -Value @('## [1.2.0]', '', '- A.', '', '## [1.2.0]', '', '- B.')
        { Get-ChangelogSection -Path $path -Version '1.2.0' } | Should -Throw -ExpectedMessage '*2 sections for 1.2.0 (lines 1, 5)*'
    }
}
