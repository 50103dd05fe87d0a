using System.Diagnostics;
using System.Globalization;
using System.Net;
using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Flags;
using BatchEngine.Data.Migrations;
using BatchEngine.Data.Notifications;
using BatchEngine.Data.Periods;
using BatchEngine.Data.Register;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Hosting;
using BatchEngine.Tests.Infrastructure;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Configuration;
using MimeKit;

namespace BatchEngine.Bench;

/// <summary>
/// Measures the engine against the raw limit of the same run: reminder fan-out against bare MailKit loops on as many
/// connections as the engine uses (<c>Notifications:Parallelism</c>) to the same local SMTP server, and the set-based
/// flagging of many units; on SQLite and on PostgreSQL (fsync on, as in production).
/// </summary>
public static class Benchmarks
{
    /// <summary>Both sides start a new SMTP session after this many messages, as the engine does by default.</summary>
    private const int MessagesPerConnection = 1000;

    public static async Task<int> RunAsync(string[] args)
    {
        var units = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var stores = args.Length > 1 ? args[1..] : ["sqlite", "postgres"];
        var failed = 0;
        PostgresServer? postgres = null;
        try
        {
            foreach (var store in stores)
            {
                var directory = Directory.CreateTempSubdirectory("batchengine-bench-").FullName;
                if (store == "postgres")
                {
                    postgres ??= await PostgresServer.StartAsync(durable: true);
                }

                var setting = store == "postgres" ? await postgres!.CreateDatabaseAsync() : Path.Combine(directory, "bench.db");
                failed += await MeasureAsync(store, setting, directory, units);
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(directory, recursive: true);
            }
        }
        finally
        {
            if (postgres is not null)
            {
                await postgres.DisposeAsync();
            }
        }

        return failed == 0 ? 0 : 1;
    }

    private static async Task<int> MeasureAsync(string store, string setting, string directory, int units)
    {
        var database = Database.FromSetting(setting);
        await new Migrator(database).MigrateAsync();
        await using var sink = new SmtpSink();
        var port = sink.Port;
        var settings = EngineSettings.Load(directory, setting,
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Notifications:Email:Smtp:Host"] = "127.0.0.1",
                ["Notifications:Email:Smtp:Port"] = port.ToString(CultureInfo.InvariantCulture),
                ["Notifications:Email:Smtp:Security"] = "None",
                ["Notifications:BatchSize"] = "1000",
            }).Build());
        var connections = settings.NotificationOptions().Parallelism;
        Console.WriteLine($"Reminder fan-out and flagging, {units:N0} units, {store}, {Environment.ProcessorCount} cores, {connections} SMTP connections a side");
        var calendar = settings.CreateCalendar();
        var period = new JalaliPeriod(1404, 7);
        var schedule = calendar.For(period);
        await SeedAsync(database, units, period, schedule);

        // The raw limit: as many connections as the engine's, each a bare loop, the same number of messages of the same size.
        var raw = await RawMailKitLoopsAsync(port, units, connections, sink);
        Console.WriteLine($"  raw MailKit loops:     {units:N0} messages in {raw.TotalSeconds:F1} s = {units / raw.TotalSeconds:N0} msg/s");

        // The stage's ledger rows are written before the clock starts (the deadline step does that); the engine's time
        // is claiming them, rendering, sending on its connections and recording every message in the ledger.
        await new ReminderLedger(database).CreateStageAsync(period, "reminder-1", schedule.Reminders[0].At.UtcDateTime, schedule.Reminders[0].At.UtcDateTime, schedule.Reminders[0].At.UtcDateTime);
        using var http = new HttpClient();
        var sender = settings.CreateSender(database, calendar, () => http);
        var before = sink.Count;
        var watch = Stopwatch.StartNew();
        var report = await sender.DrainAsync(schedule.Reminders[0].At);
        var engine = watch.Elapsed;
        Console.WriteLine($"  engine fan-out:        {report.Sent:N0} messages in {engine.TotalSeconds:F1} s = {report.Sent / engine.TotalSeconds:N0} msg/s (server received {sink.Count - before:N0})");
        Console.WriteLine($"  ratio engine / raw:    {raw.TotalSeconds / engine.TotalSeconds:F2} (target ≥ 0.80)");

        var flagging = new MissedDeadlines(database);
        watch.Restart();
        var flagged = await flagging.FlagAsync(period, schedule.LateFrom.UtcDateTime);
        var flagTime = watch.Elapsed;
        watch.Restart();
        var inactive = await flagging.MarkPossiblyInactiveAsync([period]);
        Console.WriteLine($"  flagging:              {flagged:N0} units flagged in {flagTime.TotalMilliseconds:F0} ms; {inactive:N0} marked possibly inactive in {watch.Elapsed.TotalMilliseconds:F0} ms");
        return report.Sent == units ? 0 : 1;
    }

    private static async Task SeedAsync(Database database, int units, JalaliPeriod period, PeriodSchedule schedule)
    {
        await new PeriodStore(database).OpenAsync(period, schedule.OpensAt.UtcDateTime, schedule.LateFrom.UtcDateTime, schedule.OpensAt.UtcDateTime);
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

    private static async Task<TimeSpan> RawMailKitLoopsAsync(int port, int count, int connections, SmtpSink sink)
    {
        var templates = new BatchEngine.Jobs.Notifications.MessageTemplates(Path.Combine(EngineSettings.Load().ConfigDirectory, "templates"));
        var body = templates.Render("reminder", "email", new Dictionary<string, string>
        {
            ["unit_name"] = "شرکت صنایع نمونه ۱", ["licence"] = "۱", ["period"] = "مهر ۱۴۰۴", ["deadline"] = "شنبه ۱۰ آبان ۱۴۰۴", ["days_left"] = "۵",
        });
        var before = sink.Count;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(c => Task.Run(async () =>
        {
            using var client = new SmtpClient();
            await ConnectAsync(client, port);
            var sent = 0;
            for (var i = c; i < count; i += connections)
            {
                var message = BatchEngine.Jobs.Notifications.MessageTemplates.Email("آمار تولید <amar@example.com>", [$"raw{i}@example.com"], body, $"raw-{i}@bench");
                if (sent > 0 && sent % MessagesPerConnection == 0)
                {
                    await client.DisconnectAsync(true);
                    await ConnectAsync(client, port);
                }

                try
                {
                    await client.SendAsync(message);
                    sent++;
                }
                catch (SmtpProtocolException e)
                {
                    throw new InvalidOperationException($"raw loop {c} broke after {sent} messages: {e.Message}", e);
                }
            }

            await client.DisconnectAsync(true);
        })));
        var elapsed = watch.Elapsed;
        if (sink.Count - before != count)
        {
            throw new InvalidOperationException($"The server received {sink.Count - before} of {count} raw messages.");
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
