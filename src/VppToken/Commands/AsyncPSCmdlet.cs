using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Errors;
using IntuneVpp.Module;

namespace IntuneVpp.Commands
{
    /// <summary>
    /// Runs a cmdlet's work asynchronously off the pipeline thread while everything PowerShell must see (output,
    /// errors, verbose, progress, ShouldProcess) is queued back and done on the pipeline thread. Ctrl+C cancels the
    /// token every await receives, so a stop lands within moments wherever the work is: sending, waiting, paging.
    /// </summary>
    public abstract class AsyncPSCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new();
        private BlockingCollection<Action>? _pipelineWork;
        private int _pipelineThread = -1;
        private bool _verboseAsDebug;

        protected override void BeginProcessing()
        {
            // A compiled cmdlet run with -Debug gets VerbosePreference Inquire, so every verbose line would prompt, and
            // fail in a runbook. Under -Debug alone, verbose lines go to the debug stream, which -Debug shows as is.
            _verboseAsDebug = MyInvocation.BoundParameters.TryGetValue("Debug", out object? debug) && debug is SwitchParameter { IsPresent: true } &&
                              !MyInvocation.BoundParameters.ContainsKey("Verbose");
            RunOnPipelineThread(BeginProcessingAsync);
        }

        protected override void ProcessRecord() => RunOnPipelineThread(ProcessRecordAsync);

        protected override void EndProcessing() => RunOnPipelineThread(EndProcessingAsync);

        protected override void StopProcessing() => _stopping.Cancel();

        protected virtual Task BeginProcessingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        protected virtual Task ProcessRecordAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        protected virtual Task EndProcessingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        /// <summary>Writes output from any thread.</summary>
        protected void QueueObject(object? value) => Queue(() => WriteObject(PrepareOutput(value)));

        /// <summary>The one place every output object passes through, to take out what must not leave the cmdlet.</summary>
        private protected virtual object? PrepareOutput(object? value) => value;

        protected void QueueError(ErrorRecord record) => Queue(() => WriteError(record));

        protected void QueueVerbose(string message) => Queue(() =>
        {
            if (_verboseAsDebug)
            {
                WriteDebug(message);
            }
            else
            {
                WriteVerbose(message);
            }
        });

        protected void QueueDebug(string message) => Queue(() => WriteDebug(message));

        protected void QueueWarning(string message) => Queue(() => WriteWarning(message));

        protected void QueueProgress(ProgressRecord record) => Queue(() => WriteProgress(record));

        /// <summary>Asks ShouldProcess on the pipeline thread, where -WhatIf and -Confirm can answer.</summary>
        protected Task<bool> ShouldProcessAsync(string target, string action) =>
            OnPipelineThreadAsync(() => ShouldProcess(target, action));

        /// <summary>Runs <paramref name="func"/> on the pipeline thread (where the runspace and host are) and awaits it.</summary>
        protected Task<T> OnPipelineThreadAsync<T>(Func<T> func)
        {
            if (IsOnPipelineThread)
            {
                return Task.FromResult(func());
            }

            var answer = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            _stopping.Token.Register(() => answer.TrySetCanceled());
            Queue(() =>
            {
                try
                {
                    answer.TrySetResult(func());
                }
                catch (Exception ex)
                {
                    answer.TrySetException(ex);
                }
            });
            return answer.Task;
        }

        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        protected virtual void Dispose(bool disposing)
        {
            if (disposing)
            {
                _stopping.Dispose();
            }
        }

        private static async Task RunToEnd(Func<CancellationToken, Task> block, CancellationToken token, BlockingCollection<Action> work)
        {
            try
            {
                await block(token).ConfigureAwait(false);
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

        // True while a block still runs synchronously on the pipeline thread, before its first real await.
        private bool IsOnPipelineThread => _pipelineThread == Environment.CurrentManagedThreadId;

        private void Queue(Action action)
        {
            if (IsOnPipelineThread)
            {
                action();
                return;
            }

            BlockingCollection<Action> work = _pipelineWork ?? throw new InvalidOperationException("Pipeline output was queued outside a processing block.");
            work.Add(action);
        }

        private void RunOnPipelineThread(Func<CancellationToken, Task> block)
        {
            using var work = new BlockingCollection<Action>();
            _pipelineWork = work;
            CancellationToken token = _stopping.Token;

            // The block starts here, on the pipeline thread, and leaves it at its first await that does not complete
            // at once (every await in the module is ConfigureAwait(false)). A block with nothing to wait for, the usual
            // Begin and End, so costs no thread hop at all.
            _pipelineThread = Environment.CurrentManagedThreadId;
            Task running = RunToEnd(block, token, work);
            _pipelineThread = -1;

            try
            {
                foreach (Action action in work.GetConsumingEnumerable())
                {
                    action();
                }
            }
            catch
            {
                // The pipeline is ending under us (Select-Object -First, a terminating error): stop the work, let it
                // finish, then let PowerShell see the original exception.
                _stopping.Cancel();
                WaitQuietly(running);
                _pipelineWork = null;
                throw;
            }

            try
            {
                running.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Stopped by Ctrl+C: PowerShell ends the pipeline itself.
            }
            catch (TerminatingErrorException ex)
            {
                ThrowTerminatingError(ex.ErrorRecord);
            }
            catch (Exception ex) when (LoadFailure.Find(ex) is { } failure)
            {
                // Our own code failed to load (another module's copy of a dependency, a damaged install).
                ThrowTerminatingError(ErrorRecords.DependencyLoadFailed(failure));
            }
            finally
            {
                _pipelineWork = null;
            }
        }
    }

    /// <summary>Thrown from async work to end the cmdlet with a terminating error on the pipeline thread.</summary>
    public sealed class TerminatingErrorException : Exception
    {
        public TerminatingErrorException(ErrorRecord errorRecord)
            : base(errorRecord.Exception?.Message, errorRecord.Exception)
        {
            ErrorRecord = errorRecord;
        }

        public ErrorRecord ErrorRecord { get; }
    }
}
