using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Engine;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Engine;
using BatchEngine.Jobs.Hosting;
using Hangfire;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Quartz;

namespace BatchEngine.Dashboard.Pages.Admin;

/// <summary>One planned instant as Quartz holds it.</summary>
public sealed record ScheduledInstant(string Group, string Key, DateTimeOffset? Next);

/// <summary>The instants Quartz will fire (current and next periods, partner deliveries) and the last runs of the step.</summary>
[Authorize(Roles = Viewer.Admin)]
public sealed class ScheduleModel(ISchedulerFactory schedulers, Database database, ReportingCalendar calendar, EngineSettings settings, TimeProvider time,
    IBackgroundJobClient jobs) : PageModel
{
    [BindProperty] public string? HolidayDate { get; set; }
    [BindProperty] public string? HolidayName { get; set; }
    public string? HolidayError { get; private set; }

    /// <summary>Deadlines the holiday file does not cover, if any.</summary>
    public HolidayGap? HolidayGap { get; private set; }

    /// <summary>The first period the engine collects (go-live); null while none is.</summary>
    public JalaliPeriod? FirstCollected { get; private set; }

    public IReadOnlyList<ScheduledInstant> Instants { get; private set; } = [];
    public ListPage<EngineRun> Runs { get; private set; } = new([], 0, 1, ListPage.DefaultSize);

    /// <summary>The page of the runs, from 1.</summary>
    [BindProperty(SupportsGet = true)] public int PageNumber { get; set; } = 1;

    public static string PageLink(int page) => Pager.Query(page);
    public TehranClock Clock => calendar.Clock;
    public IReadOnlyList<Jobs.Partners.PartnerOptions> Partners => settings.Partners();

    /// <summary>An admin adds an announced holiday to the holiday file; the step runs at once and moves the deadlines still ahead.</summary>
    public async Task<IActionResult> OnPostHolidayAsync(CancellationToken cancellationToken)
    {
        if (!JalaliDate.TryParse(HolidayDate, out var date))
        {
            HolidayError = $"«{HolidayDate}» تاریخ شمسی نیست؛ به شکل ۱۴۰۵-۱۲-۱۰ بنویسید.";
        }
        else
        {
            try
            {
                HolidayFileEditor.Add(settings.HolidayFile, date, HolidayName ?? "", User.Identity!.Name!, time.GetUtcNow());
                jobs.Enqueue<SweepJob>(job => job.RunAsync(CancellationToken.None));
                TempData["Message"] = $"تعطیل {date.ToPersian()} ({HolidayName!.Trim()}) افزوده شد؛ مهلت‌هایی که هنوز نگذشته‌اند و به آن می‌افتند جابه‌جا می‌شوند.";
                return Redirect("/admin/schedule");
            }
            catch (HolidayRefusedException e)
            {
                HolidayError = e.Reason == HolidayRefusal.NoName
                    ? "نام تعطیل را بنویسید."
                    : $"{date.ToPersian()} از پیش تعطیل است ({e.Existing})؛ چیزی افزوده نشد.";
            }
        }

        await OnGetAsync(cancellationToken);
        return Page();
    }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var instants = new List<ScheduledInstant>();
        foreach (var group in new[] { PlannedInstant.Calendar, PlannedInstant.Deliveries })
        {
            var page = await scheduler.QueryTriggers(new TriggerQuery { Group = GroupMatcher<TriggerKey>.GroupEquals(group), Take = 10_000 }, cancellationToken);
            instants.AddRange(page.Items.Select(t => new ScheduledInstant(group, t.Key.Name, t.NextFireTimeUtc)));
        }

        Instants = instants.OrderBy(i => i.Next ?? DateTimeOffset.MaxValue).ToList();
        Runs = await new EngineRuns(database).PageAsync(PageNumber);
        FirstCollected = await settings.FirstCollectedAsync(database);
        HolidayGap = calendar.HolidayGapAt(time.GetUtcNow());
    }
}
