#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# What a person sees by default: the token table at 80 and 120 columns, read back column by column from the text
# PowerShell renders, the list view's dates, and the connection's token expiry.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'GraphEmulator.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module VppToken -Force

    $script:emu = Start-GraphEmulator
    Connect-IntuneVpp -AccessToken (ConvertTo-SecureString 'pester-token' -AsPlainText -Force) -GraphEndpoint $emu.Uri

    # The default table as text, and each token's cells: the text under each header, the lines of a wrapped row
    # joined with a space (a row ends where the next one starts with an id).
    function script:Read-Table([object[]] $Tokens, [int] $Width) {
        $text = $Tokens | Out-String -Width $Width
        $lines = @($text -split '\r?\n' | Where-Object { $_.Trim() })
        $header = $lines[0]
        $names = @([regex]::Matches($header, '\S+') | ForEach-Object { [pscustomobject]@{ Name = $_.Value; Start = $_.Index } })
        $rows = [System.Collections.Generic.List[object]]::new()
        foreach ($line in $lines | Select-Object -Skip 2) {
            if ($line -match '^[0-9a-f]{8}-') { $rows.Add([System.Collections.Generic.List[string]]::new()) }
            $rows[-1].Add($line)
        }
        $cells = foreach ($row in $rows) {
            $cell = [ordered]@{}
            for ($i = 0; $i -lt $names.Count; $i++) {
                # Right-aligned Days ends at the line's end; every other column starts at its header.
                $start = if ($i -eq $names.Count - 1) { $names[$i - 1].Start + 10 } else { $names[$i].Start }
                $end = if ($i + 1 -lt $names.Count) { if ($i + 1 -eq $names.Count - 1) { $names[$i].Start + 10 } else { $names[$i + 1].Start } } else { [int]::MaxValue }
                $parts = foreach ($line in $row) {
                    if ($line.Length -gt $start) { $line.Substring($start, [Math]::Min($line.Length, $end) - $start).Trim() }
                }
                $cell[$names[$i].Name] = (@($parts | Where-Object { $_ }) -join ' ')
            }
            [pscustomobject]$cell
        }
        [pscustomobject]@{ Text = $text; Lines = $lines; Headers = @($names.Name); Rows = @($cells) }
    }
}

AfterAll {
    Disconnect-IntuneVpp -ErrorAction SilentlyContinue
    Stop-GraphEmulator -Emulator $emu
}

Describe 'The default table of tokens' {
    BeforeAll {
        Reset-GraphEmulator -Emulator $emu
        $script:Tokens = @(Get-IntuneVppToken)
        $script:Stored = @(Get-StoredVppToken -Emulator $emu)
    }

    It 'shows Id, organization, state, expiry and days left, in that order, at <Width> columns' -TestCases @(
        @{ Width = 80 }
        @{ Width = 120 }
    ) {
        $table = Read-Table -Tokens $Tokens -Width $Width

        $table.Headers | Should -Be @('Id', 'Organization', 'State', 'Expires', 'Days')
        @($table.Lines | Where-Object { $_.Length -gt $Width }) | Should -BeNullOrEmpty
        $table.Rows.Count | Should -Be $Stored.Count
        foreach ($stored in $Stored) {
            $row = @($table.Rows | Where-Object Id -EQ $stored.id)
            $row.Count | Should -Be 1 -Because "the whole id $($stored.id) is on its row"
            $expires = [DateTimeOffset]::Parse($stored.expirationDateTime, [cultureinfo]::InvariantCulture)
            $row[0].Expires | Should -BeExactly $expires.ToString('yyyy-MM-dd')
            $days = [int][Math]::Floor(($expires - [DateTimeOffset]::UtcNow).TotalDays)
            [int]$row[0].Days | Should -BeIn @(($days - 1), $days, ($days + 1))
        }
    }

    It 'never cuts a state, assignedToExternalMDM and beta''s duplicateLocationId included, at <Width> columns' -TestCases @(
        @{ Width = 80 }
        @{ Width = 120 }
    ) {
        # A fresh copy of a token, in a state only beta has.
        $beta = Get-IntuneVppToken -Id $SeedTokenId.Contoso
        $beta.State = 'duplicateLocationId'
        $tokens = @($Tokens | Where-Object Id -NE $beta.Id) + $beta

        $table = Read-Table -Tokens $tokens -Width $Width

        $table.Text | Should -Not -Match '…' -Because 'nothing in these rows is too long to wrap'
        foreach ($token in $tokens) {
            $row = $table.Rows | Where-Object Id -EQ $token.Id
            $row.State -replace ' ', '' | Should -BeExactly $token.State
            # Wrapped at a word or, in the invariant culture, at the column's edge: either way nothing is lost.
            $row.Organization -replace ' ', '' | Should -BeExactly ($token.OrganizationName -replace ' ', '')
        }
    }

    It 'shows a state Graph adds later whole, even one with no word humps to break at' {
        $long = 'somefuturestatevalue'
        $token = Get-IntuneVppToken -Id $SeedTokenId.Contoso
        $token.State = $long
        $table = Read-Table -Tokens @($token) -Width 80
        $table.Rows[0].State -replace ' ', '' | Should -BeExactly $long
    }
}

