using System.Diagnostics;
using System.Text;

namespace BatchEngine.Tests.Infrastructure;

/// <summary>
/// The real <c>batchengine</c> as a child process (<c>worker</c> unless another command is given), with settings passed
/// as environment variables; can be killed.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public WorkerProcess(string database, string dataDirectory, IDictionary<string, string?> settings, params string[] command)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "batchengine"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var argument in (command.Length == 0 ? ["worker"] : command).Concat(["--db", database, "--data", dataDirectory]))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["BATCHENGINE_Engine__SchedulePollingSeconds"] = "1";
        start.Environment["BATCHENGINE_Engine__ClusterCheckinSeconds"] = "2";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            // Logging is the host's own section, not the engine's.
            var prefix = key.StartsWith("Logging:", StringComparison.Ordinal) ? "" : "BATCHENGINE_";
            start.Environment[prefix + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL: no shutdown, no clean-up, as a crash or an out-of-memory kill would leave it.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>Waits until the condition holds, failing with the worker's output when it does not within the time.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, int pollMilliseconds = 200)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > timeout)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:F0} s waiting for {what}. Worker output:\n{Output}");
            }

            if (_process.HasExited)
            {
                Assert.Fail($"The worker exited ({_process.ExitCode}) while waiting for {what}:\n{Output}");
            }

            await Task.Delay(pollMilliseconds);
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }
}
