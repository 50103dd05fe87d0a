using System.Globalization;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Periods;
using BatchEngine.Data.Returns;
using BatchEngine.Data.Status;
using BatchEngine.Tests.Infrastructure;
using Dapper;

namespace BatchEngine.Tests.Data;

/// <summary>
/// Following up missing units (issue #17): a unit is missing only once its deadline in force has passed (before, it is
/// not yet due), and the list behind each figure is complete — paged with its total, searched, sorted — with the
/// liaisons' contacts, the last period reported and the reminders sent.
/// </summary>
public sealed class FollowUpTests(string store) : StoreTest(store)
{
    private static readonly DateTime Now = Seed.LateFrom.AddDays(3);
    private Seed _seed = null!;
    private long _reported, _missing, _extended;

    [SetUp]
    public async Task SeedAsync()
    {
        _seed = await new Seed(Database).BasicsAsync();
        await _seed.OpenPeriodAsync(new JalaliPeriod(1404, 5), -1);
        await _seed.OpenPeriodAsync(new JalaliPeriod(1404, 6));
        _reported = await _seed.UnitAsync("23000001");
        _missing = await _seed.UnitAsync("23000002");
        _extended = await _seed.UnitAsync("23000003");
        await _seed.UnitAsync("31000001", province: "isfahan");
        await _seed.LiaisonAsync(_missing, "رابط یکم", "first@example.ir", "09121234567");
        await _seed.LiaisonAsync(_missing, "رابط دوم", null, "09351234567");
        var returns = new ReturnStore(Database);
        var figures = new ReturnFigures(5, [new ReturnLine { ProductCode = "2394-01", Production = 1m }]);
        await returns.SaveAsync(_reported, new JalaliPeriod(1404, 6), figures, Actor.Liaison("الف", _reported), submit: true, null, Seed.LateFrom.AddDays(-1));
        await returns.SaveAsync(_missing, new JalaliPeriod(1404, 5), figures, Actor.Liaison("ب", _missing), submit: true, null, Seed.LateFrom.AddMonths(-1).AddDays(-1));
        await new DeadlineExtensions(Database).GrantAsync(_extended, new JalaliPeriod(1404, 6), Now.AddDays(2), Actor.ProvincialExpert("کارشناس", "tehran"), "سیل", Now.AddDays(-5));
        await using var connection = await Database.OpenAsync();
        foreach (var (stage, at) in new[] { ("reminder-1", Seed.LateFrom.AddDays(-5)), ("reminder-2", Seed.LateFrom.AddDays(-1)) })
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO reminders (unit_id, period, stage, channel, status, attempts, not_before, sent_at, created_at)
                VALUES (@unit, '1404-06', @stage, 'Email', 'Sent', 1, @at, @at, @at)
                """, new { unit = _missing, stage, at });
        }
    }

    [Test]
    public async Task A_unit_whose_deadline_in_force_is_ahead_is_not_yet_due_rather_than_missing()
    {
        var tehran = (await new Compliance(Database).ByProvinceAsync([new JalaliPeriod(1404, 6)], "tehran", Now)).Single();
        var status = await new PeriodStatusQuery(Database).GetAsync(new JalaliPeriod(1404, 6), "tehran", [new JalaliPeriod(1404, 6)], Now);
        var beforeTheDeadline = await new PeriodStatusQuery(Database).GetAsync(new JalaliPeriod(1404, 6), "tehran", [new JalaliPeriod(1404, 6)], Seed.LateFrom.AddDays(-1));

        Assert.That((tehran.Expected, tehran.OnTime, tehran.Missing, tehran.NotYetDue), Is.EqualTo((3, 1, 1, 1)));
        Assert.That((status.Missing, status.NotYetDue), Is.EqualTo((1, 1)));
        Assert.That((beforeTheDeadline.Missing, beforeTheDeadline.NotYetDue), Is.EqualTo((0, 2)), "nobody is missing before the deadline");
        var notYetDue = await new Compliance(Database).UnitsAsync(new JalaliPeriod(1404, 6), "tehran", ComplianceList.NotYetDue, Now);
        Assert.That(notYetDue.Rows.Single().UnitId, Is.EqualTo(_extended));
    }

    [Test]
    public async Task The_missing_list_shows_contacts_last_reported_period_and_reminders_sent()
    {
        var missing = await new Compliance(Database).UnitsAsync(new JalaliPeriod(1404, 6), "tehran", ComplianceList.Missing, Now);

        var unit = missing.Rows.Single();
        Assert.That((missing.Total, unit.UnitId, unit.LastReported, unit.RemindersSent), Is.EqualTo((1, _missing, new JalaliPeriod(1404, 5), 2)));
        Assert.That(unit.LastReminderAt, Is.EqualTo(Seed.LateFrom.AddDays(-1)));
        Assert.That(unit.LateFrom, Is.EqualTo(Seed.LateFrom));
        Assert.That(unit.Contacts.Select(c => (c.Name, c.Mobile, c.Email)), Is.EqualTo(new[]
        {
            ("رابط یکم", (string?)"09121234567", (string?)"first@example.ir"), ("رابط دوم", "09351234567", null),
        }));
    }

    [Test]
    public async Task A_long_list_is_paged_with_its_total_searched_and_sorted()
    {
        await _seed.Units.AddUnitsAsync(Enumerable.Range(0, 150).Select(i => (new BatchEngine.Data.Register.Unit
        {
            LicenceNo = (24_000_000 + i).ToString(CultureInfo.InvariantCulture), Name = "واحد " + i, ProvinceCode = "tehran", Isic = "2394",
            Status = BatchEngine.Data.Register.UnitStatus.Active, CreatedAt = Seed.Opens.AddYears(-1),
        }, (IReadOnlyList<string>)["2394-01"])).ToList());
        var compliance = new Compliance(Database);

        var first = await compliance.UnitsAsync(new JalaliPeriod(1404, 6), "tehran", ComplianceList.Missing, Now);
        var second = await compliance.UnitsAsync(new JalaliPeriod(1404, 6), "tehran", ComplianceList.Missing, Now, page: 2);
        var found = await compliance.UnitsAsync(new JalaliPeriod(1404, 6), "tehran", ComplianceList.Missing, Now, search: "24000149");
        var byName = await compliance.UnitsAsync(new JalaliPeriod(1404, 6), "tehran", ComplianceList.Missing, Now, search: "واحد 14");
        var neverFirst = await compliance.UnitsAsync(new JalaliPeriod(1404, 6), "tehran", ComplianceList.Missing, Now, sort: ComplianceSort.LastReported, pageSize: 151);

        Assert.That((first.Total, first.Rows.Count, second.Rows.Count), Is.EqualTo((151, 100, 51)));
        Assert.That(first.Rows.Concat(second.Rows).Select(u => u.UnitId).Distinct().Count(), Is.EqualTo(151), "pages do not overlap");
        Assert.That(found.Rows.Single().LicenceNo, Is.EqualTo("24000149"));
        Assert.That(byName.Total, Is.EqualTo(11), "واحد 14 and واحد 140–149");
        Assert.That(neverFirst.Rows[^1].UnitId, Is.EqualTo(_missing), "the units that never reported come before one that reported last period");
    }

    [Test]
    public async Task A_reminder_by_hand_goes_through_the_ledger_once_per_unit_and_day_and_only_to_the_experts_province_and_silent_units()
    {
        var ledger = new BatchEngine.Data.Notifications.ReminderLedger(Database);
        var isfahanUnit = (await _seed.Register.FindUnitByLicenceAsync("31000001"))!.Id;
        await _seed.LiaisonAsync(isfahanUnit, "رابط اصفهان", "isf@example.ir", null);
        await _seed.LiaisonAsync(_reported, "رابط گزارش‌داده", "done@example.ir", null);
        long[] chosen = [_missing, _reported, isfahanUnit];

        var first = await ledger.CreateManualAsync(new JalaliPeriod(1404, 6), "1404-07-13", chosen, "tehran", Now, Now, Now);
        var again = await ledger.CreateManualAsync(new JalaliPeriod(1404, 6), "1404-07-13", chosen, "tehran", Now, Now, Now.AddHours(2));
        var nextDay = await ledger.CreateManualAsync(new JalaliPeriod(1404, 6), "1404-07-14", chosen, "tehran", Now.AddDays(1), Now.AddDays(1), Now.AddDays(1));

        Assert.That((first, again, nextDay), Is.EqualTo((2, 0, 2)), "the silent Tehran unit's e-mail and SMS, once a day");
        await using var connection = await Database.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM reminders WHERE stage LIKE 'manual-%' AND unit_id <> @_missing", new { _missing }),
            Is.Zero, "neither another province's unit nor one that reported");
    }

    [Test]
    public async Task Deadlines_extended_in_bulk_are_all_granted_or_none_and_those_units_are_not_yet_due()
    {
        var extensions = new DeadlineExtensions(Database);
        var expert = Actor.ProvincialExpert("کارشناس", "tehran");
        var isfahanUnit = (await _seed.Register.FindUnitByLicenceAsync("31000001"))!.Id;
        var until = Now.AddDays(10);

        Assert.That(async () => await extensions.GrantManyAsync([_missing, isfahanUnit], new JalaliPeriod(1404, 6), until, expert, "سیل", Now),
            Throws.TypeOf<WorkflowException>());
        Assert.That(await extensions.HistoryAsync(_missing, new JalaliPeriod(1404, 6)), Is.Empty, "a unit outside the province refuses the whole request");

        var granted = await extensions.GrantManyAsync([_missing, _extended, _missing], new JalaliPeriod(1404, 6), until, expert, "سیل", Now);
        var again = await extensions.GrantManyAsync([_missing, _extended], new JalaliPeriod(1404, 6), until, expert, "سیل", Now);

        Assert.That((granted, again), Is.EqualTo((2, 0)), "each unit once; the same request again records nothing");
        var tehran = (await new Compliance(Database).ByProvinceAsync([new JalaliPeriod(1404, 6)], "tehran", Now)).Single();
        Assert.That((tehran.Missing, tehran.NotYetDue), Is.EqualTo((0, 2)));
    }
}