Describe 'The list view of a token' {
    BeforeEach {
        Reset-GraphEmulator -Emulator $emu
    }

    It 'shows an empty last sync for a token never synced, not 01/01/0001' {
        $stored = Get-StoredVppToken -Emulator $emu | Where-Object id -EQ $SeedTokenId.Labs
        $stored.lastSyncDateTime | Should -BeLike '0001-01-01*' -Because 'Graph sends year 1 for a token never synced'

        $text = Get-IntuneVppToken -Id $SeedTokenId.Labs | Format-List | Out-String -Width 120

        $text | Should -Match '(?m)^LastSyncDateTime\s*:\s*$'
        $text | Should -Not -Match '0001'
    }

    It 'shows the last sync of a token that was synced' {
        $token = Get-IntuneVppToken -Id $SeedTokenId.Contoso
        $text = $token | Format-List | Out-String -Width 120
        $text | Should -Match "(?m)^LastSyncDateTime\s*:\s*$([regex]::Escape($token.LastSyncDateTime.ToString()))\s*$"
    }
}

Describe 'The connection''s token expiry' {
    AfterAll {
        Connect-IntuneVpp -AccessToken (ConvertTo-SecureString 'pester-token' -AsPlainText -Force) -GraphEndpoint $emu.Uri
    }

    It 'shows unknown for an opaque access token, not 12/31/9999' {
        Connect-IntuneVpp -AccessToken (ConvertTo-SecureString 'pester-opaque-token' -AsPlainText -Force) -GraphEndpoint $emu.Uri

        $context = Get-IntuneVppContext
        $text = $context | Format-List | Out-String -Width 120

        $context.TokenExpiresOn | Should -BeNullOrEmpty
        $text | Should -Match '(?m)^TokenExpiresOn\s*:\s*unknown\s*$'
        $text | Should -Not -Match '9999'
    }

    It 'shows the expiry a JWT carries' {
        $jwt = New-GraphEmulatorAccessToken -Emulator $emu -TenantId $DefaultTenantId -LifetimeSeconds 1800
        Connect-IntuneVpp -AccessToken (ConvertTo-SecureString $jwt -AsPlainText -Force) -GraphEndpoint $emu.Uri

        $context = Get-IntuneVppContext

        $context.TokenExpiresOn | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddMinutes(25))
        $context.TokenExpiresOn | Should -BeLessThan ([DateTimeOffset]::UtcNow.AddMinutes(35))
        ($context | Format-List | Out-String -Width 120) | Should -Not -Match 'TokenExpiresOn\s*:\s*unknown'
    }
}
