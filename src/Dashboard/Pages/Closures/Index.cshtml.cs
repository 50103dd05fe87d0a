using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Periods;
using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Engine;
using Hangfire;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BatchEngine.Dashboard.Pages.Closures;

/// <summary>
/// Days a province's offices are closed: its expert records those of the province, the ministry and admins those of any;
/// the step runs at once and moves that province's deadlines still ahead.
/// </summary>
[Authorize(Roles = Viewer.ProvincialExpert + "," + Viewer.MinistryExpert + "," + Viewer.Admin)]
public sealed class IndexModel(Database database, ProvinceNames provinces, TimeProvider time, IBackgroundJobClient jobs, ReportingCalendar calendar) : PageModel
{
    public TehranClock Clock => calendar.Clock;

    [BindProperty] public string? Day { get; set; }
    [BindProperty] public string? Province { get; set; }
    [BindProperty] public string? Reason { get; set; }
    public string? Error { get; private set; }
    public IReadOnlyList<ProvinceClosure> Closures { get; private set; } = [];
    public IReadOnlyDictionary<string, string> ProvinceNames => provinces.All;

    /// <summary>A provincial expert's own province; null for the ministry and admins, who choose.</summary>
    public string? OwnProvince => User.IsInRole(Viewer.ProvincialExpert) ? User.Province() : null;

    public async Task OnGetAsync() => Closures = await new ProvinceClosures(database).AllAsync(OwnProvince);

    public async Task<IActionResult> OnPostAsync()
    {
        var province = OwnProvince ?? Province ?? "";
        // An admin records as the ministry does; an expert as the province's expert, whose scope the store checks.
        var actor = User.Actor() ?? Actor.MinistryExpert($"{User.Name()} ({User.Identity?.Name})");
        if (!JalaliDate.TryParse(Day, out var day))
        {
            Error = $"«{Day}» تاریخ شمسی نیست؛ به شکل ۱۴۰۵/۰۹/۱۰ بنویسید.";
        }
        else if (!provinces.All.ContainsKey(province))
        {
            Error = "استان را برگزینید.";
        }
        else if (string.IsNullOrWhiteSpace(Reason))
        {
            Error = "دلیل تعطیلی (تصمیم استانداری) را بنویسید.";
        }
        else
        {
            try
            {
                var added = await new ProvinceClosures(database).AddAsync(province, day.ToString(), Reason, actor, time.GetUtcNow().UtcDateTime);
                jobs.Enqueue<SweepJob>(job => job.RunAsync(CancellationToken.None));
                TempData["Message"] = added
                    ? $"تعطیلی ادارات استان {provinces.All[province]} در {day.ToPersian()} ثبت شد؛ مهلت‌هایی که هنوز نگذشته‌اند و به آن می‌افتند جابه‌جا می‌شوند."
                    : $"{day.ToPersian()} از پیش برای استان {provinces.All[province]} ثبت شده بود؛ چیزی تغییر نکرد.";
                return Redirect("/closures");
            }
            catch (WorkflowException e)
            {
                Error = e.Persian;
            }
        }

        await OnGetAsync();
        return Page();
    }
}
