using BatchEngine.Data;
using BatchEngine.Data.Migrations;

namespace BatchEngine.Tests.Infrastructure;

/// <summary>
/// A test that runs once per store: SQLite (a file of its own) and the run's real PostgreSQL (a database of
/// its own). Each test starts on a fresh, migrated database.
/// </summary>
[TestFixtureSource(nameof(Stores))]
[Category(Categories.Store)]
public abstract class StoreTest(string store)
{
    public static readonly string[] Stores = ["sqlite", "postgres"];

    protected string Store { get; } = store;
    protected Database Database { get; private set; } = null!;
    protected string DatabaseSetting { get; private set; } = "";
    protected string TempDirectory { get; private set; } = "";

    [SetUp]
    public async Task CreateDatabaseAsync()
    {
        TempDirectory = Directory.CreateTempSubdirectory("batchengine-test-").FullName;
        if (Store == "postgres")
        {
            DatabaseSetting = await (await TestRun.PostgresAsync()).CreateDatabaseAsync();
            Database = Database.FromSetting(DatabaseSetting);
        }
        else
        {
            DatabaseSetting = Path.Combine(TempDirectory, "batchengine.db");
            Database = Database.FromSetting(DatabaseSetting);
            await new Migrator(Database).MigrateAsync();
        }
    }

    [TearDown]
    public void RemoveTempDirectory()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        // Each test has a database of its own, hence a pool of its own: idle connections would pile up on the server.
        Npgsql.NpgsqlConnection.ClearAllPools();
        Directory.Delete(TempDirectory, recursive: true);
    }
}
