<#
.SYNOPSIS
Invoke-Build tasks for VppToken. Run through ../build.ps1, which restores Invoke-Build and Pester from NuGet.
#>
param(
    [ValidateSet('Debug', 'Release')]
    [string]
    $Configuration = 'Release',

    # Pester.psd1 inside the Pester NuGet package's tools/ folder.
    [string]
    $PesterPath
)

Set-StrictMode -Version Latest

$BuildRoot = Split-Path -Path $PSScriptRoot -Parent

$ModuleName = 'VppToken'
$ManifestPath = [IO.Path]::Combine($BuildRoot, "$ModuleName.psd1")
$Version = (Import-PowerShellDataFile -LiteralPath $ManifestPath).ModuleVersion
Import-Module -Name ([IO.Path]::Combine($PSScriptRoot, 'ReleasePackage', 'ReleasePackage.psm1')) -Force
# With a PSData.Prerelease label, '0.1.0-preview1': the assemblies' informational version and the package's.
$ReleaseVersion = (Get-ReleaseVersion -ManifestPath $ManifestPath).Version

$OutPath = [IO.Path]::Combine($BuildRoot, 'out')
$PublishPath = [IO.Path]::Combine($OutPath, 'publish', $ModuleName)
$ModuleOutPath = [IO.Path]::Combine($OutPath, $ModuleName)
$EmulatorOutPath = [IO.Path]::Combine($OutPath, 'GraphEmulator')
$EmulatorPath = [IO.Path]::Combine($EmulatorOutPath, 'GraphEmulator.dll')
$ProbeOutPath = [IO.Path]::Combine($OutPath, 'IsolationProbe')
$MonoSmokeOutPath = [IO.Path]::Combine($OutPath, 'MonoSmoke')
$TestResultsPath = [IO.Path]::Combine($OutPath, 'TestResults')
$PackageOutPath = [IO.Path]::Combine($OutPath, 'package')

$ProjectFolders = @(
    'src/VppToken'
    'src/VppToken.Client'
    'tests/GraphEmulator'
    'tests/IsolationProbe'
    'tests/MonoSmoke'
    'tests/VppToken.Client.Tests'
    'tests/VppToken.Module.Tests'
) | ForEach-Object { [IO.Path]::Combine($BuildRoot, $_) }

# Everything the module loads besides VppToken.dll itself goes to Dependencies/, where the module's load context
# finds it. The list is explicit, like PSResourceGet's, so that a package update that adds or drops an assembly
# fails the build here instead of failing an import on a user's machine.
$DependencyAssemblies = @(
    'Azure.Core'
    'Azure.Identity'
    'Microsoft.Bcl.AsyncInterfaces'
    'Microsoft.Extensions.Configuration.Abstractions'
    'Microsoft.Extensions.DependencyInjection.Abstractions'
    'Microsoft.Extensions.Diagnostics.Abstractions'
    'Microsoft.Extensions.FileProviders.Abstractions'
    'Microsoft.Extensions.Hosting.Abstractions'
    'Microsoft.Extensions.Logging.Abstractions'
    'Microsoft.Extensions.Options'
    'Microsoft.Extensions.Primitives'
    'Microsoft.Identity.Client'
    'Microsoft.Identity.Client.Extensions.Msal'
    'Microsoft.IdentityModel.Abstractions'
    'System.Buffers'
    'System.ClientModel'
    'System.ComponentModel.Annotations'
    'System.Diagnostics.DiagnosticSource'
    'System.Formats.Asn1'
    'System.IO.FileSystem.AccessControl'
    'System.IO.Pipelines'
    'System.Memory'
    'System.Memory.Data'
    'System.Net.ServerSentEvents'
    'System.Numerics.Vectors'
    'System.Runtime.CompilerServices.Unsafe'
    'System.Security.AccessControl'
    'System.Security.Cryptography.Cng'
    'System.Security.Cryptography.ProtectedData'
    'System.Security.Principal.Windows'
    'System.Text.Encodings.Web'
    'System.Text.Json'
    'System.Threading.Tasks.Extensions'
    'VppToken.Client'
)

