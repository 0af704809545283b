using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using IntuneVpp.Commands;
using Xunit;

namespace IntuneVpp.Module.Tests
{
    /// <summary>The pipeline thread's queue: everything handed over is done, in order, and nothing after the block ends.</summary>
    public sealed class PipelineWorkTests
    {
        [Fact]
        public void Actions_are_taken_in_the_order_they_were_added_then_the_end_is_reported()
        {
            var work = new PipelineWork();
            var done = new List<int>();
            work.Add(() => done.Add(1));
            work.Add(() => done.Add(2));
            work.CompleteAdding();

            while (work.TryTake(out Action? action))
            {
                action!();
            }

            Assert.Equal(new[] { 1, 2 }, done);
            Assert.False(work.TryTake(out _));
        }

        [Fact]
        public void Nothing_can_be_added_once_the_block_has_ended()
        {
            var work = new PipelineWork();
            work.CompleteAdding();

            Assert.Throws<InvalidOperationException>(() => work.Add(() => { }));
        }

        [Fact]
        public async Task A_waiting_take_wakes_for_work_and_for_the_end_added_from_other_threads()
        {
            var work = new PipelineWork();
            var taken = new List<int>();
            Task consumer = Task.Factory.StartNew(
                () =>
                {
                    while (work.TryTake(out Action? action))
                    {
                        action!();
                    }
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);

            for (int i = 0; i < 100; i++)
            {
                int item = i;
                await Task.Run(() => work.Add(() => taken.Add(item)));
            }

            await Task.Run(work.CompleteAdding);
            Assert.Same(consumer, await Task.WhenAny(consumer, Task.Delay(TimeSpan.FromSeconds(10))));
            Assert.Equal(100, taken.Count);
            Assert.Equal(0, taken[0]);
            Assert.Equal(99, taken[99]);
        }
    }
}
