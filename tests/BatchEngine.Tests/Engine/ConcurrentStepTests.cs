using BatchEngine.Tests.Infrastructure;
using Dapper;

namespace BatchEngine.Tests.Engine;

/// <summary>Two engines running the same step at the same instant: every reminder and every flag exactly once.</summary>
[Category(Categories.Process)]
public sealed class ConcurrentStepTests(string store) : StoreTest(store)
{
    [Test]
    public async Task Two_engines_at_once_double_nothing()
    {
        await using var smtp = new TestSmtpServer().Start();
        var seed = await new Seed(Database).BasicsAsync();
        for (var i = 0; i < 300; i++)
        {
            var unit = await seed.UnitCreatedAsync($"c{i:D3}", new DateTime(2025, 10, 1, 0, 0, 0, DateTimeKind.Utc));
            await seed.LiaisonAsync(unit, "رابط", $"c{i}@example.com", null);
        }

        var settings = EngineHarness.Smtp(smtp);
        settings["Notifications:BatchSize"] = "50";
        var engines = new[] { new EngineHarness(TempDirectory, DatabaseSetting, settings), new EngineHarness(TempDirectory, DatabaseSetting, settings) };
        await engines[0].TickAsync("1404-07-30T00:00");

        foreach (var instant in new[] { "1404-08-05T09:00", "1404-08-11T00:00" })
        {
            var start = new TaskCompletionSource();
            var runs = engines.Select(e => Task.Run(async () => { await start.Task; return await e.TickAsync(instant); })).ToList();
            start.SetResult();
            var reports = await Task.WhenAll(runs);
            if (instant.EndsWith("00:00", StringComparison.Ordinal))
            {
                Assert.That(reports.Sum(r => r.Flagged), Is.EqualTo(300), "each flag written by exactly one engine");
            }
        }

        var received = smtp.Messages.GroupBy(m => (m.To.Mailboxes.Single().Address, m.Subject)).Select(g => g.Count()).ToList();
        Assert.That(received, Has.Count.EqualTo(600), "a reminder and an overdue notice per unit");
        Assert.That(received, Has.All.EqualTo(1), "none doubled");
        await using var connection = await Database.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM missed_deadline_flags"), Is.EqualTo(300));
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM reminders WHERE status = 'Sent'"), Is.EqualTo(600));
    }
}
