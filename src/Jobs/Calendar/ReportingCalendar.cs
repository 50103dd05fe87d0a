using System.Globalization;
using BatchEngine.Data.Calendar;

namespace BatchEngine.Jobs.Calendar;

/// <summary>One reminder stage of a period: its stable key (<c>reminder-2</c>) and when it is due.</summary>
public sealed record ReminderInstant(int Stage, DateTimeOffset At)
{
    public string Key => string.Create(CultureInfo.InvariantCulture, $"reminder-{Stage}");
}

/// <summary>When a period opens, when it must be reported by, and when its reminders go out.</summary>
public sealed record PeriodSchedule(
    JalaliPeriod Period,
    DateTimeOffset OpensAt,
    JalaliDate NominalDeadlineDay,
    JalaliDate DeadlineDay,
    IReadOnlyList<string> ShiftReasons,
    DateTimeOffset LateFrom,
    IReadOnlyList<ReminderInstant> Reminders)
{
    /// <summary>The last instant on time: the end of the deadline day.</summary>
    public DateTimeOffset Deadline => LateFrom.AddMilliseconds(-1);
}

/// <summary>Deadlines the holiday file cannot speak for: it lists lunar holidays up to <see cref="ListedUntil"/> (or none).</summary>
public sealed record HolidayGap(JalaliDate? ListedUntil, IReadOnlyList<PeriodSchedule> Uncovered)
{
    public override string ToString() =>
        $"The holiday file lists {(ListedUntil is { } until ? $"lunar holidays only up to {until}" : "no lunar holidays")}; " +
        $"the deadlines of {string.Join(", ", Uncovered.Select(s => $"{s.Period} ({s.DeadlineDay})"))} fall after that: add the coming lunar " +
        "holidays from the government's official calendar to config/holidays.json, or a deadline on one of them will not move.";

    /// <summary>The same, for a person: Persian, Jalali dates in Persian digits.</summary>
    public string ToPersian() =>
        $"فهرست تعطیلات رسمی {(ListedUntil is { } until ? $"تعطیلات قمری را فقط تا {until.ToPersian()} دارد" : "هیچ تعطیل قمری ندارد")}؛ " +
        $"مهلت {string.Join("، ", Uncovered.Select(s => $"{s.Period.ToPersian()} ({s.DeadlineDay.ToPersian()})"))} پس از آن است. " +
        "تعطیلات قمری پیش رو را از تقویم رسمی کشور به config/holidays.json بیفزایید؛ وگرنه مهلتی که به یکی از آن‌ها بیفتد جابه‌جا نمی‌شود.";
}

/// <summary>
/// The deadline rule of the service card: a period opens at 00:00 on its last day, must be reported by the
/// end of day 10 of the next month (moved past weekend days and official holidays), and is reminded of on
/// the configured days. Times are Tehran's. The only place this rule lives.
/// </summary>
public sealed class ReportingCalendar(CalendarOptions options, HolidayCalendar holidays, TehranClock clock)
{
    public TehranClock Clock => clock;

    public PeriodSchedule For(JalaliPeriod period) => For(period, null);

    /// <summary>
    /// The schedule for the units of a province whose offices are also closed on <paramref name="closures"/> (day and
    /// reason): their deadline moves past those days as past a holiday.
    /// </summary>
    public PeriodSchedule For(JalaliPeriod period, IReadOnlyDictionary<JalaliDate, string>? closures)
    {
        var opensAt = clock.At(period.LastDay, TimeOnly.MinValue);
        var nominal = JalaliDate.DayOfMonthAfter(period, options.DeadlineDay);
        var deadlineDay = nominal;
        var reasons = new List<string>();
        while (options.ShiftPastHolidays && (closures?.GetValueOrDefault(deadlineDay) ?? ClosedReason(deadlineDay)) is { } reason)
        {
            reasons.Add($"{deadlineDay} {reason}");
            deadlineDay = deadlineDay.AddDays(1);
        }

        var lateFrom = clock.At(deadlineDay.AddDays(1), TimeOnly.MinValue);
        var reminders = options.Reminders
            .Select((stage, i) => new ReminderInstant(i + 1, clock.At(ReminderDay(period, stage, deadlineDay), ParseTime(stage.Time))))
            .ToList();
        return new PeriodSchedule(period, opensAt, nominal, deadlineDay, reasons, lateFrom, reminders);
    }

    /// <summary>
    /// The next three deadlines (of the periods whose deadline has not passed at <paramref name="instant"/>) that fall after
    /// the last lunar holiday the holiday file lists: one of them may fall on a holiday the file does not know, and would
    /// not move. Null when the file covers them.
    /// </summary>
    public HolidayGap? HolidayGapAt(DateTimeOffset instant)
    {
        var first = LatestOpenAt(instant);
        if (For(first).LateFrom <= instant)
        {
            first = first.Next;
        }

        var until = holidays.DatedUntil;
        var uncovered = new[] { first, first.Next, first.Next.Next }.Select(For).Where(s => until is null || s.NominalDeadlineDay > until).ToList();
        return uncovered.Count == 0 ? null : new HolidayGap(until, uncovered);
    }

    /// <summary>The newest period that has opened at <paramref name="instant"/>.</summary>
    public JalaliPeriod LatestOpenAt(DateTimeOffset instant)
    {
        var candidate = clock.DateOf(instant).Period;
        return For(candidate).OpensAt <= instant ? candidate : candidate.Previous;
    }

    /// <summary>The newest period, <paramref name="upTo"/> or before it, whose deadline has passed at <paramref name="instant"/>.</summary>
    public JalaliPeriod LastClosedAt(JalaliPeriod upTo, DateTimeOffset instant)
    {
        var period = upTo;
        while (For(period).LateFrom > instant)
        {
            period = period.Previous;
        }

        return period;
    }

    /// <summary>Why offices are closed on <paramref name="date"/> (weekend or holiday), or null on a working day.</summary>
    public string? ClosedReason(JalaliDate date)
    {
        if (holidays.NameOf(date) is { } holiday)
        {
            return holiday;
        }

        return options.WeekendDays.Contains(date.DayOfWeek) ? PersianText.WeekdayName(date.DayOfWeek) : null;
    }

    private static JalaliDate ReminderDay(JalaliPeriod period, ReminderStageOptions stage, JalaliDate deadlineDay) =>
        (stage.DayOfMonth, stage.DaysBeforeDeadline) switch
        {
            ({ } day, null) => JalaliDate.DayOfMonthAfter(period, day),
            (null, { } before) when before >= 0 => deadlineDay.AddDays(-before),
            _ => throw new FormatException("A reminder stage needs either DayOfMonth or DaysBeforeDeadline (≥ 0), not both."),
        };

    private static TimeOnly ParseTime(string text) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw new FormatException($"Reminder time '{text}' is not a time of day; expected HH:mm such as 09:00.");
}
