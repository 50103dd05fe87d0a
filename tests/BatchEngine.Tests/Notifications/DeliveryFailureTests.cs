using BatchEngine.Data.Calendar;
using BatchEngine.Data.Notifications;
using BatchEngine.Tests.Infrastructure;
using Dapper;
using SmtpServer.Protocol;

namespace BatchEngine.Tests.Notifications;

/// <summary>Servers that refuse, fall over and come back: nothing lost, nothing doubled, a final failure recorded.</summary>
[Category(Categories.Process)]
public sealed class DeliveryFailureTests(string store) : StoreTest(store)
{
    private TestSmtpServer _smtp = null!;
    private FakeKavenegar _gateway = null!;
    private EngineHarness _engine = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _smtp = new TestSmtpServer().Start();
        _gateway = new FakeKavenegar();
        var settings = EngineHarness.Smtp(_smtp).Concat(EngineHarness.Gateway(_gateway)).ToDictionary();
        settings["Notifications:MaxAttempts"] = "3";
        settings["Notifications:RetryBaseSeconds"] = "60";
        _engine = new EngineHarness(TempDirectory, DatabaseSetting, settings);
        var seed = await new Seed(Database).BasicsAsync();
        for (var i = 0; i < 20; i++)
        {
            var unit = await seed.UnitCreatedAsync($"u{i:D2}", new DateTime(2025, 10, 1, 0, 0, 0, DateTimeKind.Utc));
            await seed.LiaisonAsync(unit, "رابط", $"u{i}@example.com", $"0912000{i:D4}");
        }

