using System;
using System.Collections.Generic;
using System.Threading;

namespace GraphEmulator.Scripts;

/// <summary>A queue of answers for requests matching a method and a decoded path (trailing '*' = prefix).</summary>
internal sealed class Script(string? method, string path, IEnumerable<ScriptedResponse> responses)
{
    private readonly bool _prefix = path.EndsWith('*');
    private readonly string _path = path.TrimEnd('*');
    private readonly Queue<ScriptedResponse> _responses = new(responses);
    private int _givenOfFirst;

    /// <summary>True once every answer has been given as many times as it was scripted for.</summary>
    public bool IsSpent => _responses.Count == 0;

    /// <summary>The next answer: the first in the queue, which leaves it once given its times (never, if forever).</summary>
    public ScriptedResponse Take()
    {
        ScriptedResponse next = _responses.Peek();
        if (!next.Forever && ++_givenOfFirst >= next.Times)
        {
            _responses.Dequeue();
            _givenOfFirst = 0;
        }

        return next;
    }

    public bool Matches(string requestMethod, string requestPath) =>
        (method is null || string.Equals(method, requestMethod, StringComparison.OrdinalIgnoreCase))
        && (_prefix
            ? requestPath.StartsWith(_path, StringComparison.OrdinalIgnoreCase)
            : string.Equals(requestPath, _path, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// All queued scripts, oldest first; a match consumes one answer and spent scripts drop out. A forever answer keeps its
/// script matching until the scripts are cleared or the emulator reset.
/// </summary>
internal sealed class ScriptBook
{
    private readonly Lock _gate = new();
    private readonly List<Script> _scripts = [];
    private volatile int _count;

    public void Add(Script script)
    {
        lock (_gate)
        {
            _scripts.Add(script);
            _count = _scripts.Count;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _scripts.Clear();
            _count = 0;
        }
    }

    public ScriptedResponse? TryTake(string method, string path)
    {
        if (_count == 0)
        {
            return null; // the common case in benchmarks: no lock at all
        }

        lock (_gate)
        {
            for (int i = 0; i < _scripts.Count; i++)
            {
                Script script = _scripts[i];
                if (script.Matches(method, path))
                {
                    ScriptedResponse next = script.Take();
                    if (script.IsSpent)
                    {
                        _scripts.RemoveAt(i);
                        _count = _scripts.Count;
                    }

                    return next;
                }
            }

            return null;
        }
    }
}
