using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace IntuneVpp.Commands
{
    /// <summary>
    /// A progress bar that counts work done in parallel ("3 of 12 tenants read"), drawn only when there is more than
    /// one piece: a single item shows nothing.
    /// </summary>
    internal sealed class CountedProgress
    {
        private readonly AsyncPipeline _pipeline;
        private readonly int _activityId;
        private readonly string _activity;
        private readonly int _total;
        private readonly string _what;
        private int _done;

        public CountedProgress(AsyncPipeline pipeline, int activityId, string activity, int total, string what)
        {
            _pipeline = pipeline;
            _activityId = activityId;
            _activity = activity;
            _total = total;
            _what = what;
        }

        /// <summary>One more piece done; safe from parallel work.</summary>
        public Task StepAsync()
        {
            int now = Interlocked.Increment(ref _done);
            return _total > 1
                ? _pipeline.WriteProgressAsync(new ProgressRecord(_activityId, _activity, $"{now} of {_total} {_what}") { PercentComplete = 100 * now / _total })
                : Task.CompletedTask;
        }

        public Task CompleteAsync() =>
            _total > 1
                ? _pipeline.WriteProgressAsync(new ProgressRecord(_activityId, _activity, "done") { RecordType = ProgressRecordType.Completed })
                : Task.CompletedTask;
    }
}
