using System;
using System.Collections.Generic;
using IntuneVpp.Client.Graph;

namespace IntuneVpp.Client.Fleet
{
    /// <summary>One tenant's tokens as one listing read them, or why they could not be read.</summary>
    public sealed class TenantTokens
    {
        private TenantTokens(string? tenantId, string apiVersion, IReadOnlyList<VppToken> tokens, GraphException? error)
        {
            TenantId = tenantId;
            ApiVersion = apiVersion;
            Tokens = tokens;
            Error = error;
        }

        /// <summary>The tenant's id, when the connection knows it.</summary>
        public string? TenantId { get; }

        /// <summary>The Graph version read: on v1.0 tokens have no location to compare.</summary>
        public string ApiVersion { get; }

        public IReadOnlyList<VppToken> Tokens { get; }

        /// <summary>Why the tenant could not be read; null when it was.</summary>
        public GraphException? Error { get; }

        public bool KnowsLocations => ApiVersion == GraphApiVersion.Beta;

        public static TenantTokens Read(string? tenantId, string apiVersion, IReadOnlyList<VppToken> tokens) => new(tenantId, apiVersion, tokens, null);

        public static TenantTokens Unreadable(string? tenantId, string apiVersion, GraphException error) =>
            new(tenantId, apiVersion, Array.Empty<VppToken>(), error ?? throw new ArgumentNullException(nameof(error)));

        public override string ToString() => "tenant " + (TenantId ?? "(unknown)");
    }
}
