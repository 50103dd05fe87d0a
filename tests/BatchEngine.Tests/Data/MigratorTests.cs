using BatchEngine.Data;
using BatchEngine.Data.Migrations;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Data;

public sealed class MigratorTests(string store) : StoreTest(store)
{
    [Test]
    public async Task Migrating_a_current_schema_applies_nothing()
    {
        Assert.That(await new Migrator(Database).MigrateAsync(), Is.Empty);
        Assert.That(await new Migrator(Database).CurrentVersionAsync(), Is.EqualTo(Migrator.Scripts[^1].Version));
    }

    [Test]
    public async Task Several_processes_migrating_an_empty_database_at_once_apply_each_script_once()
    {
        var setting = Store == "postgres"
            ? await (await TestRun.PostgresAsync()).CreateEmptyDatabaseAsync()
            : Path.Combine(TempDirectory, "empty.db");
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => new Migrator(Database.FromSetting(setting)).MigrateAsync())));
        Assert.That(results.Sum(r => r.Count), Is.EqualTo(Migrator.Scripts.Count));
        Assert.That(await new Migrator(Database.FromSetting(setting)).CurrentVersionAsync(), Is.EqualTo(Migrator.Scripts[^1].Version));
    }
}
