using System;
using System.Collections.Generic;

namespace IntuneVpp.Commands.Connection
{
    /// <summary>
    /// The Connect-IntuneVpp parameters that do nothing with the sign-in chosen. Refused where the caller clearly
    /// expects something that will not happen (an authority or endpoint that would not be used, a tenant that would
    /// not be signed in to); warned about where settings splatted to several cmdlets would give them harmlessly.
    /// </summary>
    internal static class ConnectParameterRules
    {
        /// <summary>Each problem: whether to refuse, and the message.</summary>
        public static IEnumerable<(bool Refuse, string Message)> Find(string parameterSet, IDictionary<string, object> bound, int writeLimit, int maxRetries)
        {
            bool Has(string name) => bound.ContainsKey(name);

            if (Has("AuthorityHost"))
            {
                string? why = parameterSet switch
                {
                    "ManagedIdentity" => "with -Identity: a managed identity gets its token from the Azure host it runs on (IDENTITY_ENDPOINT), not from an Entra ID authority. Leave -AuthorityHost out.",
                    "AccessToken" => "with -AccessToken: the token is used as given, and nothing signs in. Leave -AuthorityHost out.",
                    "MgGraphSession" => "with -MgGraphSession: the Connect-MgGraph session has signed in already. Leave -AuthorityHost out.",
                    _ => null,
                };
                if (why is not null)
                {
                    yield return (true, ParameterRules.NoEffectMessage("AuthorityHost", why));
                }
            }

            if (parameterSet == "MgGraphSession")
            {
                if (Has("GraphEndpoint"))
                {
                    yield return (true, ParameterRules.NoEffectMessage(
                        "GraphEndpoint",
                        "with -MgGraphSession: the session's own Graph endpoint is used. Connect Connect-MgGraph to that endpoint (Add-MgEnvironment), or leave -GraphEndpoint out."));
                }

                if (Has("Environment"))
                {
                    yield return (false, ParameterRules.NoEffectMessage(
                        "Environment",
                        "with -MgGraphSession: the session's own cloud is used (Connect-MgGraph -Environment chooses it)."));
                }
            }

            if (parameterSet == "EnvironmentVariable" && Has("TenantId") &&
                string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AZURE_FEDERATED_TOKEN_FILE")) &&
                Environment.GetEnvironmentVariable("AZURE_TENANT_ID") is { Length: > 0 } tenant &&
                !string.Equals(tenant, bound["TenantId"] as string, StringComparison.OrdinalIgnoreCase))
            {
                yield return (true, ParameterRules.NoEffectMessage(
                    "TenantId",
                    $"with -EnvironmentVariable unless AZURE_FEDERATED_TOKEN_FILE is set: the sign-in is to AZURE_TENANT_ID ({tenant}). Set AZURE_TENANT_ID to the tenant you mean, or leave -TenantId out."));
            }

            if (writeLimit == 0 && Has("WriteWindow"))
            {
                yield return (false, ParameterRules.NoEffectMessage("WriteWindow", "with -WriteLimit 0, which turns write pacing off."));
            }

            if (maxRetries == 0 && Has("MaxRetryWait"))
            {
                yield return (false, ParameterRules.NoEffectMessage("MaxRetryWait", "with -MaxRetries 0: no request is tried again, so there is no wait between tries."));
            }
        }
    }
}
