using BatchEngine.Data.Notifications;
using BatchEngine.Data.Periods;
using BatchEngine.Tests.Infrastructure;
using Dapper;

namespace BatchEngine.Tests.Engine;

/// <summary>
/// The engine as it runs in production: <c>batchengine worker</c> processes with Quartz and Hangfire on the real
/// stores, started late, killed mid-batch, and (on PostgreSQL) two at once.
/// </summary>
[Category(Categories.Process)]
public sealed class WorkerTests(string store) : StoreTest(store)
{
    private static readonly TimeSpan Patience = WorkerFixtures.Patience;

    private Task<int> ScalarAsync(string sql, object? parameters = null) => WorkerFixtures.ScalarAsync(Database, sql, parameters);

    [Test]
    public async Task A_scheduler_started_after_a_planned_instant_fires_it_once_and_a_restart_does_not_fire_it_again()
    {
        const string key = WorkerFixtures.OpenKey;
        using (var worker = new WorkerProcess(DatabaseSetting, TempDirectory, WorkerFixtures.Settings()))
        {
            await worker.WaitUntilAsync(async () => await ScalarAsync("SELECT COUNT(*) FROM engine_runs WHERE source = @source AND finished_at IS NOT NULL",
                new { source = "quartz " + key }) == 1, Patience, "the missed opening to fire");
            Assert.That(await new PeriodStore(Database).LatestAsync(), Is.Not.Null, "the step opened the current period");
            // The plan: 13 periods of opening, three reminders and deadline, less the one that fired (Quartz removes it once done).
            await worker.WaitUntilAsync(async () => await ScalarAsync("SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_GROUP = 'calendar'") == 13 * 5 - 1,
                Patience, "the plan less the fired trigger");
            worker.Kill();
        }

        var lastRun = await ScalarAsync("SELECT MAX(id) FROM engine_runs");
        using (var again = new WorkerProcess(DatabaseSetting, TempDirectory, WorkerFixtures.Settings()))
        {
            await again.WaitUntilAsync(async () => await ScalarAsync(
                    "SELECT COUNT(*) FROM engine_runs WHERE source = 'sweep' AND finished_at IS NOT NULL AND id > @lastRun", new { lastRun }) >= 1,
                Patience, "the start-up sweep of the second worker");
        }

        Assert.That(await ScalarAsync("SELECT COUNT(*) FROM engine_runs WHERE source = @source", new { source = "quartz " + key }), Is.EqualTo(1));
        Assert.That(await ScalarAsync("SELECT SUM(repeats) FROM handoffs"), Is.EqualTo(0), "no trigger fired twice");
    }

    [Test]
    public async Task A_worker_killed_mid_batch_delivers_every_reminder_once_after_a_restart_except_those_in_flight()
    {
        const int units = 3000;
        await using var smtp = new TestSmtpServer().Start();
        var settings = WorkerFixtures.Settings(EngineHarness.Smtp(smtp));
        settings["Notifications:ClaimLeaseSeconds"] = "3";
        settings["Notifications:BatchSize"] = "200";
        settings["Notifications:Parallelism"] = "2";
        settings["Engine:Workers"] = "2";
        await WorkerFixtures.SeedDueRemindersAsync(Database, TempDirectory, DatabaseSetting, units);

        using (var worker = new WorkerProcess(DatabaseSetting, TempDirectory, settings))
        {
            await worker.WaitUntilAsync(() => Task.FromResult(smtp.Messages.Count >= units / 3), Patience, "a third of the reminders to arrive");
            worker.Kill();
        }

        var atKill = smtp.Messages.Count;
        Assert.That(atKill, Is.LessThan(units), "killed mid-way");
        using (var restarted = new WorkerProcess(DatabaseSetting, TempDirectory, settings))
        {
            await restarted.WaitUntilAsync(async () => await ScalarAsync("SELECT COUNT(*) FROM reminders WHERE status = 'Sent'") == units,
                Patience, "every reminder to be marked sent");
        }

        var received = smtp.Messages.GroupBy(m => m.To.Mailboxes.Single().Address).ToDictionary(g => g.Key, g => g.Count());
        Assert.That(received.Keys, Has.Count.EqualTo(units), "none lost");
        var repeated = received.Values.Count(c => c > 1);
        // At most the messages sent but not yet recorded at the kill: workers × parallel senders × the marking group.
        Assert.That(repeated, Is.LessThanOrEqualTo(2 * 2 * 2), $"repeated: {repeated}");
        Assert.That(received.Values.Max(), Is.LessThanOrEqualTo(2));
    }
}

