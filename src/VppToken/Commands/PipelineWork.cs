using System;
using System.Collections.Generic;
using System.Threading;

namespace IntuneVpp.Commands
{
    /// <summary>
    /// What the worker hands to the pipeline thread while a processing block runs. The pipeline thread sleeps until
    /// there is something to do or the block has ended, and does not spin first: BlockingCollection's wait spins and
    /// yields before it sleeps, which on a two-core machine takes CPU from the very I/O the thread is waiting for.
    /// </summary>
    internal sealed class PipelineWork
    {
        private readonly Queue<Action> _actions = new();
        private bool _completed;

        /// <summary>Queues an action. Throws InvalidOperationException once the block has ended.</summary>
        public void Add(Action action)
        {
            lock (_actions)
            {
                if (_completed)
                {
                    throw new InvalidOperationException("The processing block has ended; nothing more can be done on the pipeline thread.");
                }

                _actions.Enqueue(action);
                Monitor.Pulse(_actions);
            }
        }

        /// <summary>Says the block has ended: the pipeline thread does what is queued, then returns.</summary>
        public void CompleteAdding()
        {
            lock (_actions)
            {
                _completed = true;
                Monitor.Pulse(_actions);
            }
        }

        /// <summary>Waits for the next action; false when the block has ended and nothing is left.</summary>
        public bool TryTake(out Action? action)
        {
            lock (_actions)
            {
                while (_actions.Count == 0)
                {
                    if (_completed)
                    {
                        action = null;
                        return false;
                    }

                    Monitor.Wait(_actions);
                }

                action = _actions.Dequeue();
                return true;
            }
        }
    }
}
