using BatchEngine.Jobs.Cli;

namespace BatchEngine.Jobs;

public static class Program
{
    public static Task<int> Main(string[] args) => BatchEngineCli.RunAsync(args, Console.Out, Console.Error, TimeProvider.System);
}