# Our own assemblies ship their .pdb and .xml docs; third-party ones ship the dll alone.
$OwnAssemblies = @($ModuleName, 'VppToken.Client')

# Under `dotnet pwsh` (a .NET local tool) this process is the dotnet host, and pwsh is pwsh.dll in $PSHOME.
$PwshHostPath = (Get-Process -Id $PID).Path
$PwshHostArguments = if ([IO.Path]::GetFileNameWithoutExtension($PwshHostPath) -eq 'dotnet') {
    , @([IO.Path]::Combine($PSHOME, 'pwsh.dll'))
}
else {
    , @()
}

# Each test suite adds one entry; the Test task sums them.
$UnitTestProjects = [ordered]@{
    'Unit tests (VppToken.Client.Tests)' = 'VppToken.Client.Tests'
    # The module's load code, and the Windows PowerShell binding list against out/VppToken (so after Build).
    'Unit tests (VppToken.Module.Tests)' = 'VppToken.Module.Tests'
}
$PesterSuite = 'Pester tests (tests/Pester)'
$MonoSuite = 'Mono smoke test (tests/MonoSmoke, .NET Framework profile)'
$AuditSuite = 'Vulnerability audit (dotnet list package --vulnerable)'
$SuiteResults = [System.Collections.Generic.List[object]]::new()

function Remove-BuildItem {
    param([string[]]$Path)

    foreach ($item in $Path) {
        if (Test-Path -LiteralPath $item) {
            Remove-Item -LiteralPath $item -Recurse -Force
        }
    }
}

function Invoke-ChildPwsh {
    param([string]$ScriptPath, [hashtable]$Parameters)

    $arguments = [System.Collections.Generic.List[string]]::new()
    $arguments.AddRange([string[]]$PwshHostArguments)
    $arguments.AddRange([string[]]@('-NoProfile', '-NonInteractive', '-File', $ScriptPath))
    foreach ($parameter in $Parameters.GetEnumerator()) {
        $arguments.Add("-$($parameter.Key)")
        $arguments.Add([string]$parameter.Value)
    }
    & $PwshHostPath $arguments
}

function New-SuiteResult {
    param(
        [string]$Name,
        [int]$Passed = 0,
        [int]$Failed = 0,
        [int]$Skipped = 0,
        [string[]]$FailedTests = @(),
        # Why the suite did not run or did not finish; such a suite counts at least one failure.
        [string]$Problem,
        # Something the summary must show that is not a failure (a suite this machine cannot run).
        [string]$Note
    )

    if ($Problem -and $Failed -lt 1) {
        $Failed = 1
    }
    [pscustomobject]@{
        Name        = $Name
        Passed      = $Passed
        Failed      = $Failed
        Skipped     = $Skipped
        FailedTests = @($FailedTests)
        Problem     = $Problem
        Note        = $Note
    }
}

function Write-SuiteResult {
    param([object]$Result)

    # Worded so that no line but the Test task's total has the form 'N passed, N failed'.
    Write-Build Cyan "$($Result.Name): passed $($Result.Passed), failed $($Result.Failed), skipped $($Result.Skipped)"
    foreach ($test in $Result.FailedTests) {
        Write-Build Red "  failed: $test"
    }
    if ($Result.Problem) {
        Write-Build Red "  $($Result.Problem)"
    }
    if ($Result.Note) {
        Write-Build Yellow "  $($Result.Note)"
    }
}

