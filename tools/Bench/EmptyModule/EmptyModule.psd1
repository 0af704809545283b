@{
    RootModule        = 'EmptyModule.dll'
    ModuleVersion     = '1.0.0'
    GUID              = 'c0b8a7e4-5d6f-4a3b-9e2c-1f0d8c7b6a59'
    Description       = 'Benchmark floor: an empty binary module.'
    PowerShellVersion = '5.1'
    CmdletsToExport   = @('Get-Nothing')
    FunctionsToExport = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
