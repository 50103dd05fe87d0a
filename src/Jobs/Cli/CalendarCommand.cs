using System.Text.Json;
using BatchEngine.Data.Calendar;
using BatchEngine.Jobs.Calendar;

namespace BatchEngine.Jobs.Cli;

/// <summary><c>calendar --period YYYY-MM [--json]</c>: when a period opens, its deadline and its reminders.</summary>
internal static class CalendarCommand
{
    public static int Run(CliArguments args, ReportingCalendar calendar, TextWriter output)
    {
        var period = CliParsing.Period(args.RequiredOption("period", "1404-07"));
        var json = args.Flag("json");
        args.RejectUnknownOptions();

        var schedule = calendar.For(period);
        var clock = calendar.Clock;
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                period = period.ToString(),
                name = period.ToPersian(),
                daysInMonth = period.DaysInMonth,
                opensAt = InstantText.Iso(schedule.OpensAt),
                opensAtJalali = InstantText.Jalali(schedule.OpensAt, clock),
                deadline = InstantText.Iso(schedule.Deadline),
                deadlineDay = schedule.DeadlineDay.ToString(),
                nominalDeadlineDay = schedule.NominalDeadlineDay.ToString(),
                shiftedBecause = schedule.ShiftReasons,
                lateFrom = InstantText.Iso(schedule.LateFrom),
                reminders = schedule.Reminders.Select(r => new
                {
                    key = $"{period}/{r.Key}",
                    at = InstantText.Iso(r.At),
                    atJalali = InstantText.Jalali(r.At, clock),
                }),
            }, CliParsing.Json));
            return 0;
        }

        output.WriteLine($"Period {period} ({period.ToPersian()}), {period.DaysInMonth} days");
        output.WriteLine($"  opens     {InstantText.Iso(schedule.OpensAt),-30} {InstantText.Jalali(schedule.OpensAt, clock)}");
        output.WriteLine($"  deadline  {InstantText.Iso(schedule.Deadline),-30} end of {schedule.DeadlineDay} ({schedule.DeadlineDay.ToPersian()})");
        foreach (var reason in schedule.ShiftReasons)
        {
            output.WriteLine($"            moved past {reason}");
        }

        foreach (var reminder in schedule.Reminders)
        {
            output.WriteLine($"  {reminder.Key,-9} {InstantText.Iso(reminder.At),-30} {InstantText.Jalali(reminder.At, clock)}");
        }

        return 0;
    }
}