function Read-TestResult {
    <#
    One suite's counts from its runner's own result file: the trx file of `dotnet test`, or Pester's NUnit 3 file.
    ExitCode is the runner's: it catches what the file cannot show, a crashed test host, or a Pester file that
    failed before its tests were found (Pester leaves it out of the file but counts it in its exit code, which is
    failed tests + failed blocks + failed files).
    #>
    param([string]$Name, [string]$Path, [int]$ExitCode)

    if (-not (Test-Path -LiteralPath $Path)) {
        return New-SuiteResult -Name $Name -Problem "The runner wrote no result file ($Path); it exited with $ExitCode."
    }
    $xml = [xml](Get-Content -LiteralPath $Path -Raw)
    $isTrx = $xml.DocumentElement.LocalName -eq 'TestRun'
    # Name and outcome of every test: Passed, Skipped (xUnit's NotExecuted, Pester's Inconclusive too) or anything
    # else, which is a failure.
    $tests = @(if ($isTrx) {
            foreach ($node in $xml.SelectNodes("//*[local-name()='UnitTestResult']")) {
                $outcome = if ($node.outcome -eq 'NotExecuted') { 'Skipped' } else { $node.outcome }
                [pscustomobject]@{ Name = $node.testName; Outcome = $outcome }
            }
        }
        else {
            foreach ($node in $xml.SelectNodes('//test-case')) {
                $outcome = if ($node.result -eq 'Inconclusive') { 'Skipped' } else { $node.result }
                [pscustomobject]@{ Name = $node.fullname; Outcome = $outcome }
            }
        })
    # A Pester block or file whose own BeforeAll or AfterAll failed; after an AfterAll its tests still pass, so
    # each such block counts as one failure of its own.
    $brokenBlocks = @(if (-not $isTrx) {
            foreach ($node in $xml.SelectNodes("//test-suite[@result='Failed' and (@site='SetUp' or @site='TearDown')]")) {
                "$($node.fullname) ($(if ($node.site -eq 'SetUp') { 'BeforeAll' } else { 'AfterAll' }) failed)"
            }
        })
    $failedTests = @($tests | Where-Object Outcome -NotIn 'Passed', 'Skipped' | ForEach-Object { "$($_.Name) ($($_.Outcome))" }) +
        @($brokenBlocks | Where-Object { $_ -like '*(AfterAll failed)' })
    # What the exit code holds beyond the file: for Pester a number of unseen failed files, for dotnet test a yes.
    $unseen = if ($isTrx) { [int]($ExitCode -ne 0 -and $failedTests.Count -eq 0) }
        else { [Math]::Max(0, $ExitCode - @($tests | Where-Object Outcome -EQ 'Failed').Count - $brokenBlocks.Count) }

    $problem = if ($tests.Count -eq 0) { "No test ran (the runner exited with $ExitCode)." }
        elseif ($unseen -and $isTrx) { "dotnet test exited with $ExitCode although no test failed (a crashed test host?)." }
        elseif ($unseen) { "$unseen file(s) failed before their tests were found: see '[-] Discovery' in the output above." }
    New-SuiteResult -Name $Name -Passed @($tests | Where-Object Outcome -EQ 'Passed').Count -Failed ($failedTests.Count + $unseen) `
        -Skipped @($tests | Where-Object Outcome -EQ 'Skipped').Count -FailedTests $failedTests -Problem $problem
}

# Synopsis: Remove out/ and the projects' bin/ and obj/ folders.
task Clean {
    Remove-BuildItem -Path $OutPath
    foreach ($folder in $ProjectFolders) {
        Remove-BuildItem -Path ([IO.Path]::Combine($folder, 'bin')), ([IO.Path]::Combine($folder, 'obj'))
    }
}

# Synopsis: Publish the module and assemble the importable module folder out/VppToken.
task BuildModule {
    Write-Build Cyan "Building $ModuleName $ReleaseVersion ($Configuration)"
    # A stale dll left from an earlier publish would slip past the dependency check.
    Remove-BuildItem -Path $PublishPath, $ModuleOutPath
    exec {
        dotnet publish ([IO.Path]::Combine($BuildRoot, 'src', $ModuleName, "$ModuleName.csproj")) `
            --configuration $Configuration --output $PublishPath --nologo "-p:Version=$ReleaseVersion"
    }

    $published = @(Get-ChildItem -LiteralPath $PublishPath -Filter '*.dll' -File |
            ForEach-Object { [IO.Path]::GetFileNameWithoutExtension($_.Name) } |
            Where-Object { $_ -ne $ModuleName })
    $missing = @($DependencyAssemblies | Where-Object { $_ -notin $published })
    $unlisted = @($published | Where-Object { $_ -notin $DependencyAssemblies })
    if ($missing -or $unlisted) {
        $message = @(
            'The published dependencies do not match the list in tools/VppToken.build.ps1 ($DependencyAssemblies).'
            if ($missing) { "Listed but not published: $($missing -join ', ')." }
            if ($unlisted) { "Published but not listed: $($unlisted -join ', ')." }
            'Check the package change, then update the list.'
        ) -join ' '
        throw $message
    }

    $dependencyPath = [IO.Path]::Combine($ModuleOutPath, 'Dependencies')
    New-Item -Path $dependencyPath -ItemType Directory -Force | Out-Null

    Copy-Item -LiteralPath $ManifestPath -Destination $ModuleOutPath
    foreach ($required in "$ModuleName.dll", "$ModuleName.Format.ps1xml") {
        $source = [IO.Path]::Combine($PublishPath, $required)
        if (-not (Test-Path -LiteralPath $source)) {
            throw "The publish output has no $required ($source); the module cannot load without it."
        }
        Copy-Item -LiteralPath $source -Destination $ModuleOutPath
    }
    foreach ($assembly in $DependencyAssemblies) {
        Copy-Item -LiteralPath ([IO.Path]::Combine($PublishPath, "$assembly.dll")) -Destination $dependencyPath
    }
    foreach ($assembly in $OwnAssemblies) {
        $destination = if ($assembly -eq $ModuleName) { $ModuleOutPath } else { $dependencyPath }
        foreach ($extension in '.pdb', '.xml') {
            $source = [IO.Path]::Combine($PublishPath, "$assembly$extension")
            if (Test-Path -LiteralPath $source) {
                Copy-Item -LiteralPath $source -Destination $destination
            }
        }
    }
    $helpPath = [IO.Path]::Combine($PublishPath, 'en-US')
    if (Test-Path -LiteralPath $helpPath) {
        Copy-Item -LiteralPath $helpPath -Destination $ModuleOutPath -Recurse
    }
    Write-Build Green "Module ready: $ModuleOutPath"
}

