#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# What -WhatIf and -Confirm say: the token's organization (read first when only an id is given), the values to be
# sent with secrets masked; and that a plain run reads nothing extra. The confirmation prompt is read from a host
# that records what it is asked and answers as told.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GraphEmulator.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TokenFiles.psm1') -Force
    Import-Module VppToken -Force

    $script:emu = Start-GraphEmulator
    Connect-IntuneVpp -AccessToken (ConvertTo-SecureString 'pester-token' -AsPlainText -Force) -GraphEndpoint $emu.Uri
    $script:Beta = Connect-IntuneVpp -AccessToken (ConvertTo-SecureString 'pester-token' -AsPlainText -Force) -GraphEndpoint $emu.Uri -ApiVersion beta -PassThru
    Connect-IntuneVpp -AccessToken (ConvertTo-SecureString 'pester-token' -AsPlainText -Force) -GraphEndpoint $emu.Uri
    $script:ItemPrefix = '/v1.0/deviceAppManagement/vppTokens/'

    # The "What if:" lines a command wrote to the host: ShouldProcess writes them there, to no stream.
    function script:Get-WhatIfLine([scriptblock] $Command) {
        $transcript = Join-Path $TestDrive "whatif-$([guid]::NewGuid().ToString('N')).txt"
        $null = Start-Transcript -LiteralPath $transcript
        try { $null = & $Command } finally { $null = Stop-Transcript }
        @(Get-Content -LiteralPath $transcript | Where-Object { $_ -like 'What if:*' })
    }

    function script:Get-Method { @(Get-GraphEmulatorRequest -Emulator $emu | ForEach-Object { '{0} {1}' -f $_.method, $_.path }) }

    # A host whose prompts are recorded and answered with the choice labelled $Answer ('&Yes', '&No').
    Add-Type -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

public sealed class PesterPromptHost : PSHost
{
    private readonly PromptUI _ui;
    public PesterPromptHost(string answer) { _ui = new PromptUI(answer); }
    public List<string> Prompts => _ui.Prompts;
    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override string Name => "PesterPromptHost";
    public override PSHostUserInterface UI => _ui;
    public override Version Version => new Version(1, 0);
    public override void EnterNestedPrompt() { }
    public override void ExitNestedPrompt() { }
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
    public override void SetShouldExit(int exitCode) { }

    private sealed class PromptUI : PSHostUserInterface
    {
        private readonly string _answer;
        public PromptUI(string answer) { _answer = answer; }
        public List<string> Prompts { get; } = new List<string>();
        public override PSHostRawUserInterface RawUI => null;
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            Prompts.Add(caption + "\n" + message);
            for (int i = 0; i < choices.Count; i++) { if (choices[i].Label == _answer) { return i; } }
            throw new InvalidOperationException("No choice " + _answer);
        }
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException();
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();
        public override string ReadLine() => throw new NotSupportedException();
        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException();
        public override void Write(string value) { }
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { }
        public override void WriteDebugLine(string message) { }
        public override void WriteErrorLine(string value) { }
        public override void WriteLine(string value) { }
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) { }
        public override void WriteWarningLine(string message) { }
    }
}
'@

    # Runs $Script in a runspace of that host, connected to the emulator; returns the prompts it was shown.
    function script:Invoke-WithPrompt([string] $Answer, [string] $Script) {
        $promptHost = [PesterPromptHost]::new($Answer)
        $runspace = [runspacefactory]::CreateRunspace($promptHost)
        $runspace.Open()
        $shell = [powershell]::Create()
        $shell.Runspace = $runspace
        try {
            $null = $shell.AddScript("Import-Module VppToken; Connect-IntuneVpp -AccessToken (ConvertTo-SecureString 'pester-token' -AsPlainText -Force) -GraphEndpoint '$($emu.Uri)'; $Script")
            $null = $shell.Invoke()
            [pscustomobject]@{ Prompts = @($promptHost.Prompts); Errors = @($shell.Streams.Error) }
        }
        finally {
            $shell.Dispose()
            $runspace.Dispose()
        }
    }
}

