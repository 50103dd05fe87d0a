using System.Text.Json;
using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Flags;
using BatchEngine.Data.Notifications;
using BatchEngine.Data.Periods;
using BatchEngine.Data.Register;
using BatchEngine.Data.Status;
using BatchEngine.Tests.Infrastructure;
using Dapper;

namespace BatchEngine.Tests.Data;

/// <summary>
/// The deadline step on PostgreSQL at national scale as production has it: the newest period's returns are not in
/// the planner's statistics (a month is under autovacuum's threshold of a table holding years). A plan that trusts
/// the estimate of one row loops over every unit for every return: at 40,000 units (beyond the national 24,000, so
/// that the gap is wide) 40,000 × 21,000 comparisons a statement, tens of seconds, against well under one for a plan of
/// whole sets. The step must finish with every statement inside a timeout that the first cannot meet.
/// </summary>
[TestFixture]
[Category(Categories.Store)]
public sealed class StaleStatisticsTests
{
    private const int Units = 40_000;
    private static readonly JalaliPeriod Older = new(1404, 6), Newest = new(1404, 7);

    private static readonly TimeSpan StatementTimeout = TimeSpan.FromSeconds(10);

    private static bool Reports(long unit) => unit % 24 < 13;

    [Test]
    public async Task The_deadline_step_completes_and_counts_right_when_the_newest_period_is_not_in_the_statistics()
    {
        var setting = await (await TestRun.PostgresAsync()).CreateDatabaseAsync();
        var database = Database.FromSetting(setting, StatementTimeout);
        await SeedAsync(database);
        Assert.That(await EstimatedRowsAsync(database, Newest), Is.LessThan(100),
            "the premise: the planner believes the newest period has (almost) no returns");

        var reporting = Enumerable.Range(1, Units).Count(u => Reports(u));
        var silent = Units - reporting;
        var ledger = new ReminderLedger(database);
        var stageAt = Seed.LateFrom.AddMonths(1).AddDays(-1);
        Assert.That(await ledger.CreateStageAsync(Newest, "reminder-3", stageAt, stageAt, stageAt), Is.EqualTo(silent));

        var deadline = Seed.LateFrom.AddMonths(1);
        var flagging = new MissedDeadlines(database);
        Assert.That(await flagging.FlagAsync(Newest, deadline), Is.EqualTo(silent));
        Assert.That(await flagging.MarkPossiblyInactiveAsync([Newest]), Is.EqualTo(silent));
        Assert.That(await ledger.CreateOverdueAsync(Newest, deadline, deadline, deadline), Is.EqualTo(silent));
        Assert.That(await new DigestLedger(database).CreateAsync(Newest, "1404-08-11", deadline, deadline), Is.EqualTo(1));
        Assert.That(await new DigestLedger(database).NonReportingAsync("tehran", Newest), Has.Count.EqualTo(silent));

        var status = await new PeriodStatusQuery(database).GetAsync(Newest, null, [Older, Newest], deadline);
        Assert.That((status.Expected, status.OnTime, status.Missing, status.Flagged, status.PossiblyInactive, status.SuspensionCandidates),
            Is.EqualTo((Units, reporting, silent, silent, silent, 0)));
        var compliance = await new Compliance(database).ByProvinceAsync([Older, Newest], null, deadline);
        Assert.That(compliance.Select(c => (c.Period, c.Expected, c.OnTime, c.Flagged)),
            Is.EqualTo(new[] { (Older, Units, Units, 0), (Newest, Units, reporting, silent) }));

        Assert.That(await flagging.FlagAsync(Newest, deadline.AddMinutes(1)), Is.EqualTo(0), "a second run flags nothing");
        Assert.That(await flagging.MarkPossiblyInactiveAsync([Newest]), Is.EqualTo(0));
    }

