@{
    RootModule           = 'VppToken.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '7d1f3c52-9a8e-4f0b-b6e2-5c4a9d8e1f23'
    Author               = 'VppToken contributors'
    CompanyName          = 'VppToken'
    Copyright            = '(c) VppToken contributors. MIT License.'
    Description          = 'Manage the Apple Volume Purchase Program (VPP) tokens of Microsoft Intune tenants through Microsoft Graph: read, renew, update, sync and watch them.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('VppToken.Format.ps1xml')
    FunctionsToExport    = @()
    CmdletsToExport      = @(
        'Connect-IntuneVpp'
        'Disconnect-IntuneVpp'
        'Get-IntuneVppContext'
        'Get-IntuneVppToken'
        'Set-IntuneVppToken'
        'New-IntuneVppToken'
        'Remove-IntuneVppToken'
        'Sync-IntuneVppToken'
        'Read-IntuneVppTokenFile'
        'Get-IntuneVppTokenLicense'
        'Revoke-IntuneVppTokenLicense'
        'Update-IntuneVppToken'
        'Test-IntuneVppToken'
    )
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Intune', 'VPP', 'Apple', 'MicrosoftGraph', 'VolumePurchaseProgram', 'ABM', 'ASM')
            # No ProjectUri or LicenseUri until the project has a public home: an empty value makes Publish-PSResource
            # fail. ReleaseNotes is filled from CHANGELOG.md in the packaged copy (build.ps1 -Task Package).
            # A prerelease adds Prerelease = 'preview1' (letters and digits) here: the package becomes 0.1.0-preview1.
        }
    }
}
