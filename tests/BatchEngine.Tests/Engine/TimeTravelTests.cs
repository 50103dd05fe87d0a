using BatchEngine.Data.Calendar;
using BatchEngine.Data.Notifications;
using BatchEngine.Data.Register;
using BatchEngine.Data.Returns;
using BatchEngine.Tests.Infrastructure;
using Dapper;

namespace BatchEngine.Tests.Engine;

/// <summary>
/// A whole period lived through <c>tick --now</c> at chosen instants, against a real SMTP server and a local
/// Kavenegar: the right messages at the right moments, flags only after the deadline, nothing twice.
/// </summary>
[Category(Categories.Process)]
public sealed class TimeTravelTests(string store) : StoreTest(store)
{
    private TestSmtpServer _smtp = null!;
    private FakeKavenegar _gateway = null!;
    private EngineHarness _engine = null!;
    private Seed _seed = null!;
    private readonly Dictionary<string, long> _units = [];

    [SetUp]
    public async Task StartAsync()
    {
        _smtp = new TestSmtpServer().Start();
        _gateway = new FakeKavenegar();
        _engine = new EngineHarness(TempDirectory, DatabaseSetting, EngineHarness.Smtp(_smtp).Concat(EngineHarness.Gateway(_gateway)).ToDictionary());
        _seed = await new Seed(Database).BasicsAsync();
        // Registered after Shahrivar 1404 opened: the units are expected from Mehr 1404 on.
        var created = new DateTime(2025, 10, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var (licence, email, mobile) in new[]
        {
            ("100", "a@example.com", "09121110000"),
            ("200", "b@example.com", null),
            ("300", null, "۰۹۱۲۳۴۵۶۷۸۹"),
            ("400", "d@example.com", "12345"),
        })
        {
            _units[licence] = await _seed.UnitCreatedAsync(licence, created);
            await _seed.LiaisonAsync(_units[licence], "رابط " + licence, email, mobile);
        }

        await new UserAccounts(Database).CreateAsync(new User
        {
            UserName = "expert", DisplayName = "کارشناس آمار تهران", Role = Role.ProvincialExpert, ProvinceCode = "tehran", Email = "expert@example.com",
        }, "p");
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _smtp.DisposeAsync();
        await _gateway.DisposeAsync();
    }

    private string[] MailTo(string subjectPart) =>
        _smtp.Messages.Where(m => m.Subject!.Contains(subjectPart)).SelectMany(m => m.To.Mailboxes.Select(a => a.Address)).Order().ToArray();