# Synopsis: Publish the Graph emulator the Pester tests and the demo run against.
task BuildEmulator {
    Remove-BuildItem -Path $EmulatorOutPath
    exec {
        dotnet publish ([IO.Path]::Combine($BuildRoot, 'tests', 'GraphEmulator', 'GraphEmulator.csproj')) `
            --configuration $Configuration --output $EmulatorOutPath --nologo
    }
}

# Synopsis: Publish the test-only module the dependency isolation tests import beside VppToken.
task BuildIsolationProbe {
    # Published the plain way, every dll beside the manifest, so it loads its Azure.Core into the default context.
    Remove-BuildItem -Path $ProbeOutPath
    exec {
        dotnet publish ([IO.Path]::Combine($BuildRoot, 'tests', 'IsolationProbe', 'IsolationProbe.csproj')) `
            --configuration $Configuration --output $ProbeOutPath --nologo
    }
}

# Synopsis: Compile docs/en-US (platyPS-schema markdown) to the module's MAML help and about_*.help.txt topics.
task BuildHelp {
    Import-Module -Name ([IO.Path]::Combine($PSScriptRoot, 'HelpCompiler', 'HelpCompiler.psm1')) -Force
    $written = ConvertTo-MamlHelp -Path ([IO.Path]::Combine($BuildRoot, 'docs', 'en-US')) `
        -OutputPath ([IO.Path]::Combine($ModuleOutPath, 'en-US', "$ModuleName.dll-Help.xml"))
    Write-Build Green "Help ready: $(@($written).Name -join ', ')"
}

# Synopsis: Write the release artefacts to out/package: the nupkg (Publish-PSResource), the Azure Automation zip, SHA256SUMS, the outdated-dependencies report.
task PackageRelease {
    # Beyond the files the manifest names: every dependency the module loads, and its compiled help.
    $required = @($DependencyAssemblies | ForEach-Object { "Dependencies/$_.dll" }) +
        @("en-US/$ModuleName.dll-Help.xml", "en-US/about_$ModuleName.help.txt")
    $package = New-ReleasePackage -ModulePath $ModuleOutPath -OutputPath $PackageOutPath -RequiredFile $required `
        -ChangelogPath ([IO.Path]::Combine($BuildRoot, 'CHANGELOG.md')) -LicensePath ([IO.Path]::Combine($BuildRoot, 'LICENSE'))
    # After the package, since New-ReleasePackage empties out/package first: which shipped dependencies have newer versions.
    & ([IO.Path]::Combine($PSScriptRoot, 'Write-OutdatedReport.ps1')) -OutputPath $PackageOutPath | Out-Null
    Write-Build Green "Package $($package.Version) ready: $PackageOutPath ($(Split-Path $package.Nupkg -Leaf), $(Split-Path $package.Zip -Leaf), SHA256SUMS, outdated-dependencies.md)"
}

