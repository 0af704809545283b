#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# A failure to load the module's own dependencies must end as one clear error, not a raw TypeLoadException or
# FileLoadException. Here the installed module is damaged on purpose: its Dependencies/Azure.Core.dll is replaced by
# the older one IsolationProbe ships, so the client cannot bind the Azure.Core it was built against. Each run is a
# fresh pwsh (a process cannot unload what it loaded); its error records come back as JSON and are judged here.
# On Windows PowerShell 5.1 the same error is raised at import (the Mono smoke test covers that path).

BeforeAll {
    Import-Module -Name ([IO.Path]::Combine($PSScriptRoot, 'GraphEmulator.psm1')) -Force

    $outPath = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..', 'out'))
    $script:BrokenModule = [IO.Path]::Combine($TestDrive, 'broken', 'VppToken')
    $null = New-Item -Path ([IO.Path]::GetDirectoryName($BrokenModule)) -ItemType Directory -Force
    Copy-Item -LiteralPath ([IO.Path]::Combine($outPath, 'VppToken')) -Destination $BrokenModule -Recurse
    $script:BrokenDependencies = [IO.Path]::Combine($BrokenModule, 'Dependencies')
    Copy-Item -LiteralPath ([IO.Path]::Combine($outPath, 'IsolationProbe', 'Azure.Core.dll')) -Destination $BrokenDependencies -Force
    $script:ShippedAzureCore = [Reflection.AssemblyName]::GetAssemblyName(
        [IO.Path]::Combine($outPath, 'VppToken', 'Dependencies', 'Azure.Core.dll')).Version.ToString()

    $script:PwshPath = [Environment]::ProcessPath
    $script:PwshArguments = @(
        if ([IO.Path]::GetFileNameWithoutExtension($PwshPath) -eq 'dotnet') { [IO.Path]::Combine($PSHOME, 'pwsh.dll') }
    )

    $script:ChildScriptPath = [IO.Path]::Combine($TestDrive, 'Invoke-BrokenModule.ps1')
    Set-Content -LiteralPath $ChildScriptPath -Encoding utf8 -Value @'
param([string]$ModulePath, [string]$Uri, [string]$ResultPath)
$result = [ordered]@{ Imported = $false; ImportError = $null; Errors = @() }
$failures = [System.Collections.Generic.List[object]]::new()
try {
    Import-Module -Name $ModulePath -ErrorAction Stop
    $result.Imported = $true
}
catch {
    $result.ImportError = "$($_.Exception.GetType().FullName): $($_.Exception.Message)"
}
if ($result.Imported) {
    # A cmdlet's terminating error is caught here; one that writes a non-terminating error lands in -ErrorVariable.
    $token = ConvertTo-SecureString -String 'load-failure-test' -AsPlainText -Force
    try {
        Connect-IntuneVpp -AccessToken $token -GraphEndpoint $Uri -ErrorVariable more -ErrorAction SilentlyContinue
        $failures.AddRange(@($more))
    }
    catch {
        $failures.Add($_)
    }
    try {
        Get-IntuneVppToken -ErrorVariable more -ErrorAction SilentlyContinue | Out-Null
        $failures.AddRange(@($more))
    }
    catch {
        $failures.Add($_)
    }
}
$result.Errors = @(foreach ($record in $failures) {
    [ordered]@{
        ErrorId           = $record.FullyQualifiedErrorId
        Category          = [string]$record.CategoryInfo.Category
        ExceptionType     = $record.Exception.GetType().FullName
        InnerType         = if ($record.Exception.InnerException) { $record.Exception.InnerException.GetType().FullName }
        Message           = $record.Exception.Message
        Details           = if ($record.ErrorDetails) { $record.ErrorDetails.Message }
        RecommendedAction = if ($record.ErrorDetails) { $record.ErrorDetails.RecommendedAction }
        Target            = [string]$record.TargetObject
    }
})
$result | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $ResultPath -Encoding utf8
'@

    $script:Emulator = Start-GraphEmulator
    $resultPath = [IO.Path]::Combine($TestDrive, 'broken.json')
    $output = & $PwshPath @PwshArguments -NoProfile -NonInteractive -File $ChildScriptPath `
        -ModulePath $BrokenModule -Uri $Emulator.Uri.AbsoluteUri -ResultPath $resultPath 2>&1
    if (-not (Test-Path -LiteralPath $resultPath)) {
        throw "The child pwsh wrote no result (exit code $LASTEXITCODE): $($output -join [Environment]::NewLine)"
    }
    $script:Result = Get-Content -LiteralPath $resultPath -Raw | ConvertFrom-Json
    $script:Requests = @(Get-GraphEmulatorRequest -Emulator $Emulator)
}

AfterAll {
    if (Get-Variable -Name Emulator -Scope Script -ErrorAction SilentlyContinue) {
        Stop-GraphEmulator -Emulator $Emulator
    }
}

Describe 'A module whose Dependencies folder holds the wrong Azure.Core' {
    It 'still imports (PowerShell 7 checks its dependencies at first use)' {
        $Result.ImportError | Should -BeNullOrEmpty
        $Result.Imported | Should -BeTrue
    }

    It 'ends each call with one DependencyLoadFailed error, never a raw load exception' {
        @($Result.Errors).Count | Should -Be 2 -Because 'Connect-IntuneVpp fails, then Get-IntuneVppToken finds no connection'
        $load = $Result.Errors[0]
        $load.ErrorId | Should -BeLike 'DependencyLoadFailed,*'
        $load.Category | Should -Be 'ResourceUnavailable'
        $load.ExceptionType | Should -Be 'IntuneVpp.Module.DependencyLoadException'
        $load.InnerType | Should -BeIn 'System.IO.FileLoadException', 'System.IO.FileNotFoundException', 'System.TypeLoadException', 'System.MissingMethodException'
        $Result.Errors[1].ErrorId | Should -BeLike 'NotConnected,*'
    }

    It 'names the assembly, the version asked for and where it was looked for, and says what to do' {
        $load = $Result.Errors[0]
        $load.Message | Should -BeLike "*Azure.Core, Version=$ShippedAzureCore*"
        $load.Message | Should -BeLike "*$BrokenDependencies*"
        $load.RecommendedAction | Should -BeLike 'Reinstall the VppToken module*'
        # Shown once: the record's message, then PowerShell's "Recommendation" line.
        $load.Details | Should -Not -BeLike '*Reinstall*'
        $load.Message | Should -Be "$($load.Details) $($load.RecommendedAction)"
        $load.Target | Should -Be ([IO.Path]::Combine($BrokenDependencies, 'Azure.Core.dll'))
    }

    It 'sends nothing to Graph' {
        $Requests | Should -BeNullOrEmpty
    }
}