    [Test]
    public async Task Mehr_1404_from_opening_to_the_digest()
    {
        var first = await _engine.TickAsync("1404-07-29T12:00");
        Assert.That(first.OpenedPeriods, Is.EqualTo(new[] { new JalaliPeriod(1404, 6) }), "a new database starts with the period open now");
        Assert.That(first.Flagged, Is.EqualTo(0), "units registered after Shahrivar opened are not expected for it");

        var opening = await _engine.TickAsync("1404-07-30T00:00");
        Assert.That(opening.OpenedPeriods, Is.EqualTo(new[] { new JalaliPeriod(1404, 7) }));
        Assert.That(_smtp.Messages, Is.Empty);

        // Day 5, 09:00: the first stage to every liaison on every channel they have.
        await _engine.TickAsync("1404-08-05T09:00");
        Assert.That(MailTo("یادآوری"), Is.EqualTo(new[] { "a@example.com", "b@example.com", "d@example.com" }));
        var mail = _smtp.Messages.Single(m => m.To.Mailboxes.Single().Address == "a@example.com");
        Assert.That(mail.Subject, Is.EqualTo("یادآوری ثبت آمار تولید مهر ۱۴۰۴ — واحد 100"));
        Assert.That(mail.TextBody, Does.Contain("شنبه ۱۰ آبان ۱۴۰۴").And.Contain("(۵ روز مانده)").And.Contain("پروانه بهره‌برداری ۱۰۰"));
        Assert.That(_gateway.Accepted.Select(r => r.Receptor).Order(), Is.EqualTo(new[] { "09121110000", "09123456789" }));
        Assert.That(_gateway.Requests.All(r => r.ApiKey == "secret-test-key" && r.Sender == "10004346"));
        Assert.That(_gateway.Requests.First().Message, Does.Contain("مهر ۱۴۰۴"));
        await using (var connection = await Database.OpenAsync())
        {
            var invalid = await connection.QuerySingleAsync<(string Status, string Error)>(
                "SELECT status, last_error FROM reminders WHERE unit_id = @unit AND channel = 'Sms'", new { unit = _units["400"] });
            Assert.That(invalid, Is.EqualTo(("Invalid", "not sent to invalid mobile numbers: 12345")));
        }

        var again = await _engine.TickAsync("1404-08-05T09:00");
        Assert.That(again.ToString(), Is.EqualTo("nothing was due"));
        Assert.That(_smtp.Messages, Has.Count.EqualTo(3));

        // Unit 200 reports on day 7: no more reminders for it.
        await new ReturnStore(Database).SaveAsync(_units["200"], new JalaliPeriod(1404, 7),
            new ReturnFigures(5, [new ReturnLine { ProductCode = "2394-01", Production = 10 }]), Actor.Liaison("رابط", _units["200"]), true, null,
            _engine.At("1404-08-07T10:00").UtcDateTime);
        await _engine.TickAsync("1404-08-09T09:00");
        Assert.That(_smtp.Messages, Has.Count.EqualTo(5));
        Assert.That(_smtp.Messages.Skip(3).SelectMany(m => m.To.Mailboxes).Select(a => a.Address).Order(), Is.EqualTo(new[] { "a@example.com", "d@example.com" }));
        Assert.That(_smtp.Messages.Last().TextBody, Does.Contain("(۱ روز مانده)"));

        await _engine.TickAsync("1404-08-10T09:00");
        Assert.That(_smtp.Messages, Has.Count.EqualTo(7));
        var beforeDeadline = await _engine.TickAsync("1404-08-10T23:59");
        Assert.That(beforeDeadline.Flagged, Is.EqualTo(0), "no flag before the deadline has passed");

        // Midnight after the deadline: flags and overdue e-mails; the overdue SMS wait for 08:00.
        var deadline = await _engine.TickAsync("1404-08-11T00:00");
        Assert.That(deadline.Flagged, Is.EqualTo(3));
        Assert.That(deadline.MarkedPossiblyInactive, Is.EqualTo(3));
        Assert.That(MailTo("گذشت"), Is.EqualTo(new[] { "a@example.com", "d@example.com" }));
        var smsBefore = _gateway.Accepted.Count();
        await _engine.TickAsync("1404-08-11T07:59");
        Assert.That(_gateway.Accepted.Count(), Is.EqualTo(smsBefore), "quiet hours");
        await _engine.TickAsync("1404-08-11T08:00");
        Assert.That(_gateway.Accepted.Count(), Is.EqualTo(smsBefore + 2));

        // 09:30: one digest to the province's expert listing the three units.
        await _engine.TickAsync("1404-08-11T09:30");
        var digest = _smtp.Messages.Single(m => m.Subject!.Contains("گزارش روزانه"));
        Assert.That(digest.To.Mailboxes.Single().Address, Is.EqualTo("expert@example.com"));
        Assert.That(digest.TextBody, Does.Contain("۳ واحد").And.Contain("واحد 100").And.Contain("واحد 300").And.Contain("واحد 400").And.Not.Contain("واحد 200"));
        Assert.That((await _engine.TickAsync("1404-08-11T09:30")).ToString(), Is.EqualTo("nothing was due"));
        await _engine.TickAsync("1404-08-12T09:30");
        Assert.That(_smtp.Messages.Count(m => m.Subject!.Contains("گزارش روزانه")), Is.EqualTo(2), "one digest a day");

        // The digest also counts the expert's queue against the review deadline (the 15th): unit 200's return, in time
        // until the end of 15 Aban, overdue in the digest of the 16th.
        Assert.That(digest.TextBody, Does.Contain("۱ اظهارنامه در انتظار است؛ ۰ اظهارنامه از مهلت بررسی گذشته است").And.Contain("پایان پنجشنبه ۱۵ آبان ۱۴۰۴"));
        await _engine.TickAsync("1404-08-16T09:30");
        Assert.That(_smtp.Messages.Last(m => m.Subject!.Contains("گزارش روزانه")).TextBody, Does.Contain("؛ ۱ اظهارنامه از مهلت بررسی گذشته است"));

        // Every message went exactly once.
        Assert.That(_smtp.Messages.Select(m => m.MessageId), Is.Unique);
        Assert.That(_gateway.Accepted.Select(r => r.LocalId), Is.Unique);
        var counts = await new ReminderLedger(Database).CountsAsync(new JalaliPeriod(1404, 7), null);
        Assert.That(counts.Where(c => c.Status == DeliveryStatus.Sent).Sum(c => c.Count), Is.EqualTo(5 + 4 + 4 + 4), "stage 1: 3 e-mails, 2 SMS; stages 2 and 3 and overdue: 2 and 2 each");
    }

