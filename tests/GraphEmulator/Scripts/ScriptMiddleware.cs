using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using GraphEmulator.Control;
using Microsoft.AspNetCore.Http;

namespace GraphEmulator.Scripts;

/// <summary>Answers a request from the script book instead of the normal routes, faults included.</summary>
internal sealed class ScriptMiddleware(RequestDelegate next, ScriptBook book)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (ControlPaths.IsControl(context.Request.Path)
            || book.TryTake(context.Request.Method, context.Request.Path.Value ?? "/") is not { } answer)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        CancellationToken aborted = context.RequestAborted;
        try
        {
            if (answer.DelayMs > 0)
            {
                await Task.Delay(answer.DelayMs, aborted).ConfigureAwait(false);
            }

            await PlayAsync(context, answer, aborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // the client gave up; nothing left to answer
        }
    }

    private static async Task PlayAsync(HttpContext context, ScriptedResponse answer, CancellationToken aborted)
    {
        switch (answer.Fault)
        {
            case ScriptFault.Reset:
                context.Abort();
                return;
            case ScriptFault.Hang:
                await Task.Delay(Timeout.Infinite, aborted).ConfigureAwait(false);
                return;
        }

        HttpResponse response = context.Response;
        response.StatusCode = answer.Status;
        if (answer.ContentType is not null)
        {
            response.ContentType = answer.ContentType;
        }

        foreach ((string name, string value) in answer.Headers)
        {
            response.Headers[name] = value;
        }

        if (answer.Fault == ScriptFault.ResetMidBody)
        {
            byte[] full = answer.Body ?? Encoding.UTF8.GetBytes("{\"value\":[" + new string(' ', 256) + "]}");
            response.ContentLength = full.Length;
            await response.Body.WriteAsync(full.AsMemory(0, Math.Max(1, full.Length / 2)), aborted).ConfigureAwait(false);
            await response.Body.FlushAsync(aborted).ConfigureAwait(false);
            context.Abort();
            return;
        }

        if (answer.Body is { } bytes)
        {
            response.ContentLength = bytes.Length;
            await response.Body.WriteAsync(bytes, aborted).ConfigureAwait(false);
        }
    }
}
