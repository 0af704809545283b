using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Security;
using System.Text;
using GraphEmulator.Store;
using Xunit;

namespace IntuneVpp.Client.Tests
{
    /// <summary>
    /// The one table of writable properties (<see cref="VppTokenChanges.Writable"/>) against what Graph says of the
    /// vppToken: the update page's request body for v1.0, and the emulator's schema (Graph's v1.0 and beta CSDL) for
    /// names, beta-only flags and value kinds. A row with a wrong JSON name, a wrong beta flag, or reading another
    /// property than it names fails here before any cmdlet runs.
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

        private static WritableProperty Row(string name) => VppTokenChanges.Writable.Single(property => property.Name == name);

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
        public void A_row_is_a_writable_property_of_the_schema_with_its_beta_flag(string name)
        {
            WritableProperty row = Row(name);

            PropertySpec? spec = VppTokenSchema.Find(row.JsonName, ApiVersion.Beta);

            Assert.True(spec is not null, $"{row.JsonName} is not a vppToken property in Graph's schema.");
            Assert.False(spec!.ReadOnly, $"{row.JsonName} is read-only in Graph's schema.");
            Assert.Equal(spec.BetaOnly, row.IsBeta);
            Assert.Equal(!row.IsBeta, VppTokenSchema.Find(row.JsonName, ApiVersion.V1) is not null);
        }

        [Theory]
        [MemberData(nameof(Rows))]
        public void A_row_reads_the_typed_property_it_is_named_for_and_no_other_with_the_schema_kind(string name)
        {
            WritableProperty row = Row(name);
            VppTokenChanges changes = OnlySet(row.Name, out object given);

            object? value = row.ValueIn(changes);

            Assert.Equal(given, value);
            Assert.All(VppTokenChanges.Writable.Where(other => other != row), other => Assert.Null(other.ValueIn(changes)));
            PropertyKind schemaKind = VppTokenSchema.Find(row.JsonName, ApiVersion.Beta)!.Kind;
            Assert.Equal(schemaKind == PropertyKind.Enum ? PropertyKind.String : schemaKind, KindOf(value!));
        }

        [Fact]
        public void Every_settable_property_of_the_changes_has_one_row()
        {
            string[] settable = typeof(VppTokenChanges).GetProperties()
                .Where(property => property.CanWrite)
                .Select(property => property.Name)
                .OrderBy(n => n, StringComparer.Ordinal)
                .ToArray();

            Assert.Equal(settable, VppTokenChanges.Writable.Select(property => property.Name).OrderBy(n => n, StringComparer.Ordinal));
        }

        [Fact]
        public void Only_the_token_is_secret()
        {
            Assert.Equal(new[] { "token" }, VppTokenChanges.Writable.Where(property => property.IsSecret).Select(property => property.JsonName));
        }

        [Theory]
        [MemberData(nameof(Rows))]
        public void One_property_set_is_not_empty_and_is_beta_exactly_when_its_row_is(string name)
        {
            WritableProperty row = Row(name);
            VppTokenChanges changes = OnlySet(row.Name, out _);

            Assert.False(changes.IsEmpty);
            Assert.Equal(row, Assert.Single(changes.Set).Property);
            Assert.Equal(row.IsBeta ? new[] { row } : Array.Empty<WritableProperty>(), changes.BetaProperties);
        }

        [Fact]
        public void Nothing_set_is_empty()
        {
            var changes = new VppTokenChanges();

            Assert.True(changes.IsEmpty);
            Assert.Empty(changes.BetaProperties);
        }

        /// <summary>Changes with only the typed property <paramref name="name"/> set, to <paramref name="value"/>.</summary>
        private static VppTokenChanges OnlySet(string name, out object value)
        {
            PropertyInfo typed = typeof(VppTokenChanges).GetProperty(name)
                ?? throw new InvalidOperationException($"VppTokenChanges has no property {name}.");
            Type type = Nullable.GetUnderlyingType(typed.PropertyType) ?? typed.PropertyType;
            value = type == typeof(string) ? "value of " + name
                : type == typeof(bool) ? false
                : type == typeof(DateTimeOffset) ? new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero)
                : type == typeof(SecureString) ? TestClient.Secure("token of " + name)
                : type == typeof(IReadOnlyList<string>) ? new[] { "0", name }
                : throw new InvalidOperationException($"No test value for {name}'s type {type.Name}.");
            var changes = new VppTokenChanges();
            typed.SetValue(changes, value);
            return changes;
        }

        private static PropertyKind KindOf(object value) => value switch
        {
            string or SecureString => PropertyKind.String,
            bool => PropertyKind.Boolean,
            DateTimeOffset => PropertyKind.DateTimeOffset,
            IEnumerable<string> => PropertyKind.StringCollection,
            _ => throw new InvalidOperationException($"No JSON kind for a {value.GetType().Name}."),
        };
    }
}