AfterAll {
    Disconnect-IntuneVpp -ErrorAction SilentlyContinue
    Stop-GraphEmulator -Emulator $emu
}

Describe 'Remove-IntuneVppToken, given an id only' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
    }

    It 'names the organization with -WhatIf, reading the token first, and deletes nothing' {
        $whatIf = @(Get-WhatIfLine { Remove-IntuneVppToken -Id $SeedTokenId.Fabrikam -WhatIf })

        $whatIf.Count | Should -Be 1
        $whatIf[0] | Should -BeLike "*Remove*$($SeedTokenId.Fabrikam) (Fabrikam School District)*"
        Get-Method | Should -Be @("GET $ItemPrefix$($SeedTokenId.Fabrikam)")
    }

    It 'names the organization under $WhatIfPreference as with -WhatIf' {
        $whatIf = @(Get-WhatIfLine { $WhatIfPreference = $true; Remove-IntuneVppToken -Id $SeedTokenId.Fabrikam })

        $whatIf | Should -BeLike "*(Fabrikam School District)*"
        @(Get-GraphEmulatorRequest -Emulator $emu -Method DELETE).Count | Should -Be 0
    }

    It 'names the organization in the confirmation it asks by default, and deletes nothing when told No' {
        $run = Invoke-WithPrompt -Answer '&No' -Script "Remove-IntuneVppToken -Id $($SeedTokenId.Fabrikam)"

        $run.Errors | Should -BeNullOrEmpty
        $run.Prompts.Count | Should -Be 1
        $run.Prompts[0] | Should -BeLike "*Remove from Intune*VPP token $($SeedTokenId.Fabrikam) (Fabrikam School District)*"
        Get-Method | Should -Be @("GET $ItemPrefix$($SeedTokenId.Fabrikam)")
    }

    It 'deletes when the confirmation is answered Yes' {
        $run = Invoke-WithPrompt -Answer '&Yes' -Script "Remove-IntuneVppToken -Id $($SeedTokenId.Fabrikam)"

        $run.Errors | Should -BeNullOrEmpty
        $run.Prompts.Count | Should -Be 1
        Get-Method | Should -Be @("GET $ItemPrefix$($SeedTokenId.Fabrikam)", "DELETE $ItemPrefix$($SeedTokenId.Fabrikam)")
    }

    It 'reads nothing first when nothing will ask: <Scenario>' -TestCases @(
        @{ Scenario = '-Force'; Splat = @{ Force = $true } }
        @{ Scenario = '-Confirm:$false'; Splat = @{ Confirm = $false } }
    ) {
        Remove-IntuneVppToken -Id $SeedTokenId.Fabrikam @Splat

        Get-Method | Should -Be @("DELETE $ItemPrefix$($SeedTokenId.Fabrikam)")
    }

    It 'makes an id that does not exist the item''s error under -WhatIf, and goes on' {
        $unknown = '11111111-2222-4333-8444-555555555555'

        $err = [System.Collections.ArrayList]::new()

        $whatIf = @(Get-WhatIfLine { $unknown, $SeedTokenId.Labs | Remove-IntuneVppToken -WhatIf -ErrorVariable +err -ErrorAction SilentlyContinue })

        @($err).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'GraphNotFound,*'
        $err[0].TargetObject | Should -Be $unknown
        $whatIf | Should -BeLike '*(Contoso Labs)*'
    }
}

