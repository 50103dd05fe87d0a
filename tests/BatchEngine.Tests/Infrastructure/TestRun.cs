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

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (Server.IsValueCreated && Server.Value.IsCompletedSuccessfully)
        {
            await (await Server.Value).DisposeAsync();
        }
    }
}
