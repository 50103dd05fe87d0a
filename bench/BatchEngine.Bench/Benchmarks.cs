using System.Diagnostics;
using System.Globalization;
using System.Net;
using BatchEngine.Data;
using BatchEngine.Data.Flags;
using BatchEngine.Data.Migrations;
using BatchEngine.Data.Notifications;
using BatchEngine.Data.Periods;
using BatchEngine.Data.Register;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Hosting;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Configuration;
using MimeKit;

namespace BatchEngine.Bench;

/// <summary>
/// Measures the engine against the raw limit of the same run: reminder fan-out against one bare MailKit loop on
/// one reused connection to the same local SMTP server, and the set-based flagging of many units.
/// </summary>
public static class Benchmarks
{
    /// <summary>Both sides start a new SMTP session after this many messages, as the engine does by default.</summary>
    private const int MessagesPerConnection = 1000;

    public static async Task<int> RunAsync(string[] args)
    {
        var units = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var directory = Directory.CreateTempSubdirectory("batchengine-bench-").FullName;
        var database = Database.FromSetting(Path.Combine(directory, "bench.db"));
        await new Migrator(database).MigrateAsync();
        await using var store = new SmtpSink();
        var port = store.Port;

        Console.WriteLine($"Reminder fan-out and flagging, {units:N0} units, SQLite, {Environment.ProcessorCount} cores");
        var settings = EngineSettings.Load(directory, database.ConnectionString.Replace("Data Source=", "", StringComparison.Ordinal).Split(';')[0],
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Notifications:Email:Smtp:Host"] = "127.0.0.1",
                ["Notifications:Email:Smtp:Port"] = port.ToString(CultureInfo.InvariantCulture),
                ["Notifications:Email:Smtp:Security"] = "None",
                ["Notifications:BatchSize"] = "1000",
            }).Build());
        var calendar = settings.CreateCalendar();
        var period = new JalaliPeriod(1404, 7);
        var schedule = calendar.For(period);
        await SeedAsync(database, units, period, schedule);

        // The raw limit: one connection, one loop, the same number of messages of the same size.
        var raw = await RawMailKitLoopAsync(port, units, store);
        Console.WriteLine($"raw MailKit loop:      {units:N0} messages in {raw.TotalSeconds:F1} s = {units / raw.TotalSeconds:N0} msg/s");

        await new ReminderLedger(database).CreateStageAsync(period.ToString(), "reminder-1", schedule.Reminders[0].At.UtcDateTime, schedule.Reminders[0].At.UtcDateTime, schedule.Reminders[0].At.UtcDateTime);
        using var http = new HttpClient();
        var sender = settings.CreateSender(database, calendar, () => http);
        var before = store.Count;
        var watch = Stopwatch.StartNew();
        var report = await sender.DrainAsync(schedule.Reminders[0].At);
        var engine = watch.Elapsed;
        Console.WriteLine($"engine fan-out:        {report.Sent:N0} messages in {engine.TotalSeconds:F1} s = {report.Sent / engine.TotalSeconds:N0} msg/s (server received {store.Count - before:N0})");
        Console.WriteLine($"ratio engine / raw:    {raw.TotalSeconds / engine.TotalSeconds:F2} (target ≥ 0.80)");

        var flagging = new MissedDeadlines(database);
        watch.Restart();
        var flagged = await flagging.FlagAsync(period.ToString(), schedule.LateFrom.UtcDateTime);
        var flagTime = watch.Elapsed;
        watch.Restart();
        var inactive = await flagging.MarkPossiblyInactiveAsync([period.ToString()]);
        Console.WriteLine($"flagging:              {flagged:N0} units flagged in {flagTime.TotalMilliseconds:F0} ms; {inactive:N0} marked possibly inactive in {watch.Elapsed.TotalMilliseconds:F0} ms");

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
        return report.Sent == units ? 0 : 1;
    }

    private static async Task SeedAsync(Database database, int units, JalaliPeriod period, PeriodSchedule schedule)
    {
        await new RegisterStore(database).UpsertProvincesAsync([new Province { Code = "tehran", Name = "تهران" }]);
        await new PeriodStore(database).OpenAsync(period.ToString(), schedule.OpensAt.UtcDateTime, schedule.LateFrom.UtcDateTime, schedule.OpensAt.UtcDateTime);
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await database.Dialect.BulkInsertAsync(connection, transaction, "units",
            [new("id", "bigint"), new("licence_no", "text"), new("name", "text"), new("province_code", "text"), new("isic", "text"), new("status", "text"), new("created_at", "timestamptz")],
            Enumerable.Range(1, units).Select(i => new object?[] { (long)i, i.ToString("D8", CultureInfo.InvariantCulture), $"شرکت صنایع نمونه {i}", "tehran", "2394", "Active", new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc) }));
        await database.Dialect.BulkInsertAsync(connection, transaction, "liaisons",
            [new("unit_id", "bigint"), new("name", "text"), new("email", "text")],
            Enumerable.Range(1, units).Select(i => new object?[] { (long)i, "رابط نمونه", $"liaison{i}@example.com" }));
        await transaction.CommitAsync();
    }

    private static async Task<TimeSpan> RawMailKitLoopAsync(int port, int count, SmtpSink store)
    {
        var templates = new BatchEngine.Jobs.Notifications.MessageTemplates(Path.Combine(EngineSettings.Load().ConfigDirectory, "templates"));
        var body = templates.Render("reminder", "email", new Dictionary<string, string>
        {
            ["unit_name"] = "شرکت صنایع نمونه ۱", ["licence"] = "۱", ["period"] = "مهر ۱۴۰۴", ["deadline"] = "شنبه ۱۰ آبان ۱۴۰۴", ["days_left"] = "۵",
        });
        var before = store.Count;
        var watch = Stopwatch.StartNew();
        using var client = new SmtpClient();
        await ConnectAsync(client, port);
        for (var i = 0; i < count; i++)
        {
            var message = BatchEngine.Jobs.Notifications.MessageTemplates.Email("آمار تولید <amar@example.com>", [$"raw{i}@example.com"], body, $"raw-{i}@bench");
            if (i > 0 && i % MessagesPerConnection == 0)
            {
                await client.DisconnectAsync(true);
                await ConnectAsync(client, port);
            }

            try
            {
                await client.SendAsync(message);
            }
            catch (SmtpProtocolException e)
            {
                throw new InvalidOperationException($"raw loop broke after {i} messages: {e.Message}", e);
            }
        }

        await client.DisconnectAsync(true);
        var elapsed = watch.Elapsed;
        if (store.Count - before != count)
        {
            throw new InvalidOperationException($"The server received {store.Count - before} of {count} raw messages.");
        }

        return elapsed;
    }

    private static async Task ConnectAsync(SmtpClient client, int port)
    {
        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port);
        await client.ConnectAsync(socket, "127.0.0.1", port, SecureSocketOptions.None);
    }
}
