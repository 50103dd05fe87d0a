using System.Diagnostics;
using BatchEngine.Jobs.Cli;

namespace BatchEngine.Tests.Infrastructure;

public sealed record CliResult(int ExitCode, string Output, string Error);

/// <summary>Runs <c>batchengine</c> in this process (fast) or as the real program in a child process.</summary>
public static class CliRunner
{
    public static readonly DateTimeOffset DemoNow = new(2026, 11, 25, 9, 0, 0, TimeSpan.FromHours(3.5));

    public static async Task<CliResult> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await BatchEngineCli.RunAsync(args, output, error, new FixedTime(DemoNow));
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>The built program, as a user runs it.</summary>
    public static Task<CliResult> RunProcessAsync(params string[] args) => RunProcessAsync(new Dictionary<string, string>(), args);

    /// <summary>The built program with <paramref name="environment"/> added to its environment (settings as BATCHENGINE_ variables).</summary>
    public static async Task<CliResult> RunProcessAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = Process.Start(BuiltProgram("batchengine", args, environment))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await output, await error);
    }

    /// <summary>A program built beside the tests (the command line, the Dashboard), its output captured.</summary>
    public static ProcessStartInfo BuiltProgram(string name, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, name))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return start;
    }
}

/// <summary>A clock standing still at one instant.</summary>
public sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
}
