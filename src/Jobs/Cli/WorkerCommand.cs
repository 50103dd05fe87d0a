using BatchEngine.Jobs.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BatchEngine.Jobs.Cli;

/// <summary><c>worker</c>: the engine without the web: a Hangfire server and a Quartz scheduler, until stopped.</summary>
internal static class WorkerCommand
{
    public static async Task<int> RunAsync(CliArguments args, EngineSettings settings, TextWriter output)
    {
        args.RejectUnknownOptions();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.AddEngineLogging(settings);
        builder.Services.AddEngine(settings);
        using var host = builder.Build();
        output.WriteLine($"Engine worker {Environment.ProcessId} on {settings.OpenDatabase().Description}; Ctrl+C stops it.");
        await host.RunAsync();
        return 0;
    }
}