function Add-SuiteResult {
    param([object]$Result)

    $SuiteResults.Add($Result)
    Write-SuiteResult $Result
}

function Invoke-TestSuite {
    # Runs one suite's runner, which writes ResultPath, and records what that file says.
    param([string]$Name, [string]$ResultPath, [scriptblock]$Run)

    try {
        # A file left by an earlier run must not pass for this one's.
        Remove-BuildItem -Path $ResultPath
        New-Item -Path $TestResultsPath -ItemType Directory -Force | Out-Null
        & $Run
        $result = Read-TestResult -Name $Name -Path $ResultPath -ExitCode $LASTEXITCODE
    }
    catch {
        $result = New-SuiteResult -Name $Name -Problem "The suite did not finish: $_"
    }
    Add-SuiteResult $result
}

function Invoke-PesterSuite {
    param([string]$Name, [string]$TestPath, [string]$ResultName)

    $resultPath = [IO.Path]::Combine($TestResultsPath, "$ResultName.xml")
    Invoke-TestSuite -Name $Name -ResultPath $resultPath -Run {
        if (-not $PesterPath) {
            throw 'No -PesterPath was given; run the build through build.ps1.'
        }
        Invoke-ChildPwsh -ScriptPath ([IO.Path]::Combine($PSScriptRoot, 'Invoke-PesterTests.ps1')) -Parameters @{
            PesterPath   = $PesterPath
            ModuleRoot   = $OutPath
            TestPath     = $TestPath
            EmulatorPath = $EmulatorPath
            ResultPath   = $resultPath
        }
    }
}

# Synopsis: Run the xUnit tests (client layer, module load code).
task UnitTests {
    foreach ($suite in $UnitTestProjects.GetEnumerator()) {
        $project = $suite.Value
        Invoke-TestSuite -Name $suite.Key -ResultPath ([IO.Path]::Combine($TestResultsPath, "$project.trx")) -Run {
            dotnet test ([IO.Path]::Combine($BuildRoot, 'tests', $project, "$project.csproj")) `
                --configuration $Configuration --nologo `
                --logger "trx;LogFileName=$project.trx" --results-directory $TestResultsPath
        }
    }
}

# Synopsis: Run tests/Pester/*.Tests.ps1 against out/VppToken in a fresh pwsh.
task PesterTests {
    Invoke-PesterSuite -Name $PesterSuite -TestPath ([IO.Path]::Combine($BuildRoot, 'tests', 'Pester')) -ResultName 'Pester'
}

$HasMono = [bool](Get-Command -Name mono -CommandType Application -ErrorAction SilentlyContinue)

# Synopsis: Build the net472 harness of the Mono smoke test, where Mono is there to run it.
task BuildMonoSmoke -If { $HasMono } {
    Remove-BuildItem -Path $MonoSmokeOutPath
    # The harness is compiled against VppToken.Client, so it must ask for the version the module ships.
    exec {
        dotnet build ([IO.Path]::Combine($BuildRoot, 'tests', 'MonoSmoke', 'MonoSmoke.csproj')) `
            --configuration $Configuration --output $MonoSmokeOutPath --nologo "-p:Version=$Version"
    }
}

# Synopsis: Where Mono is installed, run VppToken.Client through the module's resolver on the .NET Framework profile.
task MonoSmokeTests BuildMonoSmoke, {
    if (-not $HasMono) {
        # CI installs Mono (.ci/run), so there a missing mono is a broken run, not a choice.
        $problem = if ($env:CI -eq 'true') { 'mono is not on PATH, although .ci/run installs it.' }
        Add-SuiteResult (New-SuiteResult -Name $MonoSuite -Problem $problem `
                -Note 'not run: mono is not on PATH (apt-get install mono-runtime mono-devel)')
        return
    }
    Invoke-PesterSuite -Name $MonoSuite -TestPath ([IO.Path]::Combine($BuildRoot, 'tests', 'MonoSmoke')) -ResultName 'MonoSmoke'
}

