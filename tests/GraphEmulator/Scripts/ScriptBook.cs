using System;
using System.Collections.Generic;
using System.Threading;

namespace GraphEmulator.Scripts;

/// <summary>A queue of answers for requests matching a method and a decoded path (trailing '*' = prefix).</summary>
internal sealed class Script(string? method, string path, IEnumerable<ScriptedResponse> responses)
{
    private readonly bool _prefix = path.EndsWith('*');
    private readonly string _path = path.TrimEnd('*');

    public Queue<ScriptedResponse> Responses { get; } = new(responses);

    public bool Matches(string requestMethod, string requestPath) =>
        (method is null || string.Equals(method, requestMethod, StringComparison.OrdinalIgnoreCase))
        && (_prefix
            ? requestPath.StartsWith(_path, StringComparison.OrdinalIgnoreCase)
            : string.Equals(requestPath, _path, StringComparison.OrdinalIgnoreCase));
}

/// <summary>All queued scripts, oldest first; a match consumes one answer and spent scripts drop out.</summary>
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
                    ScriptedResponse next = script.Responses.Dequeue();
                    if (script.Responses.Count == 0)
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