    [Test]
    public async Task A_statement_past_the_command_timeout_is_cancelled_and_reported_as_a_timeout_not_as_an_unreachable_database()
    {
        var setting = await (await TestRun.PostgresAsync()).CreateDatabaseAsync();
        var database = Database.FromSetting(setting, TimeSpan.FromSeconds(1));
        await using (var connection = await database.OpenAsync())
        {
            var failure = Assert.CatchAsync(async () => await connection.ExecuteAsync("SELECT pg_sleep(30)"));
            Assert.That(database.Dialect.IsTimeout(failure!), Is.True, failure!.ToString());
        }

        var seed = await new Seed(database).BasicsAsync();
        await seed.OpenPeriodAsync(new JalaliPeriod(1404, 7));

        // A statement of the command waits on a lock that another session holds for longer than the timeout.
        await using var holder = await Database.FromSetting(setting).OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await holder.ExecuteAsync("LOCK TABLE returns IN ACCESS EXCLUSIVE MODE", transaction: transaction);
        var result = await CliRunner.RunProcessAsync(new Dictionary<string, string> { ["BATCHENGINE_Engine__CommandTimeoutSeconds"] = "2" },
            "status", "--period", "1404-07", "--db", setting);
        Assert.That(result.ExitCode, Is.EqualTo(5), result.Error);
        Assert.That(result.Error, Does.Contain("ran longer than the command timeout of 2 s").And.Contain("Engine:CommandTimeoutSeconds"));
        Assert.That(result.Error.Trim().Split('\n'), Has.Length.EqualTo(1), "one sentence, no stack trace");
        await transaction.RollbackAsync();
    }

    /// <summary>
    /// One province, 40,000 units with a liaison each, the older period reported by all and analysed, then the newest
    /// period's returns by 13 units in 24, with autovacuum off for the test so that nothing refreshes the statistics.
    /// </summary>
    private static async Task SeedAsync(Database database)
    {
        var seed = await new Seed(database).BasicsAsync();
        await seed.OpenPeriodAsync(Older);
        await seed.OpenPeriodAsync(Newest, 1);
        await using var connection = await database.OpenAsync();
        foreach (var table in new[] { "units", "liaisons", "returns", "missed_deadline_flags", "reminders" })
        {
            await connection.ExecuteAsync($"ALTER TABLE {table} SET (autovacuum_enabled = false)");
        }

        var dialect = database.Dialect;
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await dialect.BulkInsertAsync(connection, transaction, "units",
                [new("id", "bigint"), new("licence_no", "text"), new("name", "text"), new("province_code", "text"), new("isic", "text"), new("status", "text"), new("created_at", "timestamptz")],
                Enumerable.Range(1, Units).Select(i => new object?[] { (long)i, $"L{i:D6}", $"واحد {i}", "tehran", "2394", "Active", Seed.Opens.AddYears(-2) }));
            await dialect.BulkInsertAsync(connection, transaction, "liaisons",
                [new("unit_id", "bigint"), new("name", "text"), new("email", "text")],
                Enumerable.Range(1, Units).Select(i => new object?[] { (long)i, "رابط", $"unit{i}@example.com" }));
            await dialect.BulkInsertAsync(connection, transaction, "returns", ReturnColumns, Returns(Older, Enumerable.Range(1, Units)));
            await dialect.ResetIdentityAsync(connection, transaction, "units");
            await transaction.CommitAsync();
        }

        await database.AnalyzeAsync("units", "liaisons", "returns");
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await dialect.BulkInsertAsync(connection, transaction, "returns", ReturnColumns,
                Returns(Newest, Enumerable.Range(1, Units).Where(u => Reports(u))), default);
            await transaction.CommitAsync();
        }

        await connection.ExecuteAsync(
            "INSERT INTO users (user_name, display_name, role, province_code, password_hash, email) VALUES ('expert', 'کارشناس', 'ProvincialExpert', 'tehran', 'x', 'expert@example.com')");
    }

    private static readonly BulkColumn[] ReturnColumns =
    [
        new("unit_id", "bigint"), new("period", "text"), new("state", "text"), new("version", "integer"), new("late", "boolean"), new("updated_at", "timestamptz"),
    ];

    private static IEnumerable<object?[]> Returns(JalaliPeriod period, IEnumerable<int> units) =>
        units.Select(u => new object?[] { (long)u, period.ToString(), "Submitted", 1, false, Seed.Opens });

    private static async Task<double> EstimatedRowsAsync(Database database, JalaliPeriod period)
    {
        await using var connection = await database.OpenAsync();
        var plan = await connection.ExecuteScalarAsync<string>("EXPLAIN (FORMAT JSON) SELECT * FROM returns WHERE period = @period", new { period });
        return JsonDocument.Parse(plan!).RootElement[0].GetProperty("Plan").GetProperty("Plan Rows").GetDouble();
    }
}
