using System;
using System.Collections.Generic;
using System.Linq;

namespace IntuneVpp.Client.Authentication
{
    /// <summary>A Microsoft cloud: its Graph endpoint and its Entra ID authority.</summary>
    public sealed class GraphCloud
    {
        private GraphCloud(string name, string graphEndpoint, string authorityHost)
        {
            Name = name;
            GraphEndpoint = new Uri(graphEndpoint);
            AuthorityHost = new Uri(authorityHost);
        }

        public static IReadOnlyList<GraphCloud> All { get; } = new[]
        {
            new GraphCloud("Global", "https://graph.microsoft.com", "https://login.microsoftonline.com"),
            new GraphCloud("USGov", "https://graph.microsoft.us", "https://login.microsoftonline.us"),
            new GraphCloud("USGovDoD", "https://dod-graph.microsoft.us", "https://login.microsoftonline.us"),
            new GraphCloud("China", "https://microsoftgraph.chinacloudapi.cn", "https://login.chinacloudapi.cn"),
        };

        public static GraphCloud Global => All[0];

        public string Name { get; }

        public Uri GraphEndpoint { get; }

        public Uri AuthorityHost { get; }

        /// <summary>The scope that asks for a token for this cloud's Graph with the app's granted permissions.</summary>
        public string DefaultScope => ScopeFor(GraphEndpoint);

        public static string ScopeFor(Uri graphEndpoint) => graphEndpoint.GetLeftPart(UriPartial.Authority) + "/.default";

        public static GraphCloud? Find(string name) =>
            All.FirstOrDefault(cloud => string.Equals(cloud.Name, name, StringComparison.OrdinalIgnoreCase));

        /// <summary>The cloud whose Graph host this is, if any (used to name the cloud of a Connect-MgGraph session).</summary>
        public static GraphCloud? ForGraphHost(Uri graphEndpoint) =>
            All.FirstOrDefault(cloud => string.Equals(cloud.GraphEndpoint.Host, graphEndpoint.Host, StringComparison.OrdinalIgnoreCase));
    }
}