Describe 'Set-IntuneVppToken -WhatIf' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
    }

    It 'shows the organization and each value to be set, as it will be sent' {
        $whatIf = @(Get-WhatIfLine {
            Set-IntuneVppToken -Id $SeedTokenId.Contoso -AutomaticallyUpdateApps $false -CountryOrRegion us -State VALID `
                -ExpirationDateTime '2031-05-06T07:08:09+02:00' -WhatIf
        })

        $whatIf.Count | Should -Be 1
        $whatIf[0] | Should -BeLike "*(Contoso Ltd.)*"
        $whatIf[0] | Should -BeLike "*ExpirationDateTime = 2031-05-06T07:08:09+02:00, State = 'valid', AutomaticallyUpdateApps = False, CountryOrRegion = 'us'*"
        @(Get-GraphEmulatorRequest -Emulator $emu -Method PATCH).Count | Should -Be 0
    }

    It 'masks the token' {
        $secret = 'pester-apple-token-not-for-display'

        $whatIf = @(Get-WhatIfLine { Set-IntuneVppToken -Id $SeedTokenId.Contoso -Token (ConvertTo-SecureString $secret -AsPlainText -Force) -WhatIf })

        $whatIf | Should -BeLike '*Token = `*`*`**'
        $whatIf | Should -Not -BeLike "*$secret*"
    }

    It 'renewing, shows the other values set beside the file' {
        $file = New-TestTokenFile -Kind Valid -OrganizationName 'Contoso Ltd.'

        $whatIf = @(Get-WhatIfLine { Set-IntuneVppToken -Id $SeedTokenId.Contoso -TokenFile $file.Path -CountryOrRegion gb -WhatIf })

        $whatIf | Should -BeLike "*Renew with '$($file.Path)'* and set CountryOrRegion = 'gb'*"
        $whatIf | Should -Not -BeLike '*Token =*'
    }

    It 'reads nothing first in a plain run' {
        Set-IntuneVppToken -Id $SeedTokenId.Contoso -CountryOrRegion us

        Get-Method | Should -Be @("PATCH $ItemPrefix$($SeedTokenId.Contoso)")
    }

    It 'names the organization when $ConfirmPreference makes it ask' {
        $run = Invoke-WithPrompt -Answer '&No' -Script "`$ConfirmPreference = 'Medium'; Set-IntuneVppToken -Id $($SeedTokenId.Labs) -AutomaticallyUpdateApps `$true"

        $run.Prompts.Count | Should -Be 1
        $run.Prompts[0] | Should -BeLike "*Set AutomaticallyUpdateApps = True*(Contoso Labs)*"
        @(Get-GraphEmulatorRequest -Emulator $emu -Method PATCH).Count | Should -Be 0
    }
}

Describe 'The other cmdlets'' -WhatIf' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
    }

    It 'Sync-IntuneVppToken names the organization' {
        $whatIf = @(Get-WhatIfLine { Sync-IntuneVppToken -Id $SeedTokenId.Retail -WhatIf })

        $whatIf | Should -BeLike '*Sync licenses*(Contoso Retail)*'
        @(Get-GraphEmulatorRequest -Emulator $emu -Method POST).Count | Should -Be 0
    }

    It 'Revoke-IntuneVppTokenLicense names the organization and both choices' {
        $whatIf = @(Get-WhatIfLine { Revoke-IntuneVppTokenLicense -Id $SeedTokenId.Fabrikam -NotifyManagedDevices $true -Connection $Beta -WhatIf })

        $whatIf | Should -BeLike '*NotifyManagedDevices = True, RevokeUntrackedLicenses = False*(Fabrikam School District)*'
        @(Get-GraphEmulatorRequest -Emulator $emu -Method POST).Count | Should -Be 0
    }

    It 'New-IntuneVppToken -TokenFile shows the file and the values' {
        $file = New-TestTokenFile -Kind Valid -OrganizationName 'Northwind'

        $whatIf = @(Get-WhatIfLine { New-IntuneVppToken -TokenFile $file.Path -AppleId 'vpp@northwind.example' -AutomaticallyUpdateApps $false -WhatIf })

        $whatIf | Should -BeLike "*Add to Intune with AppleId = 'vpp@northwind.example', AutomaticallyUpdateApps = False*'Northwind'*"
        @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
    }

    It 'New-IntuneVppToken -Token masks the token' {
        $secret = 'pester-apple-token-for-new'

        $whatIf = @(Get-WhatIfLine { New-IntuneVppToken -Token (ConvertTo-SecureString $secret -AsPlainText -Force) -AppleId 'a@b.example' -WhatIf })

        $whatIf | Should -BeLike "*AppleId = 'a@b.example', Token = `*`*`**"
        $whatIf | Should -Not -BeLike "*$secret*"
    }
}
