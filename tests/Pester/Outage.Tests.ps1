#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# When Graph cannot be reached at all (nothing listens, TLS fails), the first item of a pipeline spends its retries
# and every later item fails at once with an error record of its own: nothing lost, nothing silently dropped, and the
# whole run costs one retry budget. Counted as the client's tries (each error's Attempts) and, where a server can see
# them, as the connections it received; never as wall time.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module VppToken -Force

    $script:AccessToken = ConvertTo-SecureString 'pester-token' -AsPlainText -Force
    $script:Ids = @(1..5 | ForEach-Object { [guid]::NewGuid().ToString() })

    # A loopback port nothing listens on: every connection is refused.
    function Get-ClosedPort {
        $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
        $listener.Start()
        $port = $listener.LocalEndpoint.Port
        $listener.Stop()
        $port
    }

    # Takes every connection and answers in plain text, so an https client's TLS handshake fails; counts connections.
    function Start-TlsBreakingListener {
        $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
        $listener.Start()
        $count = [hashtable]::Synchronized(@{ Connections = 0 })
        $shell = [powershell]::Create()
        $null = $shell.AddScript({
                param($Listener, $Count)
                $notTls = [Text.Encoding]::ASCII.GetBytes("HTTP/1.1 400 Bad Request`r`nContent-Length: 0`r`n`r`n")
                while ($true) {
                    try { $client = $Listener.AcceptTcpClient() } catch { break }
                    $Count.Connections++
                    try { $client.GetStream().Write($notTls, 0, $notTls.Length) } catch { $null = $_ }
                    $client.Close()
                }
            }).AddArgument($listener).AddArgument($count)
        $pending = $shell.BeginInvoke()
        [pscustomobject]@{ Port = $listener.LocalEndpoint.Port; Count = $count; Listener = $listener; Shell = $shell; Pending = $pending }
    }

    function Stop-TlsBreakingListener {
        param($Server)
        if (-not $Server) { return }
        $Server.Listener.Stop()
        $null = $Server.Pending.AsyncWaitHandle.WaitOne(5000)
        $Server.Shell.Dispose()
    }
}

AfterAll {
    Disconnect-IntuneVpp -ErrorAction SilentlyContinue
}

Describe 'A pipeline against a Graph that cannot be reached' {
    BeforeEach {
        $script:Server = $null
    }

    AfterEach {
        Stop-TlsBreakingListener (Get-Variable -Name Server -Scope Script -ValueOnly -ErrorAction SilentlyContinue)
        $script:Server = $null
        Disconnect-IntuneVpp -ErrorAction SilentlyContinue
    }

    It 'fails each of five piped ids with its own error, after one retry budget (<Scenario>, <Command>)' -TestCases @(
        @{ Scenario = 'connection refused'; Command = 'Set-IntuneVppToken' }
        @{ Scenario = 'TLS fails'; Command = 'Get-IntuneVppToken' }
    ) {
        if ($Scenario -eq 'TLS fails') {
            $script:Server = Start-TlsBreakingListener
            $endpoint = "https://127.0.0.1:$($Server.Port)"
        }
        else {
            $endpoint = "http://127.0.0.1:$(Get-ClosedPort)"
        }
        Connect-IntuneVpp -AccessToken $AccessToken -GraphEndpoint $endpoint -MaxRetries 2
        $work = if ($Command -eq 'Set-IntuneVppToken') { { $Ids | Set-IntuneVppToken -CountryOrRegion 'gb' -PassThru -ErrorVariable failures -ErrorAction SilentlyContinue } }
        else { { $Ids | Get-IntuneVppToken -ErrorVariable failures -ErrorAction SilentlyContinue } }

        $output = @(. $work)

        $output.Count | Should -Be 0
        $failures.Count | Should -Be $Ids.Count -Because 'every item ends as an error record of its own'
        @($failures.TargetObject) | Should -Be $Ids
        $failures | ForEach-Object { $_.CategoryInfo.Category | Should -Be 'ConnectionError' }
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GraphNoAnswer,*'
        $failures[0].Exception.Attempts | Should -Be 3 -Because '-MaxRetries 2: the first item makes all three tries'
        $failures[0].ErrorDetails.RecommendedAction | Should -Match 'could not be reached'
        foreach ($skipped in $failures[1..4]) {
            $skipped.FullyQualifiedErrorId | Should -BeLike 'GraphUnreachable,*'
            $skipped.Exception.Attempts | Should -Be 0
            $skipped.ToString() | Should -Match 'was not sent'
            $skipped.ToString() | Should -Match '3 tries'
            $skipped.ErrorDetails.RecommendedAction | Should -Match 'Nothing was changed'
        }
        ($failures.Exception.Attempts | Measure-Object -Sum).Sum | Should -Be 3 -Because 'the whole pipeline costs one retry budget'
        if ($Server) {
            $Server.Count.Connections | Should -Be 3 -Because 'the server saw the three tries of the first item and nothing else'
        }
    }

    It 'gives the next command its own tries: the outage belongs to one invocation' {
        $script:Server = Start-TlsBreakingListener
        Connect-IntuneVpp -AccessToken $AccessToken -GraphEndpoint "https://127.0.0.1:$($Server.Port)" -MaxRetries 1

        $null = @($Ids[0..2] | Get-IntuneVppToken -ErrorVariable first -ErrorAction SilentlyContinue)
        $null = @($Ids[0..2] | Get-IntuneVppToken -ErrorVariable second -ErrorAction SilentlyContinue)

        $first.Count | Should -Be 3
        $second.Count | Should -Be 3
        $second[0].FullyQualifiedErrorId | Should -BeLike 'GraphNoAnswer,*'
        $second[0].Exception.Attempts | Should -Be 2
        $Server.Count.Connections | Should -Be 4 -Because 'each command spent one budget of two tries'
    }
}
