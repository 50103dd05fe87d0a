using BatchEngine.Data;
using BatchEngine.Tests.Infrastructure;
using Dapper;
using SmtpServer.Protocol;

namespace BatchEngine.Tests.Engine;

/// <summary>
/// Several <c>batchengine worker</c> processes on one PostgreSQL sending the same ledger to a real SMTP server, with
/// short leases, while they are killed, the database is slowed by row locks or goes away, and SMTP refuses for a
/// while: every ledger row's message arrives, and repeats stay within README's bound.
/// </summary>
[TestFixtureSource(typeof(ClusterTests), nameof(ClusterTests.PostgresOnly))]
[Category(Categories.Process)]
public sealed class ContentionTests(string store) : StoreTest(store)
{
    private const int Workers = 2, Parallelism = 2, MarkEvery = 2;

    /// <summary>README's bound: what one killed (or stalled) process may have sent without recording it.</summary>
    private const int RepeatsPerKill = Workers * Parallelism * MarkEvery;

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private static Dictionary<string, string?> Settings(TestSmtpServer smtp) => WorkerFixtures.Settings(new Dictionary<string, string?>(EngineHarness.Smtp(smtp))
    {
        ["Notifications:ClaimLeaseSeconds"] = "6",
        ["Notifications:BatchSize"] = "100",
        ["Notifications:Parallelism"] = $"{Parallelism}",
        ["Notifications:MarkEvery"] = $"{MarkEvery}",
        ["Notifications:RetryBaseSeconds"] = "1",
        ["Notifications:MaxAttempts"] = "20",
        ["Engine:Workers"] = $"{Workers}",
    });

    [Test]
    public async Task Three_workers_killed_at_random_points_on_a_slowed_database_send_each_reminder_once_beyond_the_bound()
    {
        const int units = 3000;
        await using var smtp = new TestSmtpServer().Start();
        await WorkerFixtures.SeedDueRemindersAsync(Database, TempDirectory, DatabaseSetting, units);
        var seed = Environment.TickCount;
        var random = new Random(seed);
        TestContext.Out.WriteLine($"random seed {seed}");

        var workers = Enumerable.Range(0, 3).Select(_ => new WorkerProcess(DatabaseSetting, TempDirectory, Settings(smtp))).ToList();
        using var slowing = new CancellationTokenSource();
        var slow = HoldRowLocksAsync(Database, TimeSpan.FromSeconds(1.5), slowing.Token);
        var kills = 0;
        var outputs = new List<string>();
        try
        {
            foreach (var share in new[] { 0.2, 0.45, 0.7 })
            {
                var threshold = (int)(units * (share + random.NextDouble() * 0.1));
                await workers[0].WaitUntilAsync(() => Task.FromResult(smtp.Messages.Count >= threshold), Patience, $"{threshold} messages to arrive");
                var victim = random.Next(workers.Count);
                workers[victim].Kill();
                outputs.Add(workers[victim].Output);
                workers[victim].Dispose();
                kills++;
                workers[victim] = new WorkerProcess(DatabaseSetting, TempDirectory, Settings(smtp));
            }

            await workers[0].WaitUntilAsync(async () => await SentAsync() == units, Patience, "every reminder to be marked sent");
        }
        finally
        {
            await slowing.CancelAsync();
            await slow;
            outputs.AddRange(workers.Select(w => w.Output));
            workers.ForEach(w => w.Dispose());
        }

        await AssertEachRowArrivedAsync(smtp, units, kills * RepeatsPerKill);
        Assert.That(outputs, Has.None.Contains("deadlock detected"), "rows are locked in one order");
    }

