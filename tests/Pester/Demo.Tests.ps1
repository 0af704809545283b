#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# The demo (tools/Start-Demo.ps1, the build's Demo task) prints every command it runs, the emulator's start and
# stop included, and a newcomer who types those lines into pwsh at the repository's root gets the same result.
# Both run in a child pwsh, as the build runs the demo.

BeforeAll {
    $script:Root = [IO.Path]::GetFullPath([IO.Path]::Combine($PSScriptRoot, '..', '..'))

    # Runs a script file in a child pwsh from the repository's root; returns its exit code and screen, colourless.
    function script:Invoke-ChildScript([string] $Path, [string[]] $Arguments = @()) {
        $hostPath = [Environment]::ProcessPath
        $start = [System.Diagnostics.ProcessStartInfo]::new($hostPath)
        # Under `dotnet pwsh` (the build's local tool) this process is the dotnet host running pwsh.dll.
        if ([IO.Path]::GetFileNameWithoutExtension($hostPath) -eq 'dotnet') { $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
        foreach ($argument in @('-NoProfile', '-NonInteractive', '-File', $Path) + $Arguments) { $start.ArgumentList.Add($argument) }
        $start.WorkingDirectory = $Root
        $start.UseShellExecute = $false
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.Environment['NO_COLOR'] = '1'
        $null = $start.Environment.Remove('VPPTOKEN_EMULATOR_DLL')
        $process = [System.Diagnostics.Process]::Start($start)
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit(120000)) {
            $process.Kill($true)
            throw "The child pwsh did not finish within 120 s: $($stdout.Result) $($stderr.Result)"
        }
        $process.WaitForExit()
        [pscustomobject]@{
            ExitCode = $process.ExitCode
            Lines    = @(($stdout.Result -replace '\x1b\[[0-9;]*m', '') -split '\r?\n')
            Errors   = $stderr.Result
        }
    }

    # The emulator process a run started, from the line Start-Emulator.ps1 prints.
    function script:Get-EmulatorProcessId([string[]] $Lines) {
        $line = @($Lines | Where-Object { $_ -match '^Graph emulator listening at http://127\.0\.0\.1:\d+/ \(process (?<id>\d+)\)' })
        $line.Count | Should -Be 1 -Because 'the emulator says where it listens, once'
        [int]$Matches.id
    }

    $script:Demo = Invoke-ChildScript -Path ([IO.Path]::Combine($Root, 'tools', 'Start-Demo.ps1'))
    $script:Printed = @($Demo.Lines | Where-Object { $_ -like 'PS> *' } | ForEach-Object { $_.Substring(4) })
}

Describe 'The demo' {
    It 'runs to the end without an error' {
        $Demo.Errors | Should -BeNullOrEmpty
        $Demo.ExitCode | Should -Be 0
    }

    It 'prints the emulator''s start first and its stop last, as commands a person can type' {
        $Printed[0] | Should -BeLike 'Set-Location *'
        $Printed[1] | Should -BeExactly '$emulator = ./tools/Start-Emulator.ps1'
        $Printed[-1] | Should -BeExactly '$emulator.Stop()'
        $Printed | Should -Contain 'Import-Module ./out/VppToken'
        $Printed | Should -Contain 'Get-IntuneVppToken'
    }

    It 'stops the emulator it started' {
        $id = Get-EmulatorProcessId $Demo.Lines
        Get-Process -Id $id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'can be repeated by hand: the printed lines alone, typed at the repository''s root, do the same' {
        $typed = Join-Path $TestDrive 'typed.ps1'
        Set-Content -LiteralPath $typed -Value (@('$ErrorActionPreference = ''Stop''') + $Printed)

        $replay = Invoke-ChildScript -Path $typed

        $replay.Errors | Should -BeNullOrEmpty
        $replay.ExitCode | Should -Be 0
        $replay.Lines | Should -Contain ($Demo.Lines | Where-Object { $_ -like 'What if:*' })
        @($replay.Lines | Where-Object { $_ -match '^AutomaticallyUpdateApps\s*: True' }).Count | Should -Be 1
        @($replay.Lines | Where-Object { $_ -match '^[0-9a-f]{8}-[0-9a-f-]{27} ' }).Count | Should -Be 4 -Because 'the token table lists the four seeded tokens'
        Get-Process -Id (Get-EmulatorProcessId $replay.Lines) -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'The README' {
    It 'says how to start the emulator in one line, the line the demo runs' {
        $readme = Get-Content -LiteralPath (Join-Path $Root 'README.md') -Raw
        $readme | Should -Match "(?m)^$([regex]::Escape($Printed[1]))\s" -Because 'the README shows, on a line of its own, the start command the demo proves'
    }
}
