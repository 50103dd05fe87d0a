using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Partners;

namespace BatchEngine.Jobs.Engine;

/// <summary>
/// One instant the engine plans: a stable key (<c>1404-08/reminder-2</c>), when, what it will do, and its Quartz group
/// (the calendar of periods, or partner deliveries).
/// </summary>
public sealed record PlannedInstant(string Key, DateTimeOffset At, string Description, string Group = PlannedInstant.Calendar)
{
    public const string Calendar = "calendar";
    public const string Deliveries = "deliveries";
}

/// <summary>
/// Turns the calendar into the instants Quartz fires: each period's opening, reminder stages and (shifted)
/// deadline, for the period open now and the next 12; and each partner's daily delivery, the latest one and those of
/// the next week (the hourly sweep re-plans, so the week always lies ahead).
/// </summary>
public sealed class SchedulePlanner(CalendarSource calendars, Func<IReadOnlyList<PartnerOptions>> partners)
{
    public const int PeriodsAhead = 12;
    public const int DeliveryDaysAhead = 7;

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

        foreach (var partner in partners())
        {
            plan.AddRange(PartnerSchedule.Slots(partner, now, calendar.Clock, DeliveryDaysAhead).Select(at => new PlannedInstant(
                $"{partner.Name}/{calendar.Clock.DateOf(at)}", at, $"deliver to {partner.Name}", PlannedInstant.Deliveries)));
        }

        return plan;
    }
}
