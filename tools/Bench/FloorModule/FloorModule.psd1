@{
    RootModule        = 'FloorModule.dll'
    ModuleVersion     = '0.0.1'
    GUID              = '3f0c7d2e-5b1a-4c8e-9d6f-2a4b8c0e1f35'
    Author            = 'VppToken contributors'
    Description       = 'Benchmark floors for VppToken (never shipped).'
    PowerShellVersion = '5.1'
    CmdletsToExport   = @('Invoke-FloorPatch')
    FunctionsToExport = @()
    AliasesToExport   = @()
    VariablesToExport = @()
}