# Synopsis: Fail on a known vulnerability in any package the module ships (and show when the source has no data).
task VulnerabilityAudit {
    $products = foreach ($project in $ModuleName, 'VppToken.Client') {
        [IO.Path]::Combine($BuildRoot, 'src', $project, "$project.csproj")
    }
    # The audit is no test runner with a result file: it hands back a suite's counts itself.
    $audit = & ([IO.Path]::Combine($PSScriptRoot, 'Invoke-VulnerabilityAudit.ps1')) -Project $products
    Add-SuiteResult (New-SuiteResult -Name $AuditSuite -Passed $audit.Passed -Failed $audit.Failed -Skipped $audit.Skipped `
            -FailedTests $audit.FailedTests -Problem $audit.Problem -Note $audit.Note)
}

# Synopsis: Print every suite's counts and the one total line; fail if anything failed or a suite did not run.
task TestSummary {
    foreach ($suite in @($UnitTestProjects.Keys) + $PesterSuite + $MonoSuite + $AuditSuite) {
        if ($suite -notin @($SuiteResults | ForEach-Object Name)) {
            $SuiteResults.Add((New-SuiteResult -Name $suite -Problem 'The suite did not run.'))
        }
    }

    $passed = ($SuiteResults | Measure-Object -Property Passed -Sum).Sum
    $failed = ($SuiteResults | Measure-Object -Property Failed -Sum).Sum
    $skipped = ($SuiteResults | Measure-Object -Property Skipped -Sum).Sum

    Write-Build Cyan 'Test summary'
    foreach ($result in $SuiteResults) {
        Write-SuiteResult $result
    }
    $line = "$passed passed, $failed failed"
    if ($skipped -gt 0) {
        $line += ", $skipped skipped"
    }
    # Plain Write-Host on purpose: CI reads this exact line, so it must carry no colour codes.
    Write-Host $line

    $problems = @($SuiteResults | Where-Object Problem)
    if ($failed -gt 0 -or $problems) {
        throw "Tests failed: $failed failure(s) across $($SuiteResults.Count) suite(s)."
    }
}

# Synopsis: Build, then run the module against the emulator and narrate each step.
task Demo Build, {
    # The demo runs its printed commands from the repository's root, against what Build put in out/.
    Invoke-ChildPwsh -ScriptPath ([IO.Path]::Combine($PSScriptRoot, 'Start-Demo.ps1')) -Parameters @{ RepositoryRoot = $BuildRoot }
    if ($LASTEXITCODE) {
        throw "The demo failed (pwsh exited with $LASTEXITCODE)."
    }
}

# Synopsis: Build, then measure import, per-call cost, bulk pacing, many tenants and memory (prints figures; never fails on a time).
task Bench Build, {
    $benchOut = [IO.Path]::Combine($BuildRoot, 'out', 'Bench', 'EmptyModule')
    exec { dotnet publish ([IO.Path]::Combine($BuildRoot, 'tools', 'Bench', 'EmptyModule', 'EmptyModule.csproj')) -c $Configuration -o $benchOut --nologo -v quiet }
    Copy-Item -LiteralPath ([IO.Path]::Combine($BuildRoot, 'tools', 'Bench', 'EmptyModule', 'EmptyModule.psd1')) -Destination $benchOut
    $floorOut = [IO.Path]::Combine($BuildRoot, 'out', 'Bench', 'FloorModule')
    exec { dotnet publish ([IO.Path]::Combine($BuildRoot, 'tools', 'Bench', 'FloorModule', 'FloorModule.csproj')) -c $Configuration -o $floorOut --nologo -v quiet }
    Copy-Item -LiteralPath ([IO.Path]::Combine($BuildRoot, 'tools', 'Bench', 'FloorModule', 'FloorModule.psd1')) -Destination $floorOut
    Invoke-ChildPwsh -ScriptPath ([IO.Path]::Combine($PSScriptRoot, 'Bench', 'Invoke-Benchmark.ps1')) -Parameters @{
        ModulePath         = $ModuleOutPath
        EmptyModulePath    = $benchOut
        FloorModulePath    = $floorOut
        EmulatorModulePath = [IO.Path]::Combine($BuildRoot, 'tests', 'Pester', 'GraphEmulator.psm1')
        EmulatorPath       = $EmulatorPath
        ResultPath         = [IO.Path]::Combine($BuildRoot, 'bench', 'results.md')
    }
    if ($LASTEXITCODE) {
        throw "The benchmark failed (pwsh exited with $LASTEXITCODE)."
    }
}

# Synopsis: Mutation-test the client layer (Stryker.NET against the xUnit suite) and write bench/mutation.md. Not part of Test: over half an hour on two cores. VPPTOKEN_MUTATE (globs, ';'-separated) narrows it to some files and writes out/Stryker/mutation.md instead; VPPTOKEN_MUTATE_CONCURRENCY sets the parallel test runs (1 by default).
task Mutate {
    $testFolder = [IO.Path]::Combine($BuildRoot, 'tests', 'VppToken.Client.Tests')
    $strykerOut = [IO.Path]::Combine($OutPath, 'Stryker')
    $reportPath = [IO.Path]::Combine($strykerOut, 'reports', 'mutation-report.json')
    Remove-BuildItem -Path $strykerOut

    $concurrency = if ($env:VPPTOKEN_MUTATE_CONCURRENCY) { [int]$env:VPPTOKEN_MUTATE_CONCURRENCY } else { 1 }
    $arguments = [Collections.Generic.List[string]]@('stryker', '--config-file', 'stryker-config.json', '--output', $strykerOut, '--concurrency', "$concurrency")
    $only = @(($env:VPPTOKEN_MUTATE ?? '') -split ';' | Where-Object { $_.Trim() })
    foreach ($glob in $only) {
        $arguments.AddRange([string[]]@('--mutate', $glob.Trim()))
    }

    # Stryker restores, builds and mutates in the test project's own folder, and leaves a mutated client dll in its
    # bin/ when stopped halfway; the next build of the test project replaces it.
    $clock = [Diagnostics.Stopwatch]::StartNew()
    Push-Location -LiteralPath $testFolder
    try {
        exec { dotnet @arguments }
    }
    finally {
        Pop-Location
    }
    if (-not (Test-Path -LiteralPath $reportPath)) {
        throw "Stryker wrote no report ($reportPath)."
    }

    # A run narrowed to some files leaves bench/mutation.md, the figures of the whole set, alone.
    $resultPath = if ($only) { [IO.Path]::Combine($strykerOut, 'mutation.md') } else { [IO.Path]::Combine($BuildRoot, 'bench', 'mutation.md') }
    $files = if ($only) { $only -join ', ' } else { 'the files stryker-config.json names' }
    $description = "mutated: $files; concurrency $concurrency; $('{0:N0}' -f $clock.Elapsed.TotalMinutes) min on $([Environment]::ProcessorCount) cores"
    & ([IO.Path]::Combine($PSScriptRoot, 'Write-MutationReport.ps1')) -ReportPath $reportPath `
        -EquivalentPath ([IO.Path]::Combine($testFolder, 'EquivalentMutants.md')) `
        -ResultPath $resultPath -RunDescription $description
}

# The task graph, read top down: each entry task lists the tasks it runs, in order.

# Synopsis: Build the module and its help, the emulator and the isolation probe.
task Build BuildModule, BuildHelp, BuildEmulator, BuildIsolationProbe

# Synopsis: Build, then write the release artefacts to out/package.
task Package Build, PackageRelease

# Synopsis: Build and package, run every test suite, print one total line, and fail if anything failed or did not run.
# Package comes first because the package tests install what it writes to out/package.
task Test Build, Package, UnitTests, PesterTests, MonoSmokeTests, VulnerabilityAudit, TestSummary

task . Build
