using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Runtime.CompilerServices;
using System.Threading;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Graph;
using IntuneVpp.Connections;

namespace IntuneVpp.Completion
{
    /// <summary>
    /// Completes -Id from the tenant's tokens, showing organization and Apple ID. The list is kept for a short while
    /// per connection so repeated Tab presses do not each ask Graph.
    /// </summary>
    public sealed class VppTokenIdCompleter : IArgumentCompleter
    {
        private static readonly TimeSpan KeepFor = TimeSpan.FromSeconds(60);
        private static readonly TimeSpan AskFor = TimeSpan.FromSeconds(5);
        private static readonly ConditionalWeakTable<IntuneVppConnection, Cached> Lists = new();

        public IEnumerable<CompletionResult> CompleteArgument(
            string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            IntuneVppConnection? connection = fakeBoundParameters["Connection"] is { } bound
                ? LanguagePrimitives.ConvertTo<IntuneVppConnection>(bound)
                : ConnectionRegistry.Current;
            if (connection is null || connection.IsDisconnected)
            {
                return Array.Empty<CompletionResult>();
            }

            string typed = wordToComplete.Trim('\'', '"');
            return TokensOf(connection)
                .Where(t => t.Id.StartsWith(typed, StringComparison.OrdinalIgnoreCase) ||
                            (t.OrganizationName?.IndexOf(typed, StringComparison.OrdinalIgnoreCase) ?? -1) >= 0)
                .Select(t => new CompletionResult(
                    t.Id,
                    $"{t.OrganizationName} ({t.AppleId})",
                    CompletionResultType.ParameterValue,
                    $"{t.Id}: {t.OrganizationName}, {t.AppleId}, {t.State}, expires {t.ExpirationDateTime:yyyy-MM-dd}"))
                .ToArray();
        }

        private static IReadOnlyList<VppToken> TokensOf(IntuneVppConnection connection)
        {
            Cached cached = Lists.GetValue(connection, _ => new Cached());
            if (cached.Tokens is { } tokens && DateTimeOffset.UtcNow - cached.At < KeepFor)
            {
                return tokens;
            }

            try
            {
                using var timeout = new CancellationTokenSource(AskFor);
                IReadOnlyList<VppToken> all = connection.Client.VppTokens.ListAllAsync(null, NullGraphLog.Instance, timeout.Token).GetAwaiter().GetResult();

                cached.Tokens = all;
                cached.At = DateTimeOffset.UtcNow;
                return all;
            }
            catch (Exception ex) when (ex is GraphException or OperationCanceledException)
            {
                // Completion must never throw at the user; no suggestions is the honest answer.
                return Array.Empty<VppToken>();
            }
        }

        private sealed class Cached
        {
            public IReadOnlyList<VppToken>? Tokens { get; set; }

            public DateTimeOffset At { get; set; }
        }
    }
}
