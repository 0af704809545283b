using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Errors;
using IntuneVpp.Module;

namespace IntuneVpp.Commands
{
    /// <summary>
    /// Runs a cmdlet's work asynchronously while everything PowerShell must see goes through the
    /// <see cref="AsyncPipeline"/> each block is given, which does it on the pipeline thread. Ctrl+C cancels the token
    /// every await receives, so a stop lands within moments wherever the work is: sending, waiting, paging.
    /// </summary>
    /// <remarks>
    /// The pipeline-only members a cmdlet inherits (WriteObject, ShouldProcess, SessionState, ...) are hidden below
    /// behind compile errors, so work that may run on another thread cannot call them by mistake. A block ends with a
    /// terminating error one way: <c>throw new TerminatingErrorException(record)</c>.
    /// </remarks>
    public abstract class AsyncPSCmdlet : PSCmdlet, IDisposable
    {
        private const string UseThePipeline = "Async cmdlets write, ask and read through the AsyncPipeline their block is given.";
        private const string ThrowInstead = "Async cmdlets end with throw new TerminatingErrorException(record).";

        private readonly CancellationTokenSource _stopping = new();
        private AsyncPipeline? _pipeline;

        protected sealed override void BeginProcessing()
        {
            _pipeline = new AsyncPipeline(this, LogPreferences.Of(MyInvocation.BoundParameters, GetVariableValue), _stopping.Token) { PrepareOutput = PrepareOutput };
            Run(BeginProcessingAsync);
        }

        protected sealed override void ProcessRecord() => Run(ProcessRecordAsync);

        protected sealed override void EndProcessing() => Run(EndProcessingAsync);

        protected sealed override void StopProcessing() => _stopping.Cancel();

        protected virtual Task BeginProcessingAsync(AsyncPipeline pipeline, CancellationToken cancellationToken) => Task.CompletedTask;

        protected virtual Task ProcessRecordAsync(AsyncPipeline pipeline, CancellationToken cancellationToken) => Task.CompletedTask;

        protected virtual Task EndProcessingAsync(AsyncPipeline pipeline, CancellationToken cancellationToken) => Task.CompletedTask;

        /// <summary>The one place every output object passes through, to take out what must not leave the cmdlet.</summary>
        private protected virtual object? PrepareOutput(object? value) => value;

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

        private void Run(Func<AsyncPipeline, CancellationToken, Task> block)
        {
            try
            {
                _pipeline!.Run(block, _stopping.Cancel);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                // Stopped by Ctrl+C: PowerShell ends the pipeline itself.
            }
            catch (TerminatingErrorException ex)
            {
                base.ThrowTerminatingError(ex.ErrorRecord);
            }
            catch (Exception ex) when (LoadFailure.Find(ex) is { } failure)
            {
                // Our own code failed to load (another module's copy of a dependency, a damaged install).
                base.ThrowTerminatingError(ErrorRecords.DependencyLoadFailed(failure));
            }
        }

#pragma warning disable CS0809, IDE0060 // Hidden on purpose: these stay callable only through AsyncPipeline.
        [Obsolete(UseThePipeline, true)]
        protected new void WriteObject(object sendToPipeline) => throw new NotSupportedException(UseThePipeline);

        [Obsolete(UseThePipeline, true)]
        protected new void WriteObject(object sendToPipeline, bool enumerateCollection) => throw new NotSupportedException(UseThePipeline);

        [Obsolete(UseThePipeline, true)]
        protected new void WriteError(ErrorRecord errorRecord) => throw new NotSupportedException(UseThePipeline);

        [Obsolete(UseThePipeline, true)]
        protected new void WriteWarning(string text) => throw new NotSupportedException(UseThePipeline);

        [Obsolete(UseThePipeline, true)]
        protected new void WriteVerbose(string text) => throw new NotSupportedException(UseThePipeline);

        [Obsolete(UseThePipeline, true)]
        protected new void WriteDebug(string text) => throw new NotSupportedException(UseThePipeline);

        [Obsolete(UseThePipeline, true)]
        protected new void WriteProgress(ProgressRecord progressRecord) => throw new NotSupportedException(UseThePipeline);

        [Obsolete(UseThePipeline, true)]
        protected new void WriteInformation(InformationRecord informationRecord) => throw new NotSupportedException(UseThePipeline);

        [Obsolete(UseThePipeline, true)]
        protected new void WriteInformation(object messageData, string[] tags) => throw new NotSupportedException(UseThePipeline);

        [Obsolete(UseThePipeline, true)]
        protected new bool ShouldProcess(string target) => throw new NotSupportedException(UseThePipeline);

        [Obsolete(UseThePipeline, true)]
        protected new bool ShouldProcess(string target, string action) => throw new NotSupportedException(UseThePipeline);

        [Obsolete(UseThePipeline, true)]
        protected new bool ShouldProcess(string verboseDescription, string verboseWarning, string caption) => throw new NotSupportedException(UseThePipeline);

        [Obsolete(UseThePipeline, true)]
        protected new bool ShouldProcess(string verboseDescription, string verboseWarning, string caption, out ShouldProcessReason shouldProcessReason) =>
            throw new NotSupportedException(UseThePipeline);

        [Obsolete(UseThePipeline, true)]
        protected new bool ShouldContinue(string query, string caption) => throw new NotSupportedException(UseThePipeline);

        [Obsolete(UseThePipeline, true)]
        protected new bool ShouldContinue(string query, string caption, ref bool yesToAll, ref bool noToAll) => throw new NotSupportedException(UseThePipeline);

        [Obsolete(UseThePipeline, true)]
        protected new bool ShouldContinue(string query, string caption, bool hasSecurityImpact, ref bool yesToAll, ref bool noToAll) =>
            throw new NotSupportedException(UseThePipeline);

        [Obsolete(ThrowInstead, true)]
        protected new void ThrowTerminatingError(ErrorRecord errorRecord) => throw new NotSupportedException(ThrowInstead);

        [Obsolete(UseThePipeline, true)]
        protected new SessionState SessionState => throw new NotSupportedException(UseThePipeline);

        [Obsolete(UseThePipeline, true)]
        protected new CommandInvocationIntrinsics InvokeCommand => throw new NotSupportedException(UseThePipeline);
#pragma warning restore CS0809, IDE0060
    }

    /// <summary>Thrown from a block's work to end the cmdlet with a terminating error on the pipeline thread.</summary>
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
