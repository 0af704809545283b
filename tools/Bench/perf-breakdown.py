#!/usr/bin/env python3
"""Per-call CPU of one PowerShell loop, split by the frames on the stack, from `perf script` output.

usage: breakdown.py PERF_SCRIPT_TXT CPU_US_PER_CALL
Each row is the share of samples whose stack holds the frame, times the loop's measured CPU per call.
Rows are inclusive (a frame's callees count in it), so they overlap and do not add up.
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
stacks, current = [], []
for line in open(path, errors='replace'):
    line = line.rstrip('\n')
    if not line.strip():
        if current:
            stacks.append(current)
        current = []
    elif line[0] in '\t ':
        parts = line.strip().split(' ', 1)
        if len(parts) == 2:
            current.append(parts[1])
    else:
        current = []
if current:
    stacks.append(current)

print(f'{len(stacks)} samples; {cpu:.0f} us CPU per call')
for label, frame in ROWS:
    share = sum(1 for s in stacks if any(frame in f for f in s)) / len(stacks)
    if share > 0:
        print(f'| {label} | {share * cpu:6.1f} us | {100 * share:5.1f} % |')
