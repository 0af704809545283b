using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using System.Text;
using GraphEmulator.Store;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>
    /// The one table of writable properties (<see cref="VppTokenChanges.Writable"/>) against what Graph says of the
    /// vppToken: the update page's request body for v1.0, and the emulator's schema (Graph's v1.0 and beta CSDL) for
    /// JSON names, beta-only flags and value kinds. (That each row reads its own typed property is VppTokenChangesTests.)
    /// </summary>
    public sealed class WritablePropertiesTests
    {
        public static TheoryData<string> Rows()
        {
            var rows = new TheoryData<string>();
            foreach (WritableProperty property in VppTokenChanges.Writable)
            {
                rows.Add(property.Name);
            }

            return rows;
        }

        [Fact]
        public void The_v1_rows_are_the_properties_of_the_documented_request_body_in_its_order()
        {
            string[] documented = JsonText.PropertyNames(Encoding.UTF8.GetBytes(VppTokenJsonWriteChangesTests.DocumentedBody))
                .Where(name => name != "@odata.type")
                .ToArray();

            Assert.Equal(documented, VppTokenChanges.Writable.Where(property => !property.IsBeta).Select(property => property.JsonName));
        }

        [Theory]
        [MemberData(nameof(Rows))]
        public void A_row_is_a_writable_property_of_the_schema_with_its_beta_flag_and_value_kind(string name)
        {
            WritableProperty row = VppTokenChanges.Writable.Single(property => property.Name == name);

            PropertySpec? spec = VppTokenSchema.Find(row.JsonName, ApiVersion.Beta);

            Assert.True(spec is not null, $"{row.JsonName} is not a vppToken property in Graph's schema.");
            Assert.False(spec!.ReadOnly, $"{row.JsonName} is read-only in Graph's schema.");
            Assert.Equal(spec.BetaOnly, row.IsBeta);
            Assert.Equal(!row.IsBeta, VppTokenSchema.Find(row.JsonName, ApiVersion.V1) is not null);
            Assert.Equal(spec.Kind == PropertyKind.Enum ? PropertyKind.String : spec.Kind, KindOf(typeof(VppTokenChanges).GetProperty(row.Name)!.PropertyType));
        }

        private static PropertyKind KindOf(Type type)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            return type == typeof(string) || type == typeof(SecureString) ? PropertyKind.String
                : type == typeof(bool) ? PropertyKind.Boolean
                : type == typeof(DateTimeOffset) ? PropertyKind.DateTimeOffset
                : typeof(IEnumerable<string>).IsAssignableFrom(type) ? PropertyKind.StringCollection
                : throw new InvalidOperationException($"No JSON kind for a {type.Name}.");
        }
    }
}
