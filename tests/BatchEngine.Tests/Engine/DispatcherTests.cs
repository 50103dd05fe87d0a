using BatchEngine.Data.Notifications;
using BatchEngine.Jobs.Engine;
using BatchEngine.Jobs.Notifications;
using BatchEngine.Tests.Infrastructure;
using Dapper;
using Hangfire;
using Hangfire.Logging;
using Hangfire.Storage.SQLite;

namespace BatchEngine.Tests.Engine;

/// <summary>
/// What a finished send batch leaves behind in a real Hangfire storage: a batch for whatever is still to be sent, so
/// no row waits for the hourly sweep.
/// </summary>
[Category(Categories.Store)]
public sealed class DispatcherTests(string store) : StoreTest(store)
{
    private SQLiteStorage _hangfire = null!;

    [SetUp]
    public void CreateHangfireStorage()
    {
        // Hangfire's logger is process-wide: a host built by an earlier test set it to its own, now disposed, factory.
        LogProvider.SetCurrentLogProvider(null);
        _hangfire = new SQLiteStorage(Path.Combine(TempDirectory, "hangfire.db"));
    }

    [TearDown]
    public void DisposeHangfireStorage() => _hangfire.Dispose();

    [Test]
    public async Task A_batch_that_ends_with_rows_due_schedules_the_next_one()
    {
        // Rows a stopped batch gave back, or skipped because another transaction held them, are due now, not waiting.
        var now = await SeedAsync(units: 3);

        await Dispatcher().ScheduleWaitingAsync(now);

        Assert.That(ScheduledChannels(), Does.Contain(Channel.Email));
    }

    [Test]
    public async Task A_batch_that_ends_with_nothing_due_or_waiting_schedules_nothing()
    {
        var now = await SeedAsync(units: 3);
        await using (var connection = await Database.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE reminders SET status = 'Sent', sent_at = not_before");
        }

        await Dispatcher().ScheduleWaitingAsync(now);

        Assert.That(ScheduledChannels(), Is.Empty);
    }

    private async Task<DateTimeOffset> SeedAsync(int units)
    {
        await WorkerFixtures.SeedDueRemindersAsync(Database, TempDirectory, DatabaseSetting, units);
        return new EngineHarness(TempDirectory, DatabaseSetting).At(WorkerFixtures.ClockStartsAt);
    }

    private HangfireDispatcher Dispatcher() => new(Database, new NotificationOptions(), new BackgroundJobClient(_hangfire));

    private List<Channel> ScheduledChannels() =>
        _hangfire.GetMonitoringApi().ScheduledJobs(0, 100).Select(job => job.Value.Job.Args.OfType<Channel>().Single()).ToList();
}
