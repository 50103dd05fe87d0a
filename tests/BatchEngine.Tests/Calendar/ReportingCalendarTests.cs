using BatchEngine.Data.Calendar;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Calendar;

[Category(Categories.Rules)]
public sealed class ReportingCalendarTests
{
    private static readonly ReportingCalendar Default = CalendarFixtures.Create();

    private static IEnumerable<JalaliPeriod> Periods1395To1420()
    {
        for (var p = new JalaliPeriod(1395, 1); p <= new JalaliPeriod(1420, 12); p = p.Next)
        {
            yield return p;
        }
    }

    [Test]
    public void Every_period_from_1395_to_1420_keeps_the_rule()
    {
        foreach (var period in Periods1395To1420())
        {
            var s = Default.For(period);
            var tehran = CalendarFixtures.Tehran;
            var opensLocal = tehran.ToTehran(s.OpensAt);
            Assert.That(tehran.DateOf(s.OpensAt), Is.EqualTo(period.LastDay), $"{period} opens on its last day");
            Assert.That(opensLocal.TimeOfDay, Is.LessThanOrEqualTo(TimeSpan.FromHours(1)), $"{period} opens at the day's start");

            Assert.That(s.NominalDeadlineDay, Is.EqualTo(new JalaliDate(period.Next.Year, period.Next.Month, 10)));
            Assert.That(s.DeadlineDay, Is.GreaterThanOrEqualTo(s.NominalDeadlineDay));
            Assert.That(Default.ClosedReason(s.DeadlineDay), Is.Null, $"{period}'s deadline {s.DeadlineDay} is a working day");
            for (var day = s.NominalDeadlineDay; day < s.DeadlineDay; day = day.AddDays(1))
            {
                Assert.That(Default.ClosedReason(day), Is.Not.Null, $"{period}: {day} was skipped, so it must be closed");
            }

            Assert.That(s.ShiftReasons, Has.Count.EqualTo(s.DeadlineDay.ToGregorian().DayNumber - s.NominalDeadlineDay.ToGregorian().DayNumber));
            Assert.That(tehran.DateOf(s.LateFrom), Is.EqualTo(s.DeadlineDay.AddDays(1)), $"{period}: late from the day after the deadline");
            Assert.That(tehran.DateOf(s.Deadline), Is.EqualTo(s.DeadlineDay));

            Assert.That(s.Reminders.Select(r => r.Key), Is.EqualTo(new[] { "reminder-1", "reminder-2", "reminder-3" }));
            Assert.That(tehran.DateOf(s.Reminders[0].At), Is.EqualTo(new JalaliDate(period.Next.Year, period.Next.Month, 5)));
            Assert.That(tehran.DateOf(s.Reminders[1].At), Is.EqualTo(new JalaliDate(period.Next.Year, period.Next.Month, 9)));
            Assert.That(tehran.DateOf(s.Reminders[2].At), Is.EqualTo(s.DeadlineDay));
            var instants = new[] { s.OpensAt }.Concat(s.Reminders.Select(r => r.At)).Append(s.LateFrom).ToList();
            Assert.That(instants, Is.Ordered.Ascending.And.Unique, period.ToString());
        }
    }

    [Test]
    public void Tehran_has_no_summer_time_after_1401_and_had_it_before()
    {
        Assert.That(Default.For(new JalaliPeriod(1404, 3)).Reminders[0].At.Offset, Is.EqualTo(TimeSpan.FromHours(3.5)));
        Assert.That(Default.For(new JalaliPeriod(1410, 4)).OpensAt.Offset, Is.EqualTo(TimeSpan.FromHours(3.5)));
        Assert.That(Default.For(new JalaliPeriod(1399, 3)).Reminders[0].At.Offset, Is.EqualTo(TimeSpan.FromHours(4.5)));
        Assert.That(Default.For(new JalaliPeriod(1399, 9)).Reminders[0].At.Offset, Is.EqualTo(TimeSpan.FromHours(3.5)));
    }

