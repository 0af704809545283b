using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>
    /// The table of writable properties: each row reads the typed property of its own name and no other, and the beta
    /// and secret flags are the documented ones (graph-facts: beta adds displayName, dataSharingConsentGranted,
    /// claimTokenManagementFromExternalMdm, roleScopeTagIds; the Apple token is the one secret).
    /// </summary>
    public sealed class VppTokenChangesTests
    {
        private static readonly string[] DocumentedBetaOnly = { "DisplayName", "DataSharingConsentGranted", "ClaimTokenManagementFromExternalMdm", "RoleScopeTagIds" };

        public static TheoryData<string> Properties()
        {
            var data = new TheoryData<string>();
            foreach (PropertyInfo property in Settable())
            {
                data.Add(property.Name);
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(Properties))]
        public void A_property_set_alone_is_the_one_row_that_reads_it(string name)
        {
            var changes = new VppTokenChanges();
            PropertyInfo property = typeof(VppTokenChanges).GetProperty(name)!;
            property.SetValue(changes, SampleFor(property.PropertyType));

            (WritableProperty Property, object Value)[] set = changes.Set.ToArray();

            Assert.Single(set);
            Assert.Equal(name, set[0].Property.Name);
            Assert.Equal(property.GetValue(changes), set[0].Value);
            Assert.False(changes.IsEmpty);
            Assert.Equal(DocumentedBetaOnly.Contains(name), set[0].Property.IsBeta);
            Assert.Equal(name == "Token", set[0].Property.IsSecret);
            Assert.Equal(DocumentedBetaOnly.Contains(name) ? new[] { name } : Array.Empty<string>(), changes.BetaProperties.Select(p => p.Name).ToArray());
        }

        [Fact]
        public void Lists_every_writable_property_once_and_nothing_else()
        {
            Assert.Equal(
                Settable().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal),
                VppTokenChanges.Writable.Select(row => row.Name).OrderBy(n => n, StringComparer.Ordinal));
        }

        [Fact]
        public void Nothing_set_is_empty_and_sends_nothing()
        {
            var changes = new VppTokenChanges();

            Assert.True(changes.IsEmpty);
            Assert.Empty(changes.Set);
            Assert.Empty(changes.BetaProperties);
        }

        [Fact]
        public void False_is_a_value_to_send()
        {
            var changes = new VppTokenChanges { AutomaticallyUpdateApps = false };

            Assert.False(changes.IsEmpty);
            Assert.Equal(false, Assert.Single(changes.Set).Value);
        }

        private static IEnumerable<PropertyInfo> Settable() =>
            typeof(VppTokenChanges).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite);

        private static object SampleFor(Type type) =>
            type == typeof(string) ? "x"
            : type == typeof(bool?) ? true
            : type == typeof(DateTimeOffset?) ? new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero)
            : type == typeof(System.Security.SecureString) ? TestClient.Secure("apple")
            : type == typeof(IReadOnlyList<string>) ? new[] { "0" }
            : throw new NotSupportedException(type.Name);

        [Fact]
        public void WithToken_is_a_copy_with_that_token_and_leaves_the_original_as_it_was()
        {
            var original = new VppTokenChanges { CountryOrRegion = "fr", AutomaticallyUpdateApps = false };
            System.Security.SecureString token = TestClient.Secure("bmV3LXRva2Vu");

            VppTokenChanges copy = original.WithToken(token);

            Assert.NotSame(original, copy);
            Assert.Same(token, copy.Token);
            Assert.Equal("fr", copy.CountryOrRegion);
            Assert.False(copy.AutomaticallyUpdateApps);
            Assert.Null(original.Token);
            Assert.Null(original.WithToken(null).Token);
        }
    }
}
