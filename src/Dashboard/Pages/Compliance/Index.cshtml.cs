using System.Text;
using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Periods;
using BatchEngine.Data.Status;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Engine;
using BatchEngine.Jobs.Hosting;
using BatchEngine.Jobs.Import;
using BatchEngine.Jobs.Notifications;
using Hangfire;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Caching.Memory;

namespace BatchEngine.Dashboard.Pages.Compliance;

/// <summary>
/// Per period and province: on time, late, missing, not yet due, flagged, with the units behind each figure (paged,
/// searched, sorted, with what following up a missing unit needs: its liaisons' contacts, last reported period,
/// reminders sent, days late), the possibly inactive units, a CSV of any whole list, and the shares of the last 12
/// periods as a chart. A provincial expert sees their province.
/// </summary>
[Authorize(Roles = Viewer.Experts + "," + Viewer.Admin)]
public sealed class IndexModel(Database database, TimeProvider time, ReportingCalendar calendar, ProvinceNames provinces, IBackgroundJobClient jobs,
    EngineSettings settings, IMemoryCache cache) : PageModel
{
    /// <summary>
    /// How long the 12-period chart is reused for a scope: at national scale it reads a year of every unit's returns
    /// (most of the page's time), and shares of past periods move slowly; the figures of the chosen period are always read afresh.
    /// </summary>
    public static readonly TimeSpan HistoryReused = TimeSpan.FromMinutes(5);

    [BindProperty(SupportsGet = true)] public string? Period { get; set; }
    [BindProperty(SupportsGet = true)] public string? Province { get; set; }
    [BindProperty(SupportsGet = true)] public ComplianceList? List { get; set; }
    [BindProperty(SupportsGet = true)] public string? Search { get; set; }
    [BindProperty(SupportsGet = true)] public ComplianceSort Sort { get; set; }
    [BindProperty(SupportsGet = true)] public int PageNumber { get; set; } = 1;

    public IReadOnlyList<JalaliPeriod> Periods { get; private set; } = [];

    /// <summary>The period shown: the one asked for when it has opened, else the newest.</summary>
    public JalaliPeriod? Shown { get; private set; }
    public IReadOnlyList<ProvinceCompliance> Current { get; private set; } = [];
    public IReadOnlyList<ProvinceCompliance> History { get; private set; } = [];
    public ListPage<ComplianceUnit>? Units { get; private set; }
    public DateTime Now { get; private set; }
    public TehranClock Clock => calendar.Clock;

    /// <summary>The units an expert chose, to remind now or to extend.</summary>
    [BindProperty] public List<long> Chosen { get; set; } = [];

    /// <summary>Every unit of the list as filtered, on all pages; <see cref="MatchingCount"/> is how many the expert saw.</summary>
    [BindProperty] public bool AllMatching { get; set; }
    [BindProperty] public int MatchingCount { get; set; }

    /// <summary>A provincial expert's bulk extension: the last day to report (Jalali) and the reason.</summary>
    [BindProperty] public string? ExtendUntil { get; set; }
    [BindProperty] public string? ExtendReason { get; set; }

    /// <summary>A provincial expert may extend the deadline of the units they follow up (the extension rule's own check).</summary>
    public bool MayExtend => MayRemind && User.IsInRole(Viewer.ProvincialExpert);

    /// <summary>
    /// Extends the deadline of the chosen units for the period to the end of the given day, with one reason: all of
    /// them or none (<see cref="Data.Periods.DeadlineExtensions.GrantManyAsync"/>).
    /// </summary>
    public async Task<IActionResult> OnPostExtendAsync()
    {
        await LoadAsync(units: false);
        if (!MayExtend || Shown is not { } period)
        {
            return Forbid();
        }

        if (!JalaliDate.TryParse(ExtendUntil, out var lastDay))
        {
            TempData["Error"] = $"تاریخ «{ExtendUntil}» خوانده نشد؛ آخرین روز ثبت را مانند ۱۴۰۵/۰۹/۱۵ بنویسید.";
        }
        else if (await TargetsAsync() is { } targets)
        {
            try
            {
                var recorded = await new Data.Periods.DeadlineExtensions(database).GrantManyAsync(targets, period, calendar.Clock.After(lastDay).UtcDateTime,
                    User.Actor()!, ExtendReason ?? "", time.GetUtcNow().UtcDateTime);
                TempData["Message"] = $"مهلت {Persian.Period(period)} برای {PersianText.Number(recorded)} واحد تا پایان {lastDay.ToPersian()} تمدید شد.";
            }
            catch (Data.Returns.WorkflowException e)
            {
                TempData["Error"] = "هیچ مهلتی تمدید نشد: " + e.Persian;
            }
        }

        return Redirect("/compliance" + PageLink(PageNumber));
    }

    /// <summary>Whether the viewer may remind the units of this list now: an expert, on a list of units that have not reported.</summary>
    public bool MayRemind => (User.IsInRole(Viewer.ProvincialExpert) || User.IsInRole(Viewer.MinistryExpert))
        && List is ComplianceList.Missing or ComplianceList.NotYetDue or ComplianceList.Flagged;

    /// <summary>
    /// A reminder now to the chosen units, through the ledger like any stage: at most once per unit and Tehran day, only
    /// to units of the viewer's province that have not reported; the send jobs go at once.
    /// </summary>
    public async Task<IActionResult> OnPostRemindAsync()
    {
        await LoadAsync(units: false);
        if (!MayRemind || Shown is not { } period)
        {
            return Forbid();
        }

        if (await TargetsAsync() is not { } targets)
        {
            return Redirect("/compliance" + PageLink(PageNumber));
        }

        var now = time.GetUtcNow();
        var day = calendar.Clock.DateOf(now).ToString();
        var written = await new Data.Notifications.ReminderLedger(database)
            .CreateManualAsync(period, day, targets, User.ProvinceScope(), now.UtcDateTime, new SmsWindow(settings.NotificationOptions().Sms, calendar.Clock).NextAllowed(now).UtcDateTime, now.UtcDateTime);
        if (written > 0)
        {
            jobs.Enqueue<SendBatchJob>(job => job.RemindersAsync(Data.Notifications.Channel.Email, CancellationToken.None));
            jobs.Enqueue<SendBatchJob>(job => job.RemindersAsync(Data.Notifications.Channel.Sms, CancellationToken.None));
        }

        TempData["Message"] = written > 0
            ? $"{PersianText.Number(written)} یادآوری برای {PersianText.Number(targets.Count)} واحد برگزیده نوشته شد و فرستاده می‌شود (هر واحد دست‌بالا یک بار در روز؛ واحدهایی که گزارش داده‌اند یادآوری نمی‌گیرند)."
            : "یادآوری تازه‌ای نوشته نشد: این واحدها امروز یادآوری گرفته‌اند، گزارش داده‌اند یا رابطی با تلفن همراه یا رایانامه ندارند.";
        return Redirect("/compliance" + PageLink(PageNumber));
    }

    /// <summary>
    /// The units to act on: the ticked ones, or every unit of the list as filtered when the expert chose "all N", refused
    /// (null, with the reason in TempData) when none is chosen or the list changed since the expert saw its count.
    /// </summary>
    private async Task<IReadOnlyList<long>?> TargetsAsync()
    {
        var targets = AllMatching ? await WholeListAsync().Select(u => u.UnitId).ToListAsync() : Chosen.Distinct().ToList();
        if (AllMatching && targets.Count != MatchingCount)
        {
            TempData["Error"] = $"فهرست در این فاصله تغییر کرد: اکنون {PersianText.Number(targets.Count)} واحد در آن هست، نه {PersianText.Number(MatchingCount)}. دوباره بررسی کنید.";
            return null;
        }

        if (targets.Count == 0)
        {
            TempData["Error"] = "هیچ واحدی برگزیده نشده است.";
            return null;
        }

        return targets;
    }

    /// <summary>Every unit of the list as filtered, read page after page (never cut).</summary>
    private async IAsyncEnumerable<ComplianceUnit> WholeListAsync()
    {
        if (Shown is not { } period || List is not { } list)
        {
            yield break;
        }

        var compliance = new Data.Status.Compliance(database);
        for (var page = 1; ; page++)
        {
            var rows = await compliance.UnitsAsync(period, Province, list, Now, SearchText, Sort, page, 1000);
            foreach (var unit in rows.Rows)
            {
                yield return unit;
            }

            if (rows.Page >= rows.Pages)
            {
                yield break;
            }
        }
    }

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadAsync();
        return Page();
    }

    /// <summary>
    /// The whole list as CSV for people (UTF-8 with BOM for Excel, Persian headers, Jalali dates): every unit of it,
    /// read page after page, with its liaisons' names, mobiles and e-mails.
    /// </summary>
    public async Task<IActionResult> OnGetCsvAsync()
    {
        await LoadAsync(units: false);
        var text = new StringBuilder("شماره پروانه,نام واحد,استان,کد آیسیک,وضعیت واحد,وضعیت اظهارنامه,آخرین دوره گزارش‌شده,مهلت,روزهای تأخیر,یادآوری‌های فرستاده,رابط‌ها,تلفن همراه,رایانامه\r\n");
        await foreach (var unit in WholeListAsync())
        {
            text.AppendJoin(',', new[]
            {
                unit.LicenceNo, unit.Name, provinces[unit.ProvinceCode], unit.Isic, Labels.UnitStatus(unit.Status),
                unit.State is { } state ? Labels.State(Enum.Parse<Data.Returns.ReturnState>(state)) : "ثبت نشده",
                unit.LastReported is { } last ? Persian.Period(last) : "هرگز",
                Persian.Instant(unit.LateFrom, Clock), DaysLate(unit) is { } days ? PersianText.Digits(days) : "",
                PersianText.Digits(unit.RemindersSent),
                string.Join("؛ ", unit.Contacts.Select(c => c.Name)),
                string.Join("؛ ", unit.Contacts.Select(c => c.Mobile).OfType<string>()),
                string.Join("؛ ", unit.Contacts.Select(c => c.Email).OfType<string>()),
            }.Select(ErrorReport.Field)).Append("\r\n");
        }

        return File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text.ToString())).ToArray(), "text/csv",
            $"compliance-{Period}-{Province ?? "all"}-{List}.csv");
    }

    /// <summary>Whole days since the unit's deadline in force passed, for a unit that has not reported; null otherwise.</summary>
    public int? DaysLate(ComplianceUnit unit) =>
        unit.State is null || unit.State == nameof(Data.Returns.ReturnState.Draft)
            ? (Now - unit.LateFrom) is { TotalDays: >= 0 } late ? (int)late.TotalDays : null
            : null;

    /// <summary>The search as meant: Persian digits and letters read as the register writes them.</summary>
    private string? SearchText => Search is null ? null : PersianText.Clean(Search);

    public string PageLink(int page) => Pager.Query(page, ("period", Period), ("province", Province), ("list", List?.ToString()),
        ("search", Search), ("sort", Sort == ComplianceSort.Licence ? null : Sort.ToString()));

    private async Task LoadAsync(bool units = true)
    {
        Now = time.GetUtcNow().UtcDateTime;
        Periods = (await new PeriodStore(database).AllAsync()).Select(p => p.Code).OrderDescending().ToList();
        Shown = JalaliPeriod.TryParse(Period, out var asked) && Periods.Contains(asked) ? asked : Periods.Count > 0 ? Periods[0] : null;
        Period = Shown?.ToString();
        // A provincial expert's scope is their province whatever the address asks for.
        Province = User.ProvinceScope() ?? (string.IsNullOrWhiteSpace(Province) ? null : Province);
        if (Shown is not { } period)
        {
            return;
        }

        var compliance = new Data.Status.Compliance(database);
        Current = await compliance.ByProvinceAsync([period], User.ProvinceScope(), Now);
        var last12 = Periods.Take(12).ToList();
        History = (await cache.GetOrCreateAsync($"compliance-history:{Province}:{string.Join(',', last12)}",
            async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = HistoryReused;
                return await compliance.ByProvinceAsync(last12, Province, Now);
            }))!;
        if (units && List is { } list)
        {
            Units = await compliance.UnitsAsync(period, Province, list, Now, SearchText, Sort, PageNumber);
        }
    }

    /// <summary>The chart's data: for each of the last 12 periods, the on-time, late and missing shares of the expected units.</summary>
    public object ChartData()
    {
        var periods = History.GroupBy(h => h.Period).OrderBy(g => g.Key).ToList();
        decimal Share(IGrouping<JalaliPeriod, ProvinceCompliance> g, Func<ProvinceCompliance, int> count) =>
            g.Sum(h => h.Expected) == 0 ? 0 : Math.Round(100m * g.Sum(count) / g.Sum(h => h.Expected), 1);
        return new
        {
            labels = periods.Select(g => Persian.Period(g.Key)),
            datasets = new object[]
            {
                new { label = "به‌موقع", data = periods.Select(g => Share(g, h => h.OnTime)), backgroundColor = "#2e7d32" },
                new { label = "با تأخیر", data = periods.Select(g => Share(g, h => h.Late)), backgroundColor = "#f9a825" },
                new { label = "ارسال‌نشده", data = periods.Select(g => Share(g, h => h.Missing)), backgroundColor = "#c62828" },
            },
        };
    }

    public static string SortName(ComplianceSort sort) => sort switch
    {
        ComplianceSort.Name => "نام واحد",
        ComplianceSort.LastReported => "دورترین آخرین گزارش",
        ComplianceSort.Reminders => "بیشترین یادآوری",
        _ => "شماره پروانه",
    };

    public static string ListName(ComplianceList list) => list switch
    {
        ComplianceList.OnTime => "به‌موقع",
        ComplianceList.Late => "با تأخیر",
        ComplianceList.Missing => "ارسال‌نشده (مهلت گذشته)",
        ComplianceList.NotYetDue => "هنوز در مهلت",
        ComplianceList.Flagged => "پرچم‌خورده",
        _ => "احتمالاً غیرفعال",
    };
}
