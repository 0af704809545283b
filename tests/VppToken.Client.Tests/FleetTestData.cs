using System;
using System.Globalization;
using System.Text;
using IntuneVpp.Client.Fleet;
using IntuneVpp.Client.Graph;

namespace IntuneVpp.Client.Tests
{
    /// <summary>Apple token files, Intune tokens and tenants for the renewal planner's tests.</summary>
    internal static class FleetTestData
    {
        public static readonly DateTimeOffset NextYear = new(2031, 3, 1, 9, 0, 0, TimeSpan.FromHours(-7));
        public static readonly DateTimeOffset ThisYear = new(2030, 3, 5, 12, 0, 0, TimeSpan.Zero);

        /// <summary>A token file as Apple writes it (base64 JSON, expDate with an offset without a colon), at /files/<paramref name="name"/>.</summary>
        public static AppleVppTokenFile File(string name, string organization, DateTimeOffset? expires = null)
        {
            DateTimeOffset date = expires ?? NextYear;
            string expDate = date.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) +
                             date.ToString("zzz", CultureInfo.InvariantCulture).Replace(":", string.Empty);
            string json = $$"""{"token":"c2VjcmV0","expDate":"{{expDate}}","orgName":"{{organization}}"}""";
            return AppleVppTokenFile.Parse(Convert.ToBase64String(Encoding.UTF8.GetBytes(json)), "/files/" + name);
        }

        public static VppToken Token(string id, string organization, string? location = null, string? displayName = null, DateTimeOffset? expires = null) => new()
        {
            Id = id,
            OrganizationName = organization,
            LocationName = location,
            DisplayName = displayName,
            ExpirationDateTime = expires ?? ThisYear,
        };

        public static TenantTokens Beta(string tenant, params VppToken[] tokens) => TenantTokens.Read(tenant, GraphApiVersion.Beta, tokens);

        public static TenantTokens V1(string tenant, params VppToken[] tokens) => TenantTokens.Read(tenant, GraphApiVersion.V1, tokens);
    }
}