        await _engine.TickAsync("1404-07-30T00:00");
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _smtp.DisposeAsync();
        await _gateway.DisposeAsync();
    }

    private async Task<Dictionary<string, int>> StatusesAsync(string channel)
    {
        await using var connection = await Database.OpenAsync();
        return (await connection.QueryAsync<(string Status, int Count)>(
            "SELECT status, COUNT(*) FROM reminders WHERE channel = @channel GROUP BY status", new { channel })).ToDictionary(x => x.Status, x => x.Count);
    }

    [Test]
    public async Task An_smtp_server_that_refuses_for_a_while_gets_every_message_once_later()
    {
        _smtp.Refuse = SmtpReplyCode.Aborted; // 451: try again later
        var first = await _engine.TickAsync("1404-08-05T09:00");
        Assert.That(first.Sent.Retrying, Is.EqualTo(20));
        Assert.That(await StatusesAsync("Email"), Is.EqualTo(new Dictionary<string, int> { ["Pending"] = 20 }));
        await using (var connection = await Database.OpenAsync())
        {
            Assert.That(await connection.QueryAsync<string>("SELECT DISTINCT last_error FROM reminders WHERE channel = 'Email'"),
                Is.EqualTo(new[] { "SMTP server replied 451: refused by the test" }));
        }

        _smtp.Refuse = null;
        var tooEarly = await _engine.TickAsync("1404-08-05T09:00:30");
        Assert.That(tooEarly.Sent.Sent - 20, Is.LessThanOrEqualTo(0), "the back-off is respected");
        var later = await _engine.TickAsync("1404-08-05T09:01");
        Assert.That(later.Sent.Sent, Is.EqualTo(20));
        Assert.That(_smtp.Messages, Has.Count.EqualTo(20));
        Assert.That(_smtp.Messages.Select(m => m.To.Mailboxes.Single().Address), Is.Unique);
        Assert.That(await StatusesAsync("Email"), Is.EqualTo(new Dictionary<string, int> { ["Sent"] = 20 }));
    }

    [Test]
    public async Task An_smtp_server_that_is_down_then_up_loses_nothing()
    {
        await _smtp.StopAsync();
        var down = await _engine.TickAsync("1404-08-05T09:00");
        Assert.That(down.Sent.Retrying, Is.EqualTo(20));
        Assert.That((await StatusesAsync("Email"))["Pending"], Is.EqualTo(20));

        _smtp.Start();
        await _engine.TickAsync("1404-08-05T09:05");
        Assert.That(_smtp.Messages, Has.Count.EqualTo(20));
        Assert.That(_smtp.Messages.Select(m => m.MessageId), Is.Unique);
    }

    [Test]
    public async Task A_permanent_refusal_is_recorded_as_failed_not_dropped()
    {
        _smtp.Refuse = SmtpReplyCode.MailboxUnavailable; // 550
        var report = await _engine.TickAsync("1404-08-05T09:00");
        Assert.That(report.Sent.Failed, Is.EqualTo(20));
        await using var connection = await Database.OpenAsync();
        var failed = await connection.QueryAsync<(string Status, string Error, string Recipients)>("SELECT status, last_error, recipients FROM reminders WHERE channel = 'Email'");
        Assert.That(failed, Has.All.Matches<(string Status, string Error, string Recipients)>(f =>
            f.Status == "Failed" && f.Error.StartsWith("gave up after 1 attempt(s): SMTP server replied 550", StringComparison.Ordinal) && f.Recipients.Length > 0));
    }

    [Test]
    public async Task Retries_stop_after_the_configured_attempts()
    {
        _smtp.Refuse = SmtpReplyCode.Aborted;
        await _engine.TickAsync("1404-08-05T09:00");
        await _engine.TickAsync("1404-08-05T09:02");
        await _engine.TickAsync("1404-08-05T09:10");
        Assert.That(await StatusesAsync("Email"), Is.EqualTo(new Dictionary<string, int> { ["Failed"] = 20 }));
        Assert.That(_smtp.Messages, Is.Empty);
    }

    [Test]
    public async Task The_gateway_5xx_is_retried_and_4xx_given_up()
    {
        _gateway.Status = receptor => receptor.EndsWith('1') ? 411 : 502;
        var report = await _engine.TickAsync("1404-08-05T09:00");
        var statuses = await StatusesAsync("Sms");
        Assert.That(statuses["Failed"], Is.EqualTo(2), "receptors ending in 1 are invalid for the gateway: given up");
        Assert.That(statuses["Pending"], Is.EqualTo(18), "5xx: retried");
        Assert.That(report.Sent.Failed, Is.EqualTo(2));

        _gateway.Status = _ => 200;
        await _engine.TickAsync("1404-08-05T09:01");
        Assert.That(await StatusesAsync("Sms"), Is.EqualTo(new Dictionary<string, int> { ["Failed"] = 2, ["Sent"] = 18 }));
        Assert.That(_gateway.Accepted.Select(r => r.Receptor).ToList(), Is.Unique.And.Count.EqualTo(18));

        await using var connection = await Database.OpenAsync();
        var errors = await connection.QueryAsync<string>("SELECT last_error FROM reminders WHERE last_error IS NOT NULL");
        Assert.That(errors, Has.None.Contains("secret-test-key"), "the key is never written down");
        Assert.That(Directory.GetFiles(TempDirectory, "*", SearchOption.AllDirectories).Select(File.ReadAllBytes)
            .Select(b => System.Text.Encoding.UTF8.GetString(b)), Has.None.Contains("secret-test-key"));
    }

    [Test]
    public async Task An_unreachable_gateway_is_retried()
    {
        await _gateway.DisposeAsync();
        var report = await _engine.TickAsync("1404-08-05T09:00");
        Assert.That(report.Sent.Retrying, Is.EqualTo(20), "SMS retried");
        Assert.That((await StatusesAsync("Sms"))["Pending"], Is.EqualTo(20));
        _gateway = new FakeKavenegar();
    }

    [Test]
    public async Task A_rerun_at_the_same_instant_finishes_what_a_crashed_run_left_claimed()
    {
        var settings = EngineHarness.Smtp(_smtp).Concat(EngineHarness.Gateway(_gateway)).ToDictionary();
        settings["Notifications:ClaimLeaseSeconds"] = "2";
        var engine = new EngineHarness(TempDirectory, DatabaseSetting, settings);
        await engine.TickAsync("1404-07-30T00:00");
        _smtp.Refuse = SmtpReplyCode.Aborted;
        await engine.TickAsync("1404-08-05T09:00");
        _smtp.Refuse = null;
        // A run that claimed the e-mails and died before sending any: its rows stay held until the lease runs out.
        var crashed = await Ledger.Reminders(Database).ClaimAsync("Email", engine.At("1404-08-05T09:10").UtcDateTime, TimeSpan.FromSeconds(2), 100);
        Assert.That(crashed!.Count, Is.EqualTo(20));

        var rerun = await engine.TickAsync("1404-08-05T09:10");

        Assert.That(rerun.Sent.Sent, Is.EqualTo(20), "sent once the dead claim's lease ran out");
        Assert.That(await StatusesAsync("Email"), Is.EqualTo(new Dictionary<string, int> { ["Sent"] = 20 }));
        Assert.That(_smtp.Messages.Select(m => m.MessageId).ToList(), Is.Unique.And.Count.EqualTo(20));
    }

    [Test]
    public async Task A_sender_whose_rows_were_taken_over_stops_and_sends_none_of_them()
    {
        await _engine.TickAsync("1404-07-30T00:00");
        var ledger = Ledger.Reminders(Database);
        var at = _engine.At("1404-08-05T09:00").UtcDateTime;
        await new ReminderLedger(Database).CreateStageAsync(new JalaliPeriod(1404, 7), "reminder-1", at, at, at);
        var stalled = (await ledger.ClaimAsync("Email", at, TimeSpan.FromSeconds(30), 100))!;
        await using (var connection = await Database.OpenAsync())
        {
            // The stalled sender's lease ran out in the database's clock, and another sender took its rows.
            await connection.ExecuteAsync("UPDATE reminders SET lease_until = @past WHERE claim_token = @token",
                new { token = stalled.Token, past = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc) });
        }

        var other = await ledger.ClaimAsync("Email", at, TimeSpan.FromSeconds(30), 100);
        Assert.That(other!.Count, Is.EqualTo(20));
        Assert.That(await ledger.RenewAsync(stalled, 20), Is.False, "the stalled sender learns it at its next renewal");
        Assert.That(await ledger.MarkSentAsync([new SentMessage(1, "x@example.com", null)], stalled.Token, at), Is.Zero, "and its marks change nothing");
    }
}
