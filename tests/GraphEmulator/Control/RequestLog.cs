using System;
using System.Collections.Generic;
using System.Threading;

namespace GraphEmulator.Control;

/// <summary>One request as the emulator received it; <see cref="Path"/> is the raw target, percent-encoding untouched.</summary>
internal sealed record LoggedRequest(
    long Sequence,
    DateTimeOffset Time,
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    string Body);

/// <summary>Append-only, thread-safe record of every non-control request, in arrival order.</summary>
internal sealed class RequestLog
{
    private readonly Lock _gate = new();
    private readonly List<LoggedRequest> _entries = [];
    private long _sequence;

    public void Add(Func<long, LoggedRequest> create)
    {
        lock (_gate)
        {
            _entries.Add(create(++_sequence));
        }
    }

    public LoggedRequest[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _entries];
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }
}
