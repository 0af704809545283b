using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security;
using System.Text.Json;
using IntuneVpp.Client.Authentication;
using IntuneVpp.Client.Diagnostics;

namespace IntuneVpp.Client.Graph
{
    /// <summary>The vppToken resource on the wire: request bodies out, objects in.</summary>
    public static class VppTokenJson
    {
        public const string ODataType = "#microsoft.graph.vppToken";

        /// <summary>
        /// The body of a PATCH or POST: the resource's @odata.type, then exactly the properties that are set, in the
        /// order the Graph documentation lists them. Date-times keep the caller's offset and fraction.
        /// </summary>
        public static byte[] WriteChanges(VppTokenChanges changes)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("@odata.type", ODataType);
                foreach ((WritableProperty property, object value) in changes.Set)
                {
                    writer.WritePropertyName(property.JsonName);
                    switch (value)
                    {
                        case string text: writer.WriteStringValue(text); break;
                        case bool flag: writer.WriteBooleanValue(flag); break;
                        case DateTimeOffset date: writer.WriteStringValue(FormatDateTime(date)); break;
                        case SecureString secret: writer.WriteStringValue(SecureStrings.ToPlainText(secret)); break;
                        case IEnumerable<string> items:
                            writer.WriteStartArray();
                            foreach (string item in items)
                            {
                                writer.WriteStringValue(item);
                            }

                            writer.WriteEndArray();
                            break;
                        default: throw new NotSupportedException($"{property.Name} holds a {value.GetType().Name}, which the vppToken body has no JSON form for.");
                    }
                }

                writer.WriteEndObject();
            }

            return buffer.ToArray();
        }

        /// <summary>
        /// Formats a date-time as Graph expects it: ISO 8601 with the caller's own offset, and as many fraction digits
        /// as the value holds (up to the 7 that .NET keeps).
        /// </summary>
        public static string FormatDateTime(DateTimeOffset value)
        {
            string text = value.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.');
            string offset = value.Offset == TimeSpan.Zero ? "Z" : value.ToString("zzz", CultureInfo.InvariantCulture);
            return text + offset;
        }

        /// <summary>How much of a value an error message quotes: enough to recognise it, never a whole megabyte.</summary>
        private const int QuotedLength = 100;

        /// <summary>Reads one vppToken object. Throws <see cref="InvalidDataException"/> when the shape is wrong.</summary>
        /// <param name="warn">Told when a value had to be dropped (a token too long to hold) while the object is still usable.</param>
        public static VppToken Read(JsonElement element, string apiVersion, Action<string>? warn = null)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"a vppToken should be a JSON object, not {Describe(element.ValueKind)}");
            }

            var token = new VppToken { ApiVersion = apiVersion };
            bool hasId = false;
            int droppedTokenLength = 0;
            foreach (JsonProperty property in element.EnumerateObject())
            {
                JsonElement value = property.Value;
                switch (property.Name)
                {
                    case "id": token.Id = RequireString(property) ?? string.Empty; hasId = token.Id.Length > 0; break;
                    case "organizationName": token.OrganizationName = RequireString(property); break;
                    case "vppTokenAccountType": token.VppTokenAccountType = RequireString(property); break;
                    case "appleId": token.AppleId = RequireString(property); break;
                    case "expirationDateTime": token.ExpirationDateTime = RequireDate(property); break;
                    case "lastSyncDateTime": token.LastSyncDateTime = RequireDate(property); break;
                    case "lastModifiedDateTime": token.LastModifiedDateTime = RequireDate(property); break;
                    case "state": token.State = RequireString(property); break;
                    case "lastSyncStatus": token.LastSyncStatus = RequireString(property); break;
                    case "automaticallyUpdateApps": token.AutomaticallyUpdateApps = RequireBool(property); break;
                    case "countryOrRegion": token.CountryOrRegion = RequireString(property); break;
                    case "token":
                        string? secret = RequireString(property);
                        if (secret is not null && secret.Length > SecureStrings.MaxLength)
                        {
                            // A SecureString cannot hold it, and no Apple token is that long; the rest of the object is fine.
                            droppedTokenLength = secret.Length;
                        }
                        else
                        {
                            token.Token = secret is null ? null : SecureStrings.FromPlainText(secret);
                        }

                        break;
                    case "displayName": token.DisplayName = RequireString(property); break;
                    case "locationName": token.LocationName = RequireString(property); break;
                    case "dataSharingConsentGranted": token.DataSharingConsentGranted = RequireBool(property); break;
                    case "claimTokenManagementFromExternalMdm": token.ClaimTokenManagementFromExternalMdm = RequireBool(property); break;
                    case "roleScopeTagIds": token.RoleScopeTagIds = RequireStrings(property); break;
                    case "lastAppCount":
                        token.LastAppCount = value.ValueKind == JsonValueKind.Null ? null
                            : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int count) ? count
                            : throw WrongType(property, "a whole number");
                        break;
                    case "@odata.type":
                    case "@odata.context":
                        break;
                    default:
                        token.AdditionalProperties[property.Name] = ToPlain(value);
                        break;
                }
            }

            if (!hasId)
            {
                throw new InvalidDataException("the vppToken has no id");
            }

            if (droppedTokenLength > 0)
            {
                warn?.Invoke(string.Format(
                    CultureInfo.InvariantCulture,
                    "Graph sent a 'token' value of {0:N0} characters for VPP token {1}, more than the {2:N0} a SecureString can hold; its Token property is left empty.",
                    droppedTokenLength,
                    ErrorText.Cut(token.Id, QuotedLength),
                    SecureStrings.MaxLength));
            }

            return token;
        }

        private static string? RequireString(JsonProperty property) => property.Value.ValueKind switch
        {
            JsonValueKind.String => property.Value.GetString(),
            JsonValueKind.Null => null,
            _ => throw WrongType(property, "a string"),
        };

        private static bool? RequireBool(JsonProperty property) => property.Value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null => null,
            _ => throw WrongType(property, "true or false"),
        };

        private static DateTimeOffset? RequireDate(JsonProperty property)
        {
            string? text = RequireString(property);
            if (text is null)
            {
                return null;
            }

            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out DateTimeOffset date)
                ? date
                : throw new InvalidDataException($"'{property.Name}' should be an ISO 8601 date-time, not '{ErrorText.Cut(text, QuotedLength)}'");
        }

        private static IReadOnlyList<string>? RequireStrings(JsonProperty property)
        {
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (property.Value.ValueKind != JsonValueKind.Array ||
                property.Value.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.String))
            {
                throw WrongType(property, "an array of strings");
            }

            return property.Value.EnumerateArray().Select(item => item.GetString()!).ToArray();
        }

        private static InvalidDataException WrongType(JsonProperty property, string expected) =>
            new($"'{property.Name}' should be {expected}, not {Describe(property.Value.ValueKind)}");

        private static string Describe(JsonValueKind kind) => kind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Null => "null",
            _ => "nothing",
        };

        /// <summary>A JSON value as plain .NET values PowerShell shows naturally.</summary>
        internal static object? ToPlain(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => value.TryGetInt64(out long whole) ? (object)whole : value.GetDouble(),
            JsonValueKind.Array => value.EnumerateArray().Select(ToPlain).ToArray(),
            JsonValueKind.Object => value.EnumerateObject().ToDictionary(p => p.Name, p => ToPlain(p.Value), StringComparer.Ordinal),
            _ => null,
        };
    }
}
