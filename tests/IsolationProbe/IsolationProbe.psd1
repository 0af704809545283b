# Test-only module: see IsolationProbe.csproj. Shipped the plain way, every dll beside this manifest.
@{
    RootModule        = 'IsolationProbe.dll'
    ModuleVersion     = '1.0.0'
    GUID              = '9f3cbc90-fa38-4c71-a4dc-ec7c64b732c6'
    Author            = 'VppToken contributors'
    Description       = 'Test-only module that uses an older Azure.Identity / Azure.Core from the default load context.'
    PowerShellVersion = '5.1'
    CmdletsToExport   = @('Invoke-ProbeRequest')
    FunctionsToExport = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
