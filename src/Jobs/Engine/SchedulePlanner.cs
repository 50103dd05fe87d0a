using BatchEngine.Jobs.Calendar;

namespace BatchEngine.Jobs.Engine;

/// <summary>One instant the engine plans: a stable key (<c>1404-08/reminder-2</c>), when, and what it will do.</summary>
public sealed record PlannedInstant(string Key, DateTimeOffset At, string Description);

/// <summary>
/// Turns the calendar into the instants Quartz fires: each period's opening, reminder stages and (shifted)
/// deadline, for the period open now and the next 12.
/// </summary>
public sealed class SchedulePlanner(CalendarSource calendars)
{
    public const int PeriodsAhead = 12;

    public IReadOnlyList<PlannedInstant> Plan(DateTimeOffset now)
    {
        var calendar = calendars.Current;
        var plan = new List<PlannedInstant>();
        var period = calendar.LatestOpenAt(now);
        for (var i = 0; i <= PeriodsAhead; i++, period = period.Next)
        {
            var schedule = calendar.For(period);
            plan.Add(new PlannedInstant($"{period}/open", schedule.OpensAt, $"open period {period}"));
            plan.AddRange(schedule.Reminders.Select(r => new PlannedInstant($"{period}/{r.Key}", r.At, $"reminder stage {r.Stage} of {period}")));
            plan.Add(new PlannedInstant($"{period}/deadline", schedule.LateFrom,
                $"deadline of {period} passed: flag, overdue notices, digests"));
        }

        return plan;
    }
}
