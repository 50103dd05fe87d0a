using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests;

/// <summary>
/// What the whole run shares: the PostgreSQL server, started by the first test that needs it and stopped
/// at the end. In the root namespace so that its tear-down runs after every test.
/// </summary>
[SetUpFixture]
public sealed class TestRun
{
    private static readonly Lazy<Task<PostgresServer>> Server = new(() => PostgresServer.StartAsync());

    public static Task<PostgresServer> PostgresAsync() => Server.Value;

    /// <summary>
    /// Configuration files are watched by polling, in this process and the programs it starts: every host and harness
    /// a test builds watches its settings, and inotify allows a user only 128 watchers on this machine's kind, for all
    /// its processes together (two runs at once ran out).
    /// </summary>
    [OneTimeSetUp]
    public void WatchFilesByPolling() => Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (Server.IsValueCreated && Server.Value.IsCompletedSuccessfully)
        {
            await (await Server.Value).DisposeAsync();
        }
    }
}
