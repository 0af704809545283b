using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Fleet;
using IntuneVpp.Client.Graph;
using IntuneVpp.Commands.Tokens;
using IntuneVpp.Connections;
using IntuneVpp.Errors;

namespace IntuneVpp.Commands.Fleet
{
    /// <summary>
    /// Renews tokens from Apple's token files across tenants: reads every file, finds the one token each renews
    /// (RenewalPlanner), and sends each renewal with the checks of Set-IntuneVppToken -TokenFile. One result per file;
    /// under -WhatIf the results are the plan.
    /// </summary>
    [Cmdlet(VerbsData.Update, "IntuneVppToken", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(VppTokenRenewal))]
    public sealed class UpdateIntuneVppTokenCommand : FleetCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        private static readonly StringComparer PathComparer =
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

        private readonly List<AppleVppTokenFile> _files = new();
        private readonly HashSet<string> _seen = new(PathComparer);

        #region Parameters

        /// <summary>Apple's .vpptoken files; wildcards are expanded.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Apple's .vpptoken files, taken as they are written (what Get-ChildItem's output binds to).</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP", "FullName")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>Starts a license sync of each token once it is renewed.</summary>
        [Parameter]
        public SwitchParameter Sync { get; set; }

        #endregion

        private protected override string ReadActivity => "Reading VPP tokens to match the files";