    [Test]
    public void Mehr_1404_as_in_the_contract()
    {
        var s = Default.For(new JalaliPeriod(1404, 6));
        Assert.That(s.OpensAt, Is.EqualTo(DateTimeOffset.Parse("2025-09-22T00:00:00+03:30", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(InstantText.Iso(s.Deadline), Is.EqualTo("2025-10-02T23:59:59.999+03:30"));
        Assert.That(s.ShiftReasons, Is.Empty);
    }

    [Test]
    public void A_deadline_on_a_friday_moves_to_saturday()
    {
        // 10 Farvardin 1403 was a Friday.
        var s = Default.For(new JalaliPeriod(1402, 12));
        Assert.That(s.NominalDeadlineDay.DayOfWeek, Is.EqualTo(DayOfWeek.Friday));
        Assert.That(s.DeadlineDay, Is.EqualTo(new JalaliDate(1403, 1, 11)));
        Assert.That(s.Reminders[2].At, Is.EqualTo(CalendarFixtures.Tehran.At(new JalaliDate(1403, 1, 11), new TimeOnly(9, 0))));
    }

    [Test]
    public void A_deadline_on_a_holiday_of_the_holiday_file_moves_to_the_next_working_day()
    {
        // 10 Shahrivar 1404 is in the shipped file (a lunar holiday); the 11th is a Tuesday.
        var s = Default.For(new JalaliPeriod(1404, 5));
        Assert.That(s.DeadlineDay, Is.EqualTo(new JalaliDate(1404, 6, 11)));
        Assert.That(s.ShiftReasons.Single(), Does.Contain("1404-06-10"));
        Assert.That(InstantText.Iso(s.LateFrom), Is.EqualTo("2025-09-03T00:00:00+03:30"));
    }

    [Test]
    public void Esfands_deadline_inside_nowruz_moves_past_all_of_it()
    {
        // With a deadline on day 2, Esfand 1403's falls on Nowruz (1-4 Farvardin 1404): the 5th is a Tuesday.
        var calendar = CalendarFixtures.Create(o => o.DeadlineDay = 2);
        var s = calendar.For(new JalaliPeriod(1403, 12));
        Assert.That(s.DeadlineDay, Is.EqualTo(new JalaliDate(1404, 1, 5)));
        Assert.That(s.ShiftReasons, Has.Count.EqualTo(3));
        Assert.That(s.OpensAt, Is.EqualTo(CalendarFixtures.Tehran.At(new JalaliDate(1403, 12, 30), TimeOnly.MinValue)));
    }

    [Test]
    public void Esfand_opens_on_the_29th_in_common_years_and_the_30th_in_leap_years()
    {
        Assert.That(CalendarFixtures.Tehran.DateOf(Default.For(new JalaliPeriod(1404, 12)).OpensAt), Is.EqualTo(new JalaliDate(1404, 12, 29)));
        Assert.That(CalendarFixtures.Tehran.DateOf(Default.For(new JalaliPeriod(1408, 12)).OpensAt), Is.EqualTo(new JalaliDate(1408, 12, 30)));
    }

    [Test]
    public void Thursday_as_a_weekend_day_moves_a_thursday_deadline_past_friday()
    {
        var calendar = CalendarFixtures.Create(o => o.WeekendDays = [DayOfWeek.Thursday, DayOfWeek.Friday]);
        Assert.That(calendar.For(new JalaliPeriod(1404, 6)).DeadlineDay, Is.EqualTo(new JalaliDate(1404, 7, 12)));
    }

    [Test]
    public void Without_shifting_the_deadline_stays_on_day_10()
    {
        var calendar = CalendarFixtures.Create(o => o.ShiftPastHolidays = false);
        Assert.That(calendar.For(new JalaliPeriod(1402, 12)).DeadlineDay, Is.EqualTo(new JalaliDate(1403, 1, 10)));
    }

    [Test]
    public void Reminder_stages_are_configurable()
    {
        var calendar = CalendarFixtures.Create(o => o.Reminders =
        [
            new ReminderStageOptions { DayOfMonth = 1, Time = "08:30" },
            new ReminderStageOptions { DaysBeforeDeadline = 2, Time = "17:00" },
        ]);
        var s = calendar.For(new JalaliPeriod(1404, 6));
        Assert.That(s.Reminders.Select(r => InstantText.Jalali(r.At, CalendarFixtures.Tehran)),
            Is.EqualTo(new[] { "1404-07-01T08:30", "1404-07-08T17:00" }));
    }

    [Test]
    public void A_malformed_reminder_time_names_the_value()
    {
        var calendar = CalendarFixtures.Create(o => o.Reminders = [new ReminderStageOptions { DayOfMonth = 5, Time = "9am" }]);
        Assert.That(() => calendar.For(new JalaliPeriod(1404, 6)), Throws.TypeOf<FormatException>().With.Message.Contains("'9am'"));
    }

    [Test]
    public void The_latest_open_period_changes_at_the_opening_instant()
    {
        var opens = Default.For(new JalaliPeriod(1405, 8)).OpensAt;
        Assert.That(Default.LatestOpenAt(opens), Is.EqualTo(new JalaliPeriod(1405, 8)));
        Assert.That(Default.LatestOpenAt(opens.AddTicks(-1)), Is.EqualTo(new JalaliPeriod(1405, 7)));
        Assert.That(Default.LatestOpenAt(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero)), Is.EqualTo(new JalaliPeriod(1405, 8)));
    }

    [Test]
    public void The_last_closed_period_is_the_newest_whose_deadline_passed()
    {
        var lateFrom = Default.For(new JalaliPeriod(1405, 7)).LateFrom;
        Assert.That(Default.LastClosedAt(new JalaliPeriod(1405, 8), lateFrom), Is.EqualTo(new JalaliPeriod(1405, 7)));
        Assert.That(Default.LastClosedAt(new JalaliPeriod(1405, 8), lateFrom.AddTicks(-1)), Is.EqualTo(new JalaliPeriod(1405, 6)));
    }

    [Test]
    public void The_shipped_holiday_file_loads_and_a_broken_one_is_named()
    {
        Assert.That(CalendarFixtures.ShippedHolidays.NameOf(new JalaliDate(1405, 1, 1)), Is.Not.Null);
        Assert.That(CalendarFixtures.ShippedHolidays.NameOf(new JalaliDate(1405, 1, 13)), Is.EqualTo("روز طبیعت"));
        Assert.That(CalendarFixtures.ShippedHolidays.NameOf(new JalaliDate(1405, 1, 20)), Is.Null);

        var path = Path.GetTempFileName();
        File.WriteAllText(path, """{ "fixed": [ { "date": "13-40", "name": "x" } ] }""");
        Assert.That(() => HolidayCalendar.Load(path), Throws.TypeOf<FormatException>().With.Message.Contains("'13-40'").And.Message.Contains(path));
        File.Delete(path);
    }

    [Test]
    public void The_holiday_file_is_said_not_to_cover_the_next_three_deadlines_past_its_last_lunar_holiday()
    {
        var now = CalendarFixtures.Tehran.At(new JalaliDate(1405, 8, 15), new TimeOnly(12, 0));
        HolidayCalendar Listing(params JalaliDate[] dated) => new([], dated.Select(d => (d, "تعطیل قمری")));

        var gap = CalendarFixtures.Create(holidays: Listing(new JalaliDate(1405, 8, 23))).HolidayGapAt(now)!;
        Assert.That(gap.Uncovered.Select(s => s.Period.ToString()), Is.EqualTo(new[] { "1405-08", "1405-09", "1405-10" }),
            "Aban's deadline (10 Azar) has not passed: it and the next two");
        Assert.That(gap.ToString(), Does.StartWith("The holiday file lists lunar holidays only up to 1405-08-23; the deadlines of 1405-08 (1405-09-10)"));
        Assert.That(gap.ToPersian(), Does.Contain("تا ").And.Contain("۱۴۰۵"));

        var partly = CalendarFixtures.Create(holidays: Listing(new JalaliDate(1405, 10, 20))).HolidayGapAt(now)!;
        Assert.That(partly.Uncovered.Select(s => s.Period.ToString()), Is.EqualTo(new[] { "1405-10" }));
        Assert.That(CalendarFixtures.Create(holidays: Listing(new JalaliDate(1405, 12, 29))).HolidayGapAt(now), Is.Null, "covered");
        Assert.That(CalendarFixtures.Create(holidays: HolidayCalendar.Empty).HolidayGapAt(now)!.ToString(), Does.Contain("no lunar holidays"));
    }
}