    [Test]
    public async Task Workers_ride_out_an_smtp_server_that_refuses_and_a_database_that_goes_away()
    {
        const int units = 1500;
        // A server of this test's own, durable as in production: stopping the run's shared one would break the tests that follow.
        await using var server = await PostgresServer.StartAsync(durable: true);
        var setting = await server.CreateDatabaseAsync();
        var database = BatchEngine.Data.Database.FromSetting(setting);
        await using var smtp = new TestSmtpServer().Start();
        smtp.Refuse = SmtpReplyCode.Aborted; // 451: try again later
        await WorkerFixtures.SeedDueRemindersAsync(database, TempDirectory, setting, units);

        using var first = new WorkerProcess(setting, TempDirectory, Settings(smtp));
        using var second = new WorkerProcess(setting, TempDirectory, Settings(smtp));
        await first.WaitUntilAsync(async () => await WorkerFixtures.ScalarAsync(database, "SELECT COUNT(*) FROM reminders WHERE last_error LIKE '%451%'", null) >= 200,
            Patience, "the refusals to be recorded for a retry");
        smtp.Refuse = null;
        await first.WaitUntilAsync(() => Task.FromResult(smtp.Messages.Count >= units / 3), Patience, "a third of the messages to arrive");

        server.Stop();
        Npgsql.NpgsqlConnection.ClearAllPools();
        var atStop = smtp.Messages.Count;
        await Task.Delay(TimeSpan.FromSeconds(10)); // the outage itself: a stretch of time with no database
        Assert.That(first.HasExited || second.HasExited, Is.False, "the workers survive the outage");
        server.Start();

        await first.WaitUntilAsync(async () => await ScalarOrZeroAsync(database, "SELECT COUNT(*) FROM reminders WHERE channel = 'Email' AND status = 'Sent'") == units,
            Patience, $"every reminder to be marked sent after the database came back ({atStop} had arrived at the stop)");
        Assert.That(first.HasExited || second.HasExited, Is.False, "no restart was needed");
        // Before the one-line log, a 10-second outage wrote some 700 lines, most of them stack frames.
        var frames = (first.Output + second.Output).Split('\n').Count(line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.That(frames, Is.LessThan(30), "the outage is logged in short lines, not a flood of stack traces");
        // The outage stalls both processes at once: each may repeat what it had sent but not yet recorded.
        await AssertEachRowArrivedAsync(smtp, units, 2 * RepeatsPerKill, database);
        Npgsql.NpgsqlConnection.ClearAllPools();
    }

    private Task<int> SentAsync() => WorkerFixtures.ScalarAsync(Database, "SELECT COUNT(*) FROM reminders WHERE channel = 'Email' AND status = 'Sent'", null);

    /// <summary>A count, or zero while the database is still coming back.</summary>
    private static async Task<int> ScalarOrZeroAsync(Database database, string sql)
    {
        try
        {
            return await WorkerFixtures.ScalarAsync(database, sql, null);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException)
        {
            return 0;
        }
    }

    /// <summary>The ledger and the SMTP server agree: every sent row's Message-ID arrived, nothing else did, repeats within the bound.</summary>
    private async Task AssertEachRowArrivedAsync(TestSmtpServer smtp, int units, int bound, Database? database = null)
    {
        await using var connection = await (database ?? Database).OpenAsync();
        var sent = (await connection.QueryAsync<long>("SELECT id FROM reminders WHERE channel = 'Email' AND status = 'Sent'"))
            .Select(id => $"reminder-{id}@batchengine.local").ToHashSet();
        var copies = smtp.Messages.GroupBy(m => m.MessageId ?? "(none)").ToDictionary(g => g.Key, g => g.Count());
        Assert.That(sent, Has.Count.EqualTo(units));
        Assert.That(copies.Keys, Is.EquivalentTo(sent), "every row's message arrived, and no other");
        var repeats = copies.Values.Sum(c => c - 1);
        TestContext.Out.WriteLine($"repeats: {repeats} (bound {bound})");
        Assert.That(repeats, Is.LessThanOrEqualTo(bound));
    }

    /// <summary>
    /// A competing transaction that keeps taking row locks on a slice of the ledger for a while, over and over: marks,
    /// renewals and claims of the workers wait on them as they would behind a slow database.
    /// </summary>
    private static async Task HoldRowLocksAsync(Database database, TimeSpan hold, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await using var connection = await database.OpenAsync(stop);
                await using var transaction = await connection.BeginTransactionAsync(stop);
                await connection.ExecuteAsync(
                    "SELECT id FROM reminders WHERE status IN ('Pending', 'Sending') ORDER BY random() LIMIT 300 FOR UPDATE SKIP LOCKED", transaction: transaction);
                await Task.Delay(hold, stop);
                await transaction.RollbackAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