        protected override async Task ProcessRecordAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            bool literal = ParameterSetName == LiteralPathSet;
            foreach (string path in literal ? LiteralPath : Path)
            {
                foreach (string file in await TokenFiles.ResolveAsync(pipeline, path, literal).ConfigureAwait(false))
                {
                    if (!_seen.Add(file))
                    {
                        continue;
                    }

                    // The one check Set-IntuneVppToken -TokenFile makes: readable, a token file, not expired.
                    if (TokenFiles.Check(file, out AppleVppTokenFile? tokenFile) is { } problem)
                    {
                        ErrorRecord record = ErrorRecords.TokenFile(problem, file);
                        await pipeline.WriteErrorAsync(record).ConfigureAwait(false);
                        await pipeline.WriteObjectAsync(new VppTokenRenewal
                        {
                            File = file,
                            OrganizationName = problem.Expired?.OrganizationName,
                            Location = TokenLocation.FromFileName(file),
                            NewExpiration = problem.Expired?.ExpirationDateTime,
                            Outcome = VppTokenRenewalOutcome.Failed,
                            Error = record.ErrorDetails?.Message ?? record.Exception.Message,
                        }).ConfigureAwait(false);
                        continue;
                    }

                    _files.Add(tokenFile!);
                }
            }
        }

        protected override async Task EndProcessingAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            if (_files.Count == 0)
            {
                return;
            }

            IReadOnlyList<TenantTokens> tenants = await ReadTenantsAsync(pipeline, cancellationToken).ConfigureAwait(false);
            var connectionOf = new Dictionary<TenantTokens, IntuneVppConnection>();
            for (int i = 0; i < tenants.Count; i++)
            {
                connectionOf[tenants[i]] = Connections[i];
                if (tenants[i].Error is { } error)
                {
                    await pipeline.WriteErrorAsync(ErrorRecords.TenantUnreadable(error, tenants[i].TenantId)).ConfigureAwait(false);
                }
            }

            var approved = new List<RenewalPlanEntry>();
            foreach (RenewalPlanEntry entry in RenewalPlanner.Plan(_files, tenants))
            {
                if (entry.Outcome == VppTokenRenewalOutcome.WouldRenew)
                {
                    if (await pipeline.ShouldProcessAsync(DescribeTarget(entry.Tenant!, entry.Token!), DescribeAction(entry, entry.Token!)).ConfigureAwait(false))
                    {
                        approved.Add(entry);
                    }
                    else
                    {
                        await pipeline.WriteObjectAsync(entry.ToResult()).ConfigureAwait(false);
                    }

                    continue;
                }

                if (entry.Outcome != VppTokenRenewalOutcome.NotNewer)
                {
                    await pipeline.WriteErrorAsync(entry.Outcome == VppTokenRenewalOutcome.Ambiguous
                        ? ErrorRecords.TokenFileAmbiguous(entry.Problem!, entry.Advice, entry.File.Path)
                        : ErrorRecords.TokenFileNoMatch(entry.Problem!, entry.Advice, entry.File.Path)).ConfigureAwait(false);
                }

                await pipeline.WriteObjectAsync(entry.ToResult()).ConfigureAwait(false);
            }

            await ApplyAsync(pipeline, approved, connectionOf, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Sends the renewals: each tenant's one after another, under its own pacing, several tenants at once.</summary>
        private async Task ApplyAsync(AsyncPipeline pipeline, List<RenewalPlanEntry> approved, Dictionary<TenantTokens, IntuneVppConnection> connectionOf, CancellationToken cancellationToken)
        {
            var progress = new CountedProgress(pipeline, GetType().Name.GetHashCode() & 0x7fffffff, "Renewing VPP tokens", approved.Count, "done");
            await GraphConcurrency.ForEachAsync(approved.GroupBy(entry => entry.Tenant!), FleetListing.ConcurrentTenants, async (tenant, token) =>
            {
                IntuneVppConnection connection = connectionOf[tenant.Key];
                foreach (RenewalPlanEntry entry in tenant)
                {
                    (VppTokenRenewal result, ErrorRecord? error) = await RenewAsync(connection, entry, token).ConfigureAwait(false);
                    if (error is not null)
                    {
                        await pipeline.WriteErrorAsync(error).ConfigureAwait(false);
                    }

                    await pipeline.WriteObjectAsync(result).ConfigureAwait(false);
                    await progress.StepAsync().ConfigureAwait(false);
                }

                return true;
            }, cancellationToken).ConfigureAwait(false);

            await progress.CompleteAsync().ConfigureAwait(false);
        }

        /// <summary>
        /// One renewal, as Set-IntuneVppToken -TokenFile does it: the token is read again just before, so that a change
        /// since the listing (another run renewed it, its organization changed) sends nothing.
        /// </summary>
        private async Task<(VppTokenRenewal, ErrorRecord?)> RenewAsync(IntuneVppConnection connection, RenewalPlanEntry entry, CancellationToken cancellationToken)
        {
            VppTokenService tokens = connection.Client.VppTokens;
            IGraphLog log = LogFor(connection);
            AppleVppTokenFile file = entry.File;
            VppToken current;
            try
            {
                current = await tokens.GetAsync(entry.Token!.Id, log, cancellationToken).ConfigureAwait(false);
                if (!Tokens.TokenFiles.SameOrganization(file, current))
                {
                    ErrorRecord mismatch = ErrorRecords.TokenFileOrganizationMismatch(
                        $"The token file '{file.Path}' is for '{file.OrganizationName}', but VPP token {current.Id} in tenant {entry.Tenant!.TenantId ?? "(unknown)"} now belongs to '{current.OrganizationName}'. Nothing was sent; if the organization really changed, use Set-IntuneVppToken -Id {current.Id} -TokenFile '{file.Path}' -Force.",
                        file.Path);
                    return (entry.ToResult(VppTokenRenewalOutcome.Failed, mismatch.Exception.Message, current), mismatch);
                }

                if (current.ExpirationDateTime is { } expires && file.ExpirationDateTime <= expires)
                {
                    return (entry.ToResult(VppTokenRenewalOutcome.NotNewer, string.Format(
                        CultureInfo.InvariantCulture,
                        "VPP token {0} was renewed while this ran: it expires on {1:yyyy-MM-dd}, not earlier than the file's {2:yyyy-MM-dd}. Nothing was sent.",
                        current.Id,
                        expires.UtcDateTime,
                        file.ExpirationDateTime.UtcDateTime), current), null);
                }

                await tokens.UpdateAsync(current.Id, new VppTokenChanges { Token = file.Token }, log, cancellationToken).ConfigureAwait(false);
            }
            catch (GraphException ex)
            {
                ErrorRecord failed = ErrorRecords.FromGraph(ex, file.Path);
                return (entry.ToResult(VppTokenRenewalOutcome.Failed, failed.ErrorDetails?.Message ?? ex.Message), failed);
            }

            VppTokenRenewal renewed = entry.ToResult(VppTokenRenewalOutcome.Renewed, null, current);
            if (Sync)
            {
                try
                {
                    await tokens.SyncLicensesAsync(current.Id, log, cancellationToken).ConfigureAwait(false);
                }
                catch (GraphException ex)
                {
                    // The renewal stands; only the sync is left to do.
                    ErrorRecord syncFailed = ErrorRecords.FromGraph(ex, file.Path);
                    renewed.Error = $"Renewed, but the license sync could not be started: {syncFailed.ErrorDetails?.Message ?? ex.Message} Start it with Sync-IntuneVppToken -Id {current.Id}.";
                    return (renewed, syncFailed);
                }
            }

            return (renewed, null);
        }

        private static string DescribeTarget(TenantTokens tenant, VppToken token) =>
            $"VPP token {token.Id} ({token.OrganizationName}{(TokenLocation.Of(token) is { } location ? ", location '" + location + "'" : string.Empty)}) in tenant {tenant.TenantId ?? "(unknown)"}";

        private string DescribeAction(RenewalPlanEntry entry, VppToken token) => string.Format(
            CultureInfo.InvariantCulture,
            "Renew from '{0}' (expiration {1} -> {2:yyyy-MM-dd}){3}",
            entry.File.Path,
            token.ExpirationDateTime is { } old ? old.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "unknown",
            entry.File.ExpirationDateTime.UtcDateTime,
            Sync ? " and start a license sync" : string.Empty);
    }
}
