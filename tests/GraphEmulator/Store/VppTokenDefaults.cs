using System;
using System.Text.Json.Nodes;
using GraphEmulator.Validation;

namespace GraphEmulator.Store;

/// <summary>What Intune fills in for a vppToken: generated id, server-side timestamps and the Apple file's facts.</summary>
internal static class VppTokenDefaults
{
    public const string NeverSynced = "0001-01-01T00:00:00Z";

    public static JsonObject Complete(JsonObject token, DateTimeOffset now)
    {
        SetIfMissing(token, "id", Guid.NewGuid().ToString());
        SetIfMissing(token, "organizationName", null);
        SetIfMissing(token, "vppTokenAccountType", "business");
        SetIfMissing(token, "appleId", null);
        SetIfMissing(token, "expirationDateTime", NeverSynced);
        SetIfMissing(token, "lastSyncDateTime", NeverSynced);
        SetIfMissing(token, "token", null);
        SetIfMissing(token, "lastModifiedDateTime", EdmDate.Format(now));
        SetIfMissing(token, "state", "valid");
        SetIfMissing(token, "tokenActionResults", new JsonArray());
        SetIfMissing(token, "lastSyncStatus", "none");
        SetIfMissing(token, "automaticallyUpdateApps", false);
        SetIfMissing(token, "countryOrRegion", "us");
        SetIfMissing(token, "dataSharingConsentGranted", false);
        SetIfMissing(token, "displayName", null);
        SetIfMissing(token, "locationName", null);
        SetIfMissing(token, "claimTokenManagementFromExternalMdm", false);
        SetIfMissing(token, "roleScopeTagIds", new JsonArray("0"));
        SetIfMissing(token, "lastAppCount", 0);
        SetIfMissing(token, "appleDeviceAppDeliveryProtocolType", "default");
        return token;
    }

    /// <summary>Intune takes organization and expiry from an uploaded Apple file, and judges its state by the expiry.</summary>
    public static void ApplyAppleFile(JsonObject token, bool stateGivenByClient, DateTimeOffset now)
    {
        if (token["token"] is not JsonValue value || !value.TryGetValue(out string? text) || AppleTokenFile.TryRead(text) is not { } file)
        {
            return;
        }

        token["organizationName"] = file.OrganizationName;
        token["expirationDateTime"] = EdmDate.FormatSeconds(file.ExpirationDateTime);
        if (!stateGivenByClient)
        {
            token["state"] = file.ExpirationDateTime > now ? "valid" : "expired";
        }
    }

    private static void SetIfMissing(JsonObject token, string name, JsonNode? value)
    {
        if (!token.ContainsKey(name))
        {
            token[name] = value;
        }
    }
}
