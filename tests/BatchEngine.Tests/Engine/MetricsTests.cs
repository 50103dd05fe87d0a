using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Engine;

/// <summary>What an operator's Prometheus reads from a running <c>batchengine worker</c>: real sends, a real scrape.</summary>
[Category(Categories.Process)]
public sealed class MetricsTests(string store) : StoreTest(store)
{
    [Test]
    public async Task A_worker_counts_the_reminders_it_sent_shows_what_still_waits_and_logs_json_when_asked()
    {
        const int units = 40;
        await using var smtp = new TestSmtpServer().Start();
        var listen = $"http://127.0.0.1:{PostgresServer.FreePort()}/";
        var settings = WorkerFixtures.Settings(EngineHarness.Smtp(smtp));
        settings["Metrics:Listen"] = listen;
        settings["Metrics:LogFormat"] = "json";
        settings["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information";
        await WorkerFixtures.SeedDueRemindersAsync(Database, TempDirectory, DatabaseSetting, units);

        using var worker = new WorkerProcess(DatabaseSetting, TempDirectory, settings);
        await worker.WaitUntilAsync(async () => await ScalarAsync("SELECT COUNT(*) FROM reminders WHERE channel = 'Email' AND status = 'Sent'") == units,
            WorkerFixtures.Patience, "every e-mail reminder to be marked sent");
        var smsWaiting = await ScalarAsync("SELECT COUNT(*) FROM reminders WHERE channel = 'Sms' AND status = 'Pending'");
        var submitted = await ScalarAsync("SELECT COUNT(*) FROM returns WHERE state = 'Submitted'");

        using var http = new HttpClient { BaseAddress = new Uri(listen) };
        var scraped = await http.GetStringAsync("metrics");

        Assert.That(Sum(scraped, "batchengine_messages_total", "kind=\"reminder\"", "channel=\"Email\"", "outcome=\"sent\""), Is.EqualTo(units), scraped);
        Assert.That(Sum(scraped, "batchengine_messages_waiting", "channel=\"Email\""), Is.Zero, scraped);
        Assert.That(Sum(scraped, "batchengine_messages_waiting", "channel=\"Sms\""), Is.EqualTo(smsWaiting).And.GreaterThan(0), "SMS wait for their window");
        Assert.That(Sum(scraped, "batchengine_review_waiting", "state=\"Submitted\""), Is.EqualTo(submitted), scraped);
        Assert.That(Sum(scraped, "batchengine_step_duration_seconds_count", "source=\"sweep\""), Is.GreaterThanOrEqualTo(1), "the start-up sweep");
        var events = worker.Output.Split('\n').Where(line => line.StartsWith('{')).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.That(events.Select(e => e.GetProperty("Category").GetString()), Has.Some.EqualTo("Microsoft.Hosting.Lifetime"), worker.Output);
    }

    private Task<int> ScalarAsync(string sql) => WorkerFixtures.ScalarAsync(Database, sql, null);

    /// <summary>The sum of a metric's samples whose labels include every one given; -1 when there is none (absent is not zero).</summary>
    private static double Sum(string exposition, string metric, params string[] labels)
    {
        var samples = exposition.Split('\n')
            .Select(line => Regex.Match(line, $@"^{metric}\{{(?<labels>[^}}]*)\}} (?<value>\S+)"))
            .Where(m => m.Success && labels.All(m.Groups["labels"].Value.Contains))
            .Select(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture))
            .ToList();
        return samples.Count == 0 ? -1 : samples.Sum();
    }
}
