using System.Globalization;

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

/// <summary>
/// The deadline rule of the service card: a period opens at 00:00 on its last day, must be reported by the
/// end of day 10 of the next month (moved past weekend days and official holidays), and is reminded of on
/// the configured days. Times are Tehran's. The only place this rule lives.
/// </summary>
public sealed class ReportingCalendar(CalendarOptions options, HolidayCalendar holidays, TehranClock clock)
{
    public TehranClock Clock => clock;

    public PeriodSchedule For(JalaliPeriod period)
    {
        var opensAt = clock.At(period.LastDay, TimeOnly.MinValue);
        var nominal = JalaliDate.DayOfMonthAfter(period, options.DeadlineDay);
        var deadlineDay = nominal;
        var reasons = new List<string>();
        while (options.ShiftPastHolidays && ClosedReason(deadlineDay) is { } reason)
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
