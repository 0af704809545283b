# A test stand-in for the PowerShell Gallery's Microsoft.Graph.Authentication: only the public commands VppToken uses
# to borrow a Connect-MgGraph session, with the real module's names, parameters and output shapes. Never shipped.
@{
    RootModule        = 'Microsoft.Graph.Authentication.psm1'
    ModuleVersion     = '2.99.0'
    GUID              = '883916f2-9184-46ee-b1f8-b6a2fb784cee'
    Author            = 'VppToken tests'
    Description       = 'Test stand-in for Microsoft.Graph.Authentication (Connect-MgGraph session surface only).'
    PowerShellVersion = '7.0'
    FunctionsToExport = @('Connect-MgGraph', 'Disconnect-MgGraph', 'Get-MgContext', 'Get-MgEnvironment', 'Add-MgEnvironment', 'Invoke-MgGraphRequest')
    CmdletsToExport   = @()
    AliasesToExport   = @('Connect-Graph', 'Disconnect-Graph', 'Invoke-GraphRequest')
    VariablesToExport = @()
}
