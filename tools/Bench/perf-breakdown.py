#!/usr/bin/env python3
"""Per-call CPU of one PowerShell loop, split by the frames on the stack, from `perf script` output.

usage: breakdown.py PERF_SCRIPT_TXT CPU_US_PER_CALL
Each row is the share of samples whose stack holds the frame, times the loop's measured CPU per call.
Rows are inclusive (a frame's callees count in it), so they overlap and do not add up. A second table splits the
samples that are not spinning by thread (the pipeline thread, the thread pool's) and by where they are: the process's
own code or the runtime's, or the kernel for a system call (futex: a thread put to sleep or woken).
"""
import sys

ROWS = [
    ('the whole call on the pipeline thread (PowerShell runs the command)', 'PipelineOps::InvokePipeline'),
    ('  parameter binding (CommandProcessor.Prepare)', 'CommandProcessor::Prepare'),
    ('    of it, the binder built for this call', 'get_CmdletParameterBinderController'),
    ('    of it, dynamic parameters (the settings of Set-IntuneVppToken)', 'HandleCommandLineDynamicParameters'),
    ('  PowerShell\'s command lifecycle log (every command)', 'LogCommandLifecycleEvent'),
    ('  the cmdlet\'s Begin block', 'AsyncPSCmdlet::BeginProcessing'),
    ('  the cmdlet\'s Process block, on the pipeline thread', 'AsyncPSCmdlet::ProcessRecord'),
    ('    ShouldProcess and what -WhatIf/-Confirm would show', 'ShouldProcessWillShowAsync'),
    ('    waiting for the worker (PipelineWork)', 'PipelineWork::TryTake'),
    ('GraphClient.SendAsync, all threads', 'GraphClient+<SendAsync>'),
    ('  Azure.Core pipeline with VppToken\'s policies', 'HttpPipeline::SendAsync'),
    ('    HttpClient itself (sockets, HTTP/1.1)', 'HttpClient+<<SendAsync>'),
    ('  response headers read', 'GraphClient::Header'),
    ('the answer read into a VppToken', 'VppTokenService::ReadToken'),
    ('the raw floor\'s HttpClient send (floor only)', 'RawPatch::Send'),
    ('spinning threads (sched_yield)', 'sched_yield'),
]

path, cpu = sys.argv[1], float(sys.argv[2])
stacks, threads, current, thread = [], [], [], ''
for line in open(path, errors='replace'):
    line = line.rstrip('\n')
    if not line.strip():
        if current:
            stacks.append(current)
            threads.append(thread)
        current = []
    elif line[0] in '\t ':
        parts = line.strip().split(' ', 1)
        if len(parts) == 2:
            current.append(parts[1])
    else:
        thread = line.split()[0]
        current = []
if current:
    stacks.append(current)
    threads.append(thread)

print(f'{len(stacks)} samples; {cpu:.0f} us CPU per call')
for label, frame in ROWS:
    share = sum(1 for s in stacks if any(frame in f for f in s)) / len(stacks)
    if share > 0:
        print(f'| {label} | {share * cpu:6.1f} us | {100 * share:5.1f} % |')

split = {}
for stack, thread in zip(stacks, threads):
    if any('sched_yield' in f for f in stack):
        continue
    call = next((f.split('+')[0].replace('__x64_sys_', '').replace('__do_sys_', '') for f in stack if '__x64_sys_' in f or '__do_sys_' in f), None)
    where = f'system call {call}' if call else ('the runtime (libcoreclr)' if 'libcoreclr' in stack[0] else 'code')
    name = {'Pipeline': 'pipeline thread', '.NET': 'thread pool'}.get(thread, thread)
    split[(name, where)] = split.get((name, where), 0) + 1
print()
print('| Thread, not spinning | Where | CPU per call |')
print('|---|---|---|')
for (name, where), count in sorted(split.items(), key=lambda kv: -kv[1]):
    if count / len(stacks) * cpu >= 0.5:
        print(f'| {name} | {where} | {count / len(stacks) * cpu:6.1f} us |')
