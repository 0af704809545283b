#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Read-IntuneVppTokenFile: Apple's .vpptoken file decoded locally. The emulator runs only to prove that reading a file
# sends nothing anywhere.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TokenFiles.psm1') -Force
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:emu = Start-VppTokenTest -Helper TokenFiles -Connect
}

AfterAll {
    Stop-VppTokenTest
}

Describe 'Read-IntuneVppTokenFile' {
    Context 'A valid file' {
        It 'returns the organization, the expiration with its offset, the days left and the token for <Scenario>' -TestCases @(
            @{ Scenario = 'a file that expires in a year'; Days = 365.5; Organization = 'Contoso Ltd.' }
            @{ Scenario = 'a file that expires in 30 days and an hour'; Days = 30.04; Organization = 'ORG.2009071600' }
            @{ Scenario = 'an organization with non-ASCII letters'; Days = 10.5; Organization = 'École Zürich – Ñandú' }
        ) {
            $file = New-TestTokenFile -Kind Valid -OrganizationName $Organization -ExpiresIn ([TimeSpan]::FromDays($Days))

            $read = @(Read-IntuneVppTokenFile -Path $file.Path -ErrorVariable err)

            $err | Should -BeNullOrEmpty
            $read.Count | Should -Be 1
            $read[0].PSObject.TypeNames | Should -Contain 'IntuneVpp.AppleVppTokenFile'
            $read[0].Path | Should -Be $file.Path
            $read[0].OrganizationName | Should -BeExactly $Organization
            $read[0].ExpirationDateTime | Should -BeOfType [DateTimeOffset]
            $read[0].ExpirationDateTime | Should -Be $file.Expiration
            $read[0].ExpirationDateTime.Offset | Should -Be ([TimeSpan]::FromHours(-7)) -Because "the file says $($file.ExpDate)"
            $read[0].DaysUntilExpiration | Should -Be ([Math]::Floor($Days))
            $read[0].IsExpired | Should -BeFalse
            $read[0].Token | Should -BeOfType [securestring]
            ConvertFrom-TestSecureString $read[0].Token | Should -BeExactly $file.Content -Because 'Intune takes the whole base64 file content as the token'
        }

        It 'reads Apple''s documented example, whose offset is -0700' {
            $example = '{"token":"t1XoUzpLEtpdla+nsxCdwrct0RjwdicNhdkynRMm9UP2shRa0LRuFqZP3JKBbTMlCHN6j3mkTzYYPmUdUrWWlw==","expDate":"2014-08-15T18:13:52-0700","orgName":"ORG.2009071600"}'
            $content = [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($example))
            $path = Join-Path $TestDrive 'apple-example.vpptoken'
            Set-Content -LiteralPath $path -Value $content -NoNewline

            $read = Read-IntuneVppTokenFile $path

            $read.OrganizationName | Should -BeExactly 'ORG.2009071600'
            $read.ExpirationDateTime | Should -Be ([DateTimeOffset]::new(2014, 8, 15, 18, 13, 52, [TimeSpan]::FromHours(-7)))
            $read.ExpirationDateTime.UtcDateTime | Should -Be ([datetime]::new(2014, 8, 16, 1, 13, 52, [DateTimeKind]::Utc))
            $read.IsExpired | Should -BeTrue
            $read.DaysUntilExpiration | Should -BeLessThan 0
            ConvertFrom-TestSecureString $read.Token | Should -BeExactly $content
        }

        It 'reads an expired file without an error and says it is expired' {
            $file = New-TestTokenFile -Kind Expired

            $read = Read-IntuneVppTokenFile -Path $file.Path -ErrorVariable err

            $err | Should -BeNullOrEmpty
            $read.IsExpired | Should -BeTrue
            $read.DaysUntilExpiration | Should -BeLessThan 0
            $read.DaysUntilExpiration | Should -BeGreaterOrEqual -6 -Because 'it expired five days ago'
        }

        It 'takes the token without the line break an editor may add at the end' {
            $file = New-TestTokenFile -Kind Valid
            Add-Content -LiteralPath $file.Path -Value '' # appends a newline

            $read = Read-IntuneVppTokenFile -Path $file.Path

            ConvertFrom-TestSecureString $read.Token | Should -BeExactly $file.Content
        }

        It 'keeps the token out of its display' {
            $file = New-TestTokenFile -Kind Valid
            $read = Read-IntuneVppTokenFile -Path $file.Path

            $text = ($read | Format-List * | Out-String) + ($read | Format-Table | Out-String) + "$read"

            $text | Should -BeLike '*Contoso Ltd.*'
            $text | Should -Not -BeLike "*$($file.Content)*"
        }

        It 'sends nothing to Graph' {
            Clear-GraphEmulatorRequest -Emulator $emu
            $file = New-TestTokenFile -Kind Valid

            $read = @(Read-IntuneVppTokenFile -Path $file.Path -ErrorVariable err)

            $err | Should -BeNullOrEmpty -Because 'a cmdlet that failed before reading would also send nothing'
            $read.Count | Should -Be 1
            $read[0].OrganizationName | Should -BeExactly 'Contoso Ltd.'
            @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
        }
    }

    Context 'A corrupt file' {
        It 'writes one InvalidTokenFile error naming the file and the problem for <_>' -ForEach $CorruptTokenFileKinds {
            $file = New-TestTokenFile -Kind $_

            $read = Read-IntuneVppTokenFile -Path $file.Path -ErrorVariable err -ErrorAction SilentlyContinue

            $read | Should -BeNullOrEmpty
            @($err).Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidTokenFile,*'
            $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $err[0].TargetObject | Should -Be $file.Path
            $message = $err[0].ToString()
            $message | Should -BeLike "*$([WildcardPattern]::Escape($file.Path))*"
            $message | Should -BeLike $file.Problem
        }

        It 'writes TokenFileNotFound (ObjectNotFound) for a file that does not exist, in one clean sentence, with <Parameter>' -TestCases @(
            @{ Parameter = 'Path' }
            @{ Parameter = 'LiteralPath' }
        ) {
            $path = Join-Path $TestDrive 'missing.vpptoken'
            $splat = @{ $Parameter = $path }

            Read-IntuneVppTokenFile @splat -ErrorVariable err -ErrorAction SilentlyContinue

            @($err).Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'TokenFileNotFound,*'
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err[0].TargetObject | Should -Be $path
            $err[0].ToString() | Should -BeExactly "The token file '$path' does not exist."
        }

        It 'writes DriveNotFound for a path on a drive that does not exist and reads the next path, with <Parameter>' -TestCases @(
            @{ Parameter = 'Path' }
            @{ Parameter = 'LiteralPath' }
        ) {
            $good = New-TestTokenFile -Kind Valid -Directory (Join-Path $TestDrive 'after-nodrive') -Name 'good.vpptoken' -OrganizationName 'Org After'
            $splat = @{ $Parameter = @('nodrive:/missing.vpptoken', $good.Path) }

            $read = @(Read-IntuneVppTokenFile @splat -ErrorVariable err -ErrorAction SilentlyContinue)

            @($err).Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'DriveNotFound,*'
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err[0].ToString() | Should -BeLike "*'nodrive'*"
            @($read.OrganizationName) | Should -Be @('Org After') -Because 'the bad drive is that path''s error, not the end of the command'
        }

        It 'writes TokenFileUnreadable (PermissionDenied) for a file it may not read, and reads the next path' -Skip:$IsWindows {
            # An ordinary user may not read a file without read permission; root may, but not a write-only kernel
            # setting, which Linux refuses to open for reading whoever asks.
            $denied = if ((id -u) -ne '0') {
                $file = New-TestTokenFile -Kind Valid -Directory (Join-Path $TestDrive 'denied') -Name 'denied.vpptoken'
                chmod 000 $file.Path
                $file.Path
            }
            else { '/proc/sys/vm/drop_caches' }
            $good = New-TestTokenFile -Kind Valid -Directory (Join-Path $TestDrive 'after-denied') -Name 'good.vpptoken' -OrganizationName 'Org After Denied'

            $read = @(Read-IntuneVppTokenFile -LiteralPath $denied, $good.Path -ErrorVariable err -ErrorAction SilentlyContinue)

            @($err).Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'TokenFileUnreadable,*'
            $err[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
            $err[0].TargetObject | Should -Be $denied
            $err[0].ToString() | Should -BeExactly "The token file '$denied' cannot be read: access is denied." -Because 'the sentence names the file once'
            @($read.OrganizationName) | Should -Be @('Org After Denied')
        }

        It 'says a folder is a folder' {
            $folder = Join-Path $TestDrive 'a-folder.vpptoken'
            $null = New-Item -ItemType Directory -Path $folder -Force

            Read-IntuneVppTokenFile -LiteralPath $folder -ErrorVariable err -ErrorAction SilentlyContinue

            @($err).Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'TokenFileIsFolder,*'
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err[0].ToString() | Should -BeExactly "'$folder' is a folder, not a token file."
        }

        It 'says <Cmdlet> -TokenFile is missing, before anything is sent' -TestCases @(
            @{ Cmdlet = 'Set-IntuneVppToken' }
            @{ Cmdlet = 'New-IntuneVppToken' }
        ) {
            Clear-GraphEmulatorRequest -Emulator $emu
            $path = Join-Path $TestDrive 'not-there.vpptoken'
            $caught = $null

            try {
                if ($Cmdlet -eq 'Set-IntuneVppToken') { Set-IntuneVppToken -Id 0f5d8d4b-3c1e-4b7a-a2d4-6e9f1b2c3d4e -TokenFile $path -ErrorVariable err -ErrorAction SilentlyContinue }
                else { New-IntuneVppToken -TokenFile $path -ErrorVariable err -ErrorAction SilentlyContinue }
            }
            catch { $caught = $_ }

            $records = Select-ErrorRecord $err $caught
            $records.Count | Should -Be 1
            $records[0].FullyQualifiedErrorId | Should -BeLike 'TokenFileNotFound,*'
            $records[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $records[0].ToString() | Should -BeExactly "The token file '$path' does not exist."
            @(Get-GraphEmulatorRequest -Emulator $emu).Count | Should -Be 0
        }
    }

    Context 'Wildcards' {
        BeforeAll {
            $script:Folder = Join-Path $TestDrive 'wild'
            $script:A = New-TestTokenFile -Kind Valid -Directory $Folder -Name 'a.vpptoken' -OrganizationName 'Org A'
            $script:B = New-TestTokenFile -Kind Valid -Directory $Folder -Name 'b.vpptoken' -OrganizationName 'Org B'
            $script:Bracketed = New-TestTokenFile -Kind Valid -Directory $Folder -Name 'c[1].vpptoken' -OrganizationName 'Org C'
        }

        It '-Path expands a wildcard to every file it matches' {
            $read = @(Read-IntuneVppTokenFile -Path (Join-Path $Folder '[ab].vpptoken') -ErrorVariable err)

            $err | Should -BeNullOrEmpty
            @($read.Path) | Should -Be @($A.Path, $B.Path)
        }

        It '-Path with a wildcard that matches nothing says so' {
            $pattern = Join-Path $Folder 'z*.vpptoken'

            Read-IntuneVppTokenFile -Path $pattern -ErrorVariable err -ErrorAction SilentlyContinue

            @($err).Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'TokenFileNotFound,*'
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err[0].ToString() | Should -BeExactly "No token file matches '$pattern'."
        }

        It '-LiteralPath takes brackets and stars as they are' {
            $read = @(Read-IntuneVppTokenFile -LiteralPath $Bracketed.Path -ErrorVariable err)
            $err | Should -BeNullOrEmpty
            $read.OrganizationName | Should -Be @('Org C')

            Read-IntuneVppTokenFile -LiteralPath (Join-Path $Folder '*.vpptoken') -ErrorVariable err -ErrorAction SilentlyContinue
            @($err).Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'TokenFileNotFound,*'
        }

        It 'reads a file with brackets in its name piped from Get-ChildItem' {
            $read = @(Get-ChildItem -LiteralPath $Folder -Filter 'c*' | Read-IntuneVppTokenFile -ErrorVariable err)
            $err | Should -BeNullOrEmpty
            $read.Path | Should -Be @($Bracketed.Path)
        }
    }

    Context 'Pipeline' {
        It 'writes one result or one error per file from Get-ChildItem' {
            $folder = Join-Path $TestDrive 'several'
            $good = @(
                New-TestTokenFile -Kind Valid -Directory $folder -Name 'a-good.vpptoken' -OrganizationName 'Org A'
                New-TestTokenFile -Kind Expired -Directory $folder -Name 'c-expired.vpptoken' -OrganizationName 'Org C'
                New-TestTokenFile -Kind Valid -Directory $folder -Name 'e-good.vpptoken' -OrganizationName 'Org E'
            )
            $bad = @(
                New-TestTokenFile -Kind NotBase64 -Directory $folder -Name 'b-notbase64.vpptoken'
                New-TestTokenFile -Kind MissingOrgName -Directory $folder -Name 'd-noorg.vpptoken'
            )

            $read = @(Get-ChildItem -LiteralPath $folder -Filter *.vpptoken | Read-IntuneVppTokenFile -ErrorVariable err -ErrorAction SilentlyContinue)

            @($read.OrganizationName) | Should -Be @('Org A', 'Org C', 'Org E')
            @($read.Path) | Should -Be @($good.Path)
            @($err).Count | Should -Be 2
            @($err | ForEach-Object { $_.FullyQualifiedErrorId -split ',' | Select-Object -First 1 }) | Should -Be @('InvalidTokenFile', 'InvalidTokenFile')
            @($err.TargetObject) | Should -Be @($bad.Path)
        }

        It 'reads paths given as strings, relative ones from the current location' {
            $folder = Join-Path $TestDrive 'relative'
            $one = New-TestTokenFile -Kind Valid -Directory $folder -Name 'one.vpptoken' -OrganizationName 'Org One'
            $two = New-TestTokenFile -Kind Valid -Directory $folder -Name 'two.vpptoken' -OrganizationName 'Org Two'

            Push-Location $folder
            try { $read = @('./one.vpptoken', $two.Path | Read-IntuneVppTokenFile) } finally { Pop-Location }

            @($read.OrganizationName) | Should -Be @('Org One', 'Org Two')
            $read[0].Path | Should -Be $one.Path
        }
    }
}
