namespace BatchEngine.Jobs.Calendar;

/// <summary>The deadline settings (<c>Deadline:*</c>) and the reminder schedule (<c>Reminders:Stages</c>).</summary>
public sealed class CalendarOptions
{
    public bool ShiftPastHolidays { get; set; } = true;

    /// <summary>Days on which offices are closed; a deadline falling on one moves on.</summary>
    public List<DayOfWeek> WeekendDays { get; set; } = [DayOfWeek.Friday];

    /// <summary>The day of the month after the period that ends the deadline, before any shift.</summary>
    public int DeadlineDay { get; set; } = 10;

    public List<ReminderStageOptions> Reminders { get; set; } =
    [
        new() { DayOfMonth = 5 },
        new() { DayOfMonth = 9 },
        new() { DaysBeforeDeadline = 0 },
    ];
}

/// <summary>One reminder stage: a day of the month after the period, or a number of days before the (shifted) deadline day.</summary>
public sealed class ReminderStageOptions
{
    public int? DayOfMonth { get; set; }
    public int? DaysBeforeDeadline { get; set; }
    public string Time { get; set; } = "09:00";
}
