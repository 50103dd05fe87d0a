using System.Text;
using BatchEngine.Tests.Engine;
using BatchEngine.Tests.Infrastructure;
using Dapper;

namespace BatchEngine.Tests.Notifications;

/// <summary>The embedded default's file outboxes written by several processes at once: whole, and agreeing with the ledger.</summary>
[Category(Categories.Process)]
public sealed class OutboxTests(string store) : StoreTest(store)
{
    [Test]
    public async Task Three_ticks_at_once_on_one_data_folder_write_every_message_the_ledger_calls_sent_once_and_whole()
    {
        const int units = 600;
        await WorkerFixtures.SeedDueRemindersAsync(Database, TempDirectory, DatabaseSetting, units);
        await using (var connection = await Database.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE reminders SET not_before = (SELECT MIN(not_before) FROM reminders)");
        }

        string[] tick = ["tick", "--now", "1405-08-30T09:00", "--db", DatabaseSetting, "--data", TempDirectory];
        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => CliRunner.RunProcessAsync(tick)));
        Assert.That(results.Select(r => r.ExitCode), Is.All.Zero, string.Join("\n", results.Select(r => r.Error)));

        await using var check = await Database.OpenAsync();
        var sent = (await check.QueryAsync<(long Id, string Channel)>("SELECT id, channel FROM reminders WHERE status = 'Sent'")).ToList();
        Assert.That(sent, Has.Count.EqualTo(2 * units), "every message sent");
        var lines = File.ReadAllText(Path.Combine(TempDirectory, "outbox", "sms.log"), new UTF8Encoding(false, throwOnInvalidBytes: true))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines.Select(l => l.Split('\t').Length), Is.All.EqualTo(4), "every line whole");
        Assert.That(lines.Select(l => l.Split('\t')[1]), Is.EquivalentTo(sent.Where(s => s.Channel == "Sms").Select(s => $"reminder-{s.Id}")),
            "each SMS the ledger calls sent, once");
        Assert.That(Directory.GetFiles(Path.Combine(TempDirectory, "outbox", "email"), "*.eml", SearchOption.AllDirectories), Has.Length.EqualTo(units));
    }
}
