using System.Text.Json;
using BatchEngine.Data.Register;
using BatchEngine.Data.Returns;
using BatchEngine.Tests.Infrastructure;
using Dapper;

namespace BatchEngine.Tests.Cli;

/// <summary>migrate, demo-data and status through the command line, on both stores.</summary>
[Category(Categories.Process)]
public sealed class DatabaseCommandTests(string store) : StoreTest(store)
{
    [Test]
    public async Task Migrate_reports_a_current_schema()
    {
        var result = await CliRunner.RunAsync("migrate", "--db", DatabaseSetting);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.Contain("is current"));
    }

    [Test]
    public async Task Demo_data_then_status_gives_consistent_real_counts()
    {
        var load = await CliRunner.RunAsync("demo-data", "--units", "400", "--db", DatabaseSetting);
        Assert.That(load.ExitCode, Is.EqualTo(0), load.Error);
        Assert.That(load.Output, Does.Contain("Loaded 400 units").And.Contain("tehran-expert"));

        await using var connection = await Database.OpenAsync();
        foreach (var period in new[] { "1405-07", "1405-08", "1404-09" })
        {
            var result = await CliRunner.RunAsync("status", "--period", period, "--json", "--db", DatabaseSetting);
            Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
            var json = JsonDocument.Parse(result.Output).RootElement;
            var byState = json.GetProperty("byState").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
            var returns = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM returns WHERE period = @period", new { period });
            Assert.That(byState.Values.Sum(), Is.EqualTo(returns), period);
            var expected = json.GetProperty("expected").GetInt32();
            Assert.That(expected, Is.EqualTo(400));
            Assert.That(json.GetProperty("onTime").GetInt32() + json.GetProperty("late").GetInt32() + json.GetProperty("missing").GetInt32()
                + json.GetProperty("notYetDue").GetInt32(), Is.EqualTo(expected));
            var flags = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM missed_deadline_flags WHERE period = @period", new { period });
            Assert.That(json.GetProperty("flagged").GetInt32(), Is.EqualTo(flags));
            var inactive = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM units WHERE status = 'PossiblyInactive'");
            Assert.That(json.GetProperty("possiblyInactive").GetInt32(), Is.EqualTo(inactive));
        }

        var province = await CliRunner.RunAsync("status", "--period", "1405-07", "--province", "tehran", "--db", DatabaseSetting);
        Assert.That(province.Output, Does.Contain("province tehran").And.Contain("expected units        77"));
    }

    [Test]
    public async Task Demo_data_is_a_living_system()
    {
        var load = await CliRunner.RunAsync("demo-data", "--units", "600", "--db", DatabaseSetting);
        Assert.That(load.ExitCode, Is.EqualTo(0), load.Error);
        await using var connection = await Database.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM provinces"), Is.EqualTo(31));
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM products"), Is.GreaterThanOrEqualTo(40));
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(DISTINCT period) FROM returns"), Is.EqualTo(13));
        Assert.That(await connection.QueryAsync<string>("SELECT DISTINCT state FROM returns"), Is.EquivalentTo(Enum.GetNames<ReturnState>()));
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM returns WHERE late = TRUE"), Is.GreaterThan(0));
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM return_history WHERE reason IS NOT NULL"), Is.GreaterThan(0));
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM units WHERE status = 'PossiblyInactive'"), Is.GreaterThan(0));
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM liaisons WHERE mobile IS NOT NULL AND mobile NOT LIKE '09_________'"), Is.EqualTo(0));
        Assert.That(await connection.QueryAsync<string>("SELECT role FROM users"), Is.EquivalentTo(new[] { "Admin", "MinistryExpert", "ProvincialExpert", "Liaison", "ProvincialExpert", "Liaison" }));
        Assert.That(await new UserAccounts(Database).VerifyAsync("tehran-liaison", "demo1404"), Is.Not.Null);

        // Every return's last history entry is its state, at its version.
        var mismatched = await connection.ExecuteScalarAsync<int>(
            """
            SELECT COUNT(*) FROM returns r
            WHERE NOT EXISTS (SELECT 1 FROM return_history h WHERE h.return_id = r.id AND h.to_state = r.state AND h.version = r.version
                              AND h.id = (SELECT MAX(h2.id) FROM return_history h2 WHERE h2.return_id = r.id))
            """);
        Assert.That(mismatched, Is.EqualTo(0));

        // Some units stopped reporting long enough ago to be suspension candidates.
        var status = JsonDocument.Parse((await CliRunner.RunAsync("status", "--period", "1405-08", "--json", "--db", DatabaseSetting)).Output).RootElement;
        Assert.That(status.GetProperty("suspensionCandidates").GetInt32(), Is.GreaterThan(0));

        var again = await CliRunner.RunAsync("demo-data", "--db", DatabaseSetting);
        Assert.That(again.ExitCode, Is.EqualTo(2));
        Assert.That(again.Error, Does.Contain("already holds units"));
    }

    [Test]
    public async Task A_tick_just_past_the_deadline_flags_exactly_the_units_status_calls_missing_and_a_second_changes_nothing()
    {
        Assert.That((await CliRunner.RunAsync("demo-data", "--units", "300", "--db", DatabaseSetting, "--data", TempDirectory)).ExitCode, Is.EqualTo(0));
        var before = JsonDocument.Parse((await CliRunner.RunAsync("status", "--period", "1405-08", "--now", "1405-09-11T00:01", "--json", "--db", DatabaseSetting)).Output).RootElement;
        Assert.That(before.GetProperty("flagged").GetInt32(), Is.EqualTo(0));
        var missing = before.GetProperty("missing").GetInt32();
        Assert.That(missing, Is.GreaterThan(0));

        var tick = await CliRunner.RunAsync("tick", "--now", "1405-09-11T00:01", "--db", DatabaseSetting, "--data", TempDirectory);
        Assert.That(tick.ExitCode, Is.EqualTo(0), tick.Error);
        Assert.That(tick.Output, Does.Contain($"flagged {missing} missed deadline(s)"));

        var after = JsonDocument.Parse((await CliRunner.RunAsync("status", "--period", "1405-08", "--now", "1405-09-11T00:01", "--json", "--db", DatabaseSetting)).Output).RootElement;
        Assert.That(after.GetProperty("flagged").GetInt32(), Is.EqualTo(missing));
        Assert.That(after.GetProperty("reminders").EnumerateArray().Where(r => r.GetProperty("stage").GetString() == "overdue").Sum(r => r.GetProperty("count").GetInt32()),
            Is.GreaterThan(0));
        Assert.That(after.GetProperty("upcoming").GetArrayLength(), Is.GreaterThan(0));

        var again = await CliRunner.RunAsync("tick", "--now", "1405-09-11T00:01", "--db", DatabaseSetting, "--data", TempDirectory);
        Assert.That(again.Output, Does.Contain("nothing was due"));
        var unchanged = JsonDocument.Parse((await CliRunner.RunAsync("status", "--period", "1405-08", "--now", "1405-09-11T00:01", "--json", "--db", DatabaseSetting)).Output).RootElement;
        Assert.That(unchanged.ToString(), Is.EqualTo(after.ToString()));
    }

    [Test]
    public async Task Tick_refuses_an_instant_it_cannot_read()
    {
        var result = await CliRunner.RunAsync("tick", "--now", "next tuesday", "--db", DatabaseSetting);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("--now 'next tuesday' is not an instant"));
    }

    [Test]
    public async Task Status_names_an_unknown_province_and_an_unopened_period()
    {
        await new Seed(Database).BasicsAsync();
        var province = await CliRunner.RunAsync("status", "--period", "1404-06", "--province", "atlantis", "--db", DatabaseSetting);
        Assert.That(province.ExitCode, Is.EqualTo(2));
        Assert.That(province.Error, Does.Contain("There is no province 'atlantis'").And.Contain("tehran"));

        var period = await CliRunner.RunAsync("status", "--period", "1404-06", "--db", DatabaseSetting);
        Assert.That(period.ExitCode, Is.EqualTo(2));
        Assert.That(period.Error, Does.Contain("Period 1404-06 has not been opened"));
    }
}