/// <summary>Quartz on SQLite is single-process by design; the cluster runs on PostgreSQL, so this fixture runs there only.</summary>
[TestFixtureSource(nameof(PostgresOnly))]
[Category(Categories.Process)]
public sealed class ClusterTests(string store) : StoreTest(store)
{
    public static readonly string[] PostgresOnly = ["postgres"];
    private static readonly TimeSpan Patience = WorkerFixtures.Patience;

    private Task<int> ScalarAsync(string sql, object? parameters = null) => WorkerFixtures.ScalarAsync(Database, sql, parameters);

    [Test]
    public async Task Two_clustered_workers_on_postgresql_fire_each_instant_once()
    {
        const string key = WorkerFixtures.OpenKey;
        using var first = new WorkerProcess(DatabaseSetting, TempDirectory, WorkerFixtures.Settings());
        using var second = new WorkerProcess(DatabaseSetting, TempDirectory, WorkerFixtures.Settings());
        await first.WaitUntilAsync(async () => await ScalarAsync("SELECT COUNT(*) FROM engine_runs WHERE source = 'sweep' AND finished_at IS NOT NULL") >= 2,
            Patience, "both workers' start-up sweeps");
        await first.WaitUntilAsync(async () => await ScalarAsync("SELECT COUNT(*) FROM handoffs WHERE trigger_key = @key", new { key }) == 1,
            Patience, "the opening to be handed off");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.That(await ScalarAsync("SELECT COUNT(*) FROM engine_runs WHERE source = @source", new { source = "quartz " + key }), Is.EqualTo(1));
        Assert.That(await ScalarAsync("SELECT repeats FROM handoffs WHERE trigger_key = @key", new { key }), Is.EqualTo(0), "Quartz fired it on one node only");
        Assert.That(await ScalarAsync("SELECT COUNT(DISTINCT INSTANCE_NAME) FROM QRTZ_SCHEDULER_STATE"), Is.EqualTo(2), "two cluster members");
    }
}

internal static class WorkerFixtures
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public static async Task<int> ScalarAsync(BatchEngine.Data.Database database, string sql, object? parameters)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<int>(sql, parameters);
    }

    /// <summary>
    /// Every worker under test starts its clock here, whatever today is: period 1405-08 opened an hour ago (a missed
    /// instant a starting engine fires at once) and none of its reminder stages is due yet.
    /// </summary>
    public const string ClockStartsAt = "1405-08-30T01:00";
    public const string OpenKey = "1405-08/open";

    public static Dictionary<string, string?> Settings(IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>(more ?? new Dictionary<string, string?>()) { ["Engine:ClockStartsAt"] = ClockStartsAt };
        return settings;
    }

    /// <summary>
    /// Period 1405-08 open at the workers' clock, with its first reminder stage due for <paramref name="count"/> units,
    /// each with one e-mail liaison (<c>liaisonNNNNNN@example.com</c>).
    /// </summary>
    public static async Task SeedDueRemindersAsync(BatchEngine.Data.Database database, string dataDirectory, string databaseSetting, int count)
    {
        await new Seed(database).BasicsAsync();
        var harness = new EngineHarness(dataDirectory, databaseSetting);
        var now = harness.At(ClockStartsAt).UtcDateTime;
        var period = harness.Calendar.LatestOpenAt(now);
        var schedule = harness.Calendar.For(period);
        await new PeriodStore(database).OpenAsync(period, schedule.OpensAt.UtcDateTime, schedule.LateFrom.UtcDateTime, now);
        await using (var connection = await database.OpenAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await database.Dialect.BulkInsertAsync(connection, transaction, "units",
                [new("id", "bigint"), new("licence_no", "text"), new("name", "text"), new("province_code", "text"), new("isic", "text"), new("status", "text"), new("created_at", "timestamptz")],
                Enumerable.Range(1, count).Select(i => new object?[] { (long)i, $"L{i:D6}", $"واحد {i}", "tehran", "2394", "Active", new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc) }));
            await database.Dialect.ResetIdentityAsync(connection, transaction, "units");
            await database.Dialect.BulkInsertAsync(connection, transaction, "liaisons",
                [new("unit_id", "bigint"), new("name", "text"), new("email", "text"), new("mobile", "text")],
                Enumerable.Range(1, count).Select(i => new object?[] { (long)i, "رابط", $"liaison{i:D6}@example.com", $"0912{i:D7}" }));
            await transaction.CommitAsync();
        }

        await new ReminderLedger(database).CreateStageAsync(period, "reminder-1", now, now.AddDays(30), now);
        Assert.That(await ScalarAsync(database, "SELECT COUNT(*) FROM reminders WHERE channel = 'Email' AND status = 'Pending'", null), Is.EqualTo(count));
    }
}
