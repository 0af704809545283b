namespace IntuneVpp
{
    /// <summary>One token's licenses for an app (beta getLicensesForApp).</summary>
    public sealed class VppTokenLicenseSummary
    {
        public string? VppTokenId { get; set; }

        public string? AppleId { get; set; }

        public string? OrganizationName { get; set; }

        public int? AvailableLicenseCount { get; set; }

        public int? UsedLicenseCount { get; set; }

        public string? BundleId { get; set; }
    }
}