    [Test]
    public async Task Going_live_after_a_deadline_chases_nothing_for_that_period_and_collects_from_the_next()
    {
        // Two units that the first period open at go-live expects (the others were registered after it opened).
        foreach (var licence in new[] { "500", "600" })
        {
            await _seed.LiaisonAsync(await _seed.UnitCreatedAsync(licence, new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc)), "رابط " + licence, $"u{licence}@example.com", null);
        }

        var goLive = await _engine.TickAsync("1404-07-15T12:00");
        Assert.That(goLive.OpenedPeriods, Is.EqualTo(new[] { new JalaliPeriod(1404, 6) }), "the period open at go-live, its deadline (10 Mehr) passed");
        Assert.That((goLive.Flagged, goLive.MarkedPossiblyInactive, goLive.OverdueWritten), Is.EqualTo((0, 0, 0)),
            "never reminded of it, nobody is chased for it");
        var status = await CliRunner.RunAsync("status", "--period", "1404-06", "--db", DatabaseSetting, "--data", TempDirectory);
        Assert.That(status.Output, Does.Contain("No period collected yet"));

        Assert.That((await _engine.TickAsync("1404-07-30T00:00")).OpenedPeriods, Is.EqualTo(new[] { new JalaliPeriod(1404, 7) }));
        var deadline = await _engine.TickAsync("1404-08-11T00:00");
        Assert.That((deadline.Flagged, deadline.MarkedPossiblyInactive), Is.EqualTo((6, 6)), "from the first period collected on, as always");
        await using var connection = await Database.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM missed_deadline_flags WHERE period = '1404-06'"), Is.Zero);
        status = await CliRunner.RunAsync("status", "--period", "1404-07", "--db", DatabaseSetting, "--data", TempDirectory);
        Assert.That(status.Output, Does.Contain("Collected from period 1404-07"));
    }

    [Test]
    public async Task A_holiday_shifted_deadline_flags_only_after_the_shifted_day()
    {
        // Mordad 1404's deadline, 10 Shahrivar, is a holiday: it moves to the 11th.
        await _engine.TickAsync("1404-05-31T00:00");
        await using var connection = await Database.OpenAsync();
        await connection.ExecuteAsync("UPDATE units SET created_at = @at", new { at = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc) });
        Assert.That((await _engine.TickAsync("1404-06-11T09:00")).Flagged, Is.EqualTo(0));
        Assert.That(_smtp.Messages.Where(m => m.Subject!.Contains("یادآوری")).Select(m => m.TextBody), Has.All.Contains("سه‌شنبه ۱۱ شهریور ۱۴۰۴"));
        Assert.That((await _engine.TickAsync("1404-06-11T23:59")).Flagged, Is.EqualTo(0));
        Assert.That((await _engine.TickAsync("1404-06-12T00:00")).Flagged, Is.EqualTo(4));
    }

    [Test]
    public async Task A_holiday_added_while_a_period_is_open_moves_its_deadline_everywhere_and_one_on_a_passed_deadline_changes_nothing()
    {
        await _engine.TickAsync("1404-07-30T00:00");
        await _engine.TickAsync("1404-08-05T09:00");
        Assert.That(MailTo("یادآوری"), Has.Length.EqualTo(3));
        Assert.That(_smtp.Messages.Select(m => m.TextBody), Has.All.Contains("شنبه ۱۰ آبان ۱۴۰۴"));

        // The government declares 10 Aban a holiday; the admin adds it to the file (a date made up for the test).
        var withHoliday = HolidayFile(("1404-08-10", "تعطیل اعلام‌شده"));
        var engine = new EngineHarness(TempDirectory, DatabaseSetting, Overrides(withHoliday));
        var moved = await engine.TickAsync("1404-08-09T09:00");
        Assert.That(moved.DeadlineChanges.Select(c => c.English).ToList(), Has.Count.EqualTo(1).And.Some.StartsWith("1404-07: deadline moved to 1404-08-11"));
        Assert.That(_smtp.Messages.Skip(3).Select(m => m.TextBody), Has.Count.EqualTo(3).And.All.Contains("یکشنبه ۱۱ آبان ۱۴۰۴"),
            "the second stage carries the new deadline");
        await new ReturnStore(Database).SaveAsync(_units["200"], new JalaliPeriod(1404, 7),
            new ReturnFigures(5, [new ReturnLine { ProductCode = "2394-01", Production = 10 }]), Actor.Liaison("رابط", _units["200"]), true, null,
            engine.At("1404-08-11T16:00").UtcDateTime);
        Assert.That((await new ReturnStore(Database).FindAsync(_units["200"], new JalaliPeriod(1404, 7)))!.Late, Is.False, "on the new deadline day: on time");
        await engine.TickAsync("1404-08-11T09:00");
        Assert.That(_smtp.Messages.Skip(6).Select(m => m.TextBody), Has.Count.EqualTo(2).And.All.Contains("یکشنبه ۱۱ آبان ۱۴۰۴"),
            "the deadline-day stage on the new deadline day, to those who have not reported");
        Assert.That((await engine.TickAsync("1404-08-11T23:59")).Flagged, Is.Zero, "the old deadline has passed, the new one not");
        Assert.That((await engine.TickAsync("1404-08-12T00:00")).Flagged, Is.EqualTo(3));

        // A holiday on the deadline just passed would move it again: it is not applied, and said once.
        var late = new EngineHarness(TempDirectory, DatabaseSetting, Overrides(HolidayFile(("1404-08-10", "تعطیل اعلام‌شده"), ("1404-08-11", "تعطیل دیرهنگام"))));
        var refused = await late.TickAsync("1404-08-12T01:00");
        Assert.That(refused.DeadlineChanges.Select(c => c.English).ToList(), Has.Count.EqualTo(1).And.Some.Contains("1404-07: not moved"));
        Assert.That((await late.TickAsync("1404-08-12T01:00")).ToString(), Is.EqualTo("nothing was due"), "reported once");
        var period = (await new BatchEngine.Data.Periods.PeriodStore(Database).FindAsync(new JalaliPeriod(1404, 7)))!;
        Assert.That(period.LateFrom, Is.EqualTo(engine.At("1404-08-12T00:00").UtcDateTime));
        Assert.That((await late.TickAsync("1404-08-12T02:00")).Flagged, Is.Zero, "no flag more or less");
    }

    [Test]
    public async Task A_provincial_closure_moves_that_provinces_deadline_only_and_only_its_experts_or_the_ministry_record_it()
    {
        var isfahan = await _seed.UnitCreatedAsync("700", new DateTime(2025, 10, 1, 0, 0, 0, DateTimeKind.Utc), "isfahan");
        await _seed.LiaisonAsync(isfahan, "رابط 700", "e@example.com", null);
        await _engine.TickAsync("1404-07-30T00:00");

        // Tehran's governor closes the offices on 10 Aban, the deadline day (a date made up for the test).
        var closures = new BatchEngine.Data.Periods.ProvinceClosures(Database);
        var at = _engine.At("1404-08-08T12:00").UtcDateTime;
        Assert.That(() => closures.AddAsync("tehran", "1404-08-10", "آلودگی هوا", Actor.ProvincialExpert("کارشناس اصفهان", "isfahan"), at),
            Throws.TypeOf<WorkflowException>(), "another province's expert");
        Assert.That(await closures.AllAsync(), Is.Empty, "a refused closure records nothing");
        Assert.That(await closures.AddAsync("tehran", "1404-08-10", "آلودگی هوا", Actor.ProvincialExpert("کارشناس تهران", "tehran"), at), Is.True);

        var moved = await _engine.TickAsync("1404-08-09T09:00");
        Assert.That(moved.DeadlineChanges.Select(c => c.English).ToList(), Is.EqualTo(new[] { "1404-07 in tehran: deadline moved to 1404-08-11 (the calendar now gives 1404-08-11, moved past 1404-08-10 offices closed: آلودگی هوا)" }));
        Assert.That(moved.DeadlineChanges.Single().Persian, Is.EqualTo("مهر ۱۴۰۴ (استان تهران): مهلت به یکشنبه ۱۱ آبان ۱۴۰۴ رفت (روزهای پیش از آن تعطیل است)"));
        var stage2 = _smtp.Messages.Where(m => m.Subject!.Contains("یادآوری")).ToList();
        Assert.That(stage2.Single(m => m.To.Mailboxes.Single().Address == "e@example.com").TextBody, Does.Contain("شنبه ۱۰ آبان ۱۴۰۴"));
        Assert.That(stage2.Where(m => m.To.Mailboxes.Single().Address == "a@example.com").Select(m => m.TextBody).Last(), Does.Contain("یکشنبه ۱۱ آبان ۱۴۰۴"));

        // The deadline in force is one rule in SQL (late marks, flags) and in the import: both give Tehran's own.
        var reference = await BatchEngine.Jobs.Import.ImportReference.LoadAsync(Database, "tehran", null);
        Assert.That(reference.LateFrom(_units["100"], new JalaliPeriod(1404, 7)), Is.EqualTo(_engine.At("1404-08-12T00:00").UtcDateTime));
        var isfahanReference = await BatchEngine.Jobs.Import.ImportReference.LoadAsync(Database, "isfahan", null);
        Assert.That(isfahanReference.LateFrom(isfahan, new JalaliPeriod(1404, 7)), Is.EqualTo(_engine.At("1404-08-11T00:00").UtcDateTime));
        await new ReturnStore(Database).SaveAsync(_units["200"], new JalaliPeriod(1404, 7),
            new ReturnFigures(5, [new ReturnLine { ProductCode = "2394-01", Production = 10 }]), Actor.Liaison("رابط", _units["200"]), true, null,
            _engine.At("1404-08-11T16:00").UtcDateTime);
        Assert.That((await new ReturnStore(Database).FindAsync(_units["200"], new JalaliPeriod(1404, 7)))!.Late, Is.False, "on Tehran's own deadline day");

        Assert.That((await _engine.TickAsync("1404-08-11T00:00")).Flagged, Is.EqualTo(1), "Isfahan's unit at the country's deadline");
        Assert.That((await _engine.TickAsync("1404-08-12T00:00")).Flagged, Is.EqualTo(3), "Tehran's silent units a day later");

        await closures.AddAsync("tehran", "1404-08-11", "قطع برق", Actor.MinistryExpert("وزارت"), _engine.At("1404-08-12T00:30").UtcDateTime);
        var refused = await _engine.TickAsync("1404-08-12T01:00");
        Assert.That(refused.DeadlineChanges.Select(c => c.English).ToList(), Has.Count.EqualTo(1).And.Some.StartsWith("1404-07 in tehran: not moved"));
        Assert.That(refused.Flagged, Is.Zero);
    }

    private Dictionary<string, string?> Overrides(string holidayFile) =>
        EngineHarness.Smtp(_smtp).Concat(EngineHarness.Gateway(_gateway)).Append(new("Holidays:File", holidayFile)).ToDictionary();

    /// <summary>The shipped holiday file with dated holidays added.</summary>
    private string HolidayFile(params (string Date, string Name)[] added)
    {
        var shipped = File.ReadAllText(BatchEngine.Tests.Calendar.CalendarFixtures.FindConfig("holidays.json"));
        var entries = string.Concat(added.Select(h => $"{{ \"date\": \"{h.Date}\", \"name\": \"{h.Name}\" }},\n"));
        var path = Path.Combine(TempDirectory, $"holidays-{added.Length}.json");
        File.WriteAllText(path, shipped.Replace("\"dated\": [", "\"dated\": [\n" + entries, StringComparison.Ordinal));
        return path;
    }

    [Test]
    public async Task Esfand_reminders_and_deadline_fall_in_farvardin()
    {
        await using (var connection = await Database.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE units SET created_at = @at", new { at = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc) });
        }

        var opening = await _engine.TickAsync("1403-12-30T00:00");
        Assert.That(opening.OpenedPeriods, Is.EqualTo(new[] { new JalaliPeriod(1403, 12) }));
        var stage1 = await _engine.TickAsync("1404-01-05T09:00");
        Assert.That(stage1.RemindersWritten.Single().English, Does.StartWith("1403-12/reminder-1"));
        Assert.That(_smtp.Messages.First().TextBody!, Does.Contain("اسفند ۱۴۰۳").And.Contain("یکشنبه ۱۰ فروردین ۱۴۰۴"));
        Assert.That((await _engine.TickAsync("1404-01-10T23:00")).Flagged, Is.EqualTo(0));
        Assert.That((await _engine.TickAsync("1404-01-11T00:00")).Flagged, Is.EqualTo(4));
    }

    [Test]
    public async Task Status_counts_what_the_ledger_holds()
    {
        await _engine.TickAsync("1404-07-30T00:00");
        await _engine.TickAsync("1404-08-05T09:00");
        var counts = await new ReminderLedger(Database).CountsAsync(new JalaliPeriod(1404, 7), "tehran");
        Assert.That(counts.Single(c => c.Stage == "reminder-1" && c.Channel == Channel.Email && c.Status == DeliveryStatus.Sent).Count, Is.EqualTo(3));
        Assert.That(counts.Single(c => c.Stage == "reminder-1" && c.Channel == Channel.Sms && c.Status == DeliveryStatus.Sent).Count, Is.EqualTo(2));
        Assert.That(counts.Single(c => c.Stage == "reminder-1" && c.Channel == Channel.Sms && c.Status == DeliveryStatus.Invalid).Count, Is.EqualTo(1));
        Assert.That(await new ReminderLedger(Database).CountsAsync(new JalaliPeriod(1404, 7), "isfahan"), Is.Empty);
    }

    [Test]
    public async Task An_engine_first_up_after_days_5_and_9_sends_one_reminder_per_liaison_the_latest_stage()
    {
        await _engine.TickAsync("1404-07-30T00:00");
        var late = await _engine.TickAsync("1404-08-09T10:00");

        Assert.That(late.RemindersWritten.Select(r => r.English), Has.Some.StartsWith("1404-07/reminder-2"));
        Assert.That(late.RemindersWritten.Select(r => r.English), Has.None.StartsWith("1404-07/reminder-1"));
        Assert.That(MailTo("یادآوری"), Is.EqualTo(new[] { "a@example.com", "b@example.com", "d@example.com" }), "one e-mail each");
        Assert.That(_gateway.Accepted.Select(r => r.Receptor).Order(), Is.EqualTo(new[] { "09121110000", "09123456789" }), "one SMS each");
        var counts = await new ReminderLedger(Database).CountsAsync(new JalaliPeriod(1404, 7), "tehran");
        Assert.That(counts.Where(c => c.Stage == "reminder-1").Select(c => c.Status).Distinct(), Is.EqualTo(new[] { DeliveryStatus.Skipped }), "recorded as superseded");
        await using (var connection = await Database.OpenAsync())
        {
            Assert.That(await connection.QueryAsync<string>("SELECT DISTINCT last_error FROM reminders WHERE stage = 'reminder-1'"),
                Is.EqualTo(new[] { "superseded by reminder-2" }));
        }

        Assert.That((await _engine.TickAsync("1404-08-09T10:00")).ToString(), Is.EqualTo("nothing was due"), "a second run changes nothing");
    }

    [Test]
    public async Task Every_message_carries_an_id_made_from_its_ledger_row()
    {
        await _engine.TickAsync("1404-07-30T00:00");
        await _engine.TickAsync("1404-08-05T09:00");
        await using var connection = await Database.OpenAsync();
        var rows = (await connection.QueryAsync<(long Id, string Channel)>("SELECT id, channel FROM reminders WHERE status = 'Sent'")).ToList();
        Assert.That(_smtp.Messages.Select(m => m.MessageId).Order(),
            Is.EqualTo(rows.Where(r => r.Channel == "Email").Select(r => $"reminder-{r.Id}@batchengine.local").Order()));
        Assert.That(_gateway.Accepted.Select(r => r.LocalId).Order(),
            Is.EqualTo(rows.Where(r => r.Channel == "Sms").Select(r => $"reminder-{r.Id}").Order()));
    }
}
