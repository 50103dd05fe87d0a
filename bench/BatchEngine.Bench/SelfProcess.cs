using System.Diagnostics;

namespace BatchEngine.Bench;

/// <summary>This benchmark program again, in a process of its own: a measurement whose peak memory is its own.</summary>
public static class SelfProcess
{
    public static ProcessStartInfo Start(params string[] args)
    {
        var host = Environment.ProcessPath!;
        var start = new ProcessStartInfo(host);
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(SelfProcess).Assembly.Location);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }
}
