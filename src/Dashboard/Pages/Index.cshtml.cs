using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Notifications;
using BatchEngine.Data.Periods;
using BatchEngine.Data.Status;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Engine;
using BatchEngine.Jobs.Hosting;
using BatchEngine.Jobs.Status;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BatchEngine.Dashboard.Pages;

/// <summary>The home page: the current period, its deadline and where the viewer's returns stand (a province, or the country).</summary>
public sealed class IndexModel(Database database, ReportingCalendar calendar, PeriodOverview overview, SchedulePlanner planner, TimeProvider time,
    EngineSettings settings) : PageModel
{
    public IReadOnlyList<Jobs.Partners.PartnerOptions> Partners => settings.Partners();

    public JalaliPeriod? Period { get; private set; }
    public PeriodSchedule? Schedule { get; private set; }
    public PeriodStatus? Status { get; private set; }
    public int DaysLeft { get; private set; }
    public IReadOnlyList<LedgerCount> Reminders { get; private set; } = [];
    public IReadOnlyList<PlannedInstant> Upcoming { get; private set; } = [];
    public TehranClock Clock => calendar.Clock;

    /// <summary>The compliance list behind a count of the home page, for the viewer's scope.</summary>
    public string ListLink(ComplianceList list) => "/compliance" + Pager.Query(1, ("period", Period?.ToString()), ("list", list.ToString()));

    public async Task<IActionResult> OnGetAsync()
    {
        if (User.IsInRole(Viewer.Liaison))
        {
            return Redirect("/liaison");
        }

        var latest = await new PeriodStore(database).LatestAsync();
        if (latest is null)
        {
            return Page();
        }

        var now = time.GetUtcNow();
        Period = latest.Code;
        Schedule = calendar.For(Period.Value);
        Status = await overview.GetAsync(Period.Value, User.ProvinceScope(), now);
        Reminders = await new ReminderLedger(database).CountsAsync(latest.Code, User.ProvinceScope());
        Upcoming = planner.Plan(now).Where(i => i.At > now).Take(5).ToList();
        DaysLeft = Math.Max(0, (calendar.Clock.DateOf(Schedule.Deadline).ToGregorian().DayNumber - calendar.Clock.DateOf(now).ToGregorian().DayNumber));
        return Page();
    }
}
