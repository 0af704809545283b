using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;
using System.Threading.Tasks;

namespace IntuneVpp.Commands
{
    /// <summary>
    /// What a cmdlet's async work may ask of PowerShell, from any thread: write to the streams, ask ShouldProcess, run a
    /// command, resolve a path, read a preference. Each call is done on the pipeline thread (at once when the caller is
    /// already there, before its first real await) and its task completes when PowerShell has done it, so a downstream
    /// <c>Select-Object -First 1</c> or a refused <c>-Confirm</c> stops the work at that await.
    /// </summary>
    public sealed class AsyncPipeline
    {
        private readonly PSCmdlet _cmdlet;
        private readonly bool _verboseAsDebug;
        private readonly bool _showsVerbose;
        private readonly bool _showsDebug;
        private PipelineWork? _work;
        private int _pipelineThread = -1;

        internal AsyncPipeline(PSCmdlet cmdlet, LogPreferences preferences, CancellationToken stopping)
        {
            _cmdlet = cmdlet;
            _verboseAsDebug = preferences.VerboseAsDebug;
            _showsVerbose = preferences.ShowsVerbose;
            _showsDebug = preferences.ShowsDebug;
            Stopping = stopping;
            Runspace = Runspace.DefaultRunspace;
        }

        /// <summary>The runspace the cmdlet runs in: the key of its session's connection, whatever thread asks.</summary>
        public Runspace? Runspace { get; }

        /// <summary>Cancelled by Ctrl+C or when the pipeline ends early.</summary>
        public CancellationToken Stopping { get; }

        /// <summary>
        /// Whether a verbose line is seen (-Verbose, $VerbosePreference, or -Debug, which shows them as debug lines).
        /// When not, <see cref="WriteVerboseAsync"/> hands nothing to the pipeline thread.
        /// </summary>
        public bool ShowsVerbose => _showsVerbose;

        /// <summary>Whether a debug line is seen (-Debug or $DebugPreference).</summary>
        public bool ShowsDebug => _showsDebug;

        /// <summary>Set by the cmdlet to take out of each output object what must not leave it.</summary>
        internal Func<object?, object?> PrepareOutput { get; set; } = value => value;

        public Task WriteObjectAsync(object? value) => Do(() => _cmdlet.WriteObject(PrepareOutput(value)));

        public Task WriteErrorAsync(ErrorRecord record) => Do(() => _cmdlet.WriteError(record));

        public Task WriteWarningAsync(string message) => Do(() => _cmdlet.WriteWarning(message));

        /// <summary>
        /// Under -Debug alone, goes to the debug stream: a compiled cmdlet run with -Debug gets VerbosePreference
        /// Inquire, so every verbose line would prompt, and fail in a runbook.
        /// </summary>
        public Task WriteVerboseAsync(string message) => !_showsVerbose ? Task.CompletedTask : Do(() =>
        {
            if (_verboseAsDebug)
            {
                _cmdlet.WriteDebug(message);
            }
            else
            {
                _cmdlet.WriteVerbose(message);
            }
        });

        public Task WriteDebugAsync(string message) => !_showsDebug ? Task.CompletedTask : Do(() => _cmdlet.WriteDebug(message));

        public Task WriteProgressAsync(ProgressRecord record) => Do(() => _cmdlet.WriteProgress(record));

        /// <summary>A line on the host as Write-Host puts it: shown whatever the preferences, kept in a transcript, and 6> can take it.</summary>
        public Task WriteHostAsync(string message) =>
            Do(() => _cmdlet.WriteInformation(new HostInformationMessage { Message = message }, new[] { "PSHOST" }));

        /// <summary>Asks ShouldProcess, where -WhatIf and -Confirm can answer.</summary>
        public Task<bool> ShouldProcessAsync(string target, string action) => Do(() => _cmdlet.ShouldProcess(target, action));

        /// <summary>Runs a script in the caller's session (the Connect-MgGraph bridge) with <c>$args</c> bound to <paramref name="args"/>.</summary>
        public Task<Collection<PSObject>> InvokeScriptAsync(string script, params object[] args) =>
            Do(() => _cmdlet.InvokeCommand.InvokeScript(script, false, PipelineResultTypes.None, null, args));

        /// <summary>A PowerShell path (relative, PSDrive, ~) as the file system path it names, whether or not it exists.</summary>
        public Task<string> GetUnresolvedProviderPathAsync(string path) =>
            Do(() => _cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path));

        /// <summary>
        /// A PowerShell path with wildcards as the provider paths it names, and the provider's name; none (and a null
        /// provider) when nothing matches or the drive does not exist.
        /// </summary>
        public Task<(IReadOnlyList<string> Paths, string? Provider)> ResolvePathAsync(string path) => Do(() =>
        {
            try
            {
                Collection<string> paths = _cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out ProviderInfo provider);
                return ((IReadOnlyList<string>)paths, (string?)provider.Name);
            }
            catch (SessionStateException)
            {
                // ItemNotFoundException, DriveNotFoundException, ProviderNotFoundException: the path names nothing.
                return (Array.Empty<string>(), null);
            }
        });

        /// <summary>A variable as the caller's session sees it ($WhatIfPreference, $ConfirmPreference).</summary>
        public Task<object?> GetVariableValueAsync(string name) => Do(() => (object?)_cmdlet.SessionState.PSVariable.GetValue(name));

        /// <summary>
        /// Runs one processing block: it starts here, on the pipeline thread, and leaves it at its first await that
        /// does not complete at once (every await in the module is ConfigureAwait(false)); until the block ends, this
        /// thread does what the block asks. A block with nothing to wait for costs no thread hop at all.
        /// </summary>
        internal void Run(Func<AsyncPipeline, CancellationToken, Task> block, Action stop)
        {
            var work = new PipelineWork();
            _work = work;
            _pipelineThread = Environment.CurrentManagedThreadId;
            Task running = RunToEnd(block, work);
            _pipelineThread = -1;

            try
            {
                while (work.TryTake(out Action? action))
                {
                    action!();
                }
            }
            catch
            {
                // The pipeline is ending under us (Select-Object -First, a terminating error): stop the work, let it
                // finish, then let PowerShell see the original exception.
                stop();
                WaitQuietly(running);
                _work = null;
                throw;
            }

            _work = null;
            running.GetAwaiter().GetResult();
        }

        private async Task RunToEnd(Func<AsyncPipeline, CancellationToken, Task> block, PipelineWork work)
        {
            try
            {
                await block(this, Stopping).ConfigureAwait(false);
            }
            finally
            {
                work.CompleteAdding();
            }
        }

        private static void WaitQuietly(Task task)
        {
            try
            {
                task.Wait();
            }
            catch (AggregateException)
            {
                // Already failing with the pipeline's own exception.
            }
        }

        private Task Do(Action action) => Do(() =>
        {
            action();
            return true;
        });

        private Task<T> Do<T>(Func<T> func)
        {
            if (_pipelineThread == Environment.CurrentManagedThreadId)
            {
                return Task.FromResult(func());
            }

            PipelineWork work = _work ?? throw new InvalidOperationException("The pipeline was used outside a processing block.");
            var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            CancellationTokenRegistration stopped = Stopping.Register(() => done.TrySetCanceled());
            work.Add(() =>
            {
                stopped.Dispose();
                try
                {
                    done.TrySetResult(func());
                }
                catch (Exception ex)
                {
                    // The worker stops at its await; the pipeline thread still ends with PowerShell's own exception.
                    done.TrySetException(ex);
                    throw;
                }
            });
            return done.Task;
        }
    }
}
