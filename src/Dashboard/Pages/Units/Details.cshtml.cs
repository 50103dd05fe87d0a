using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Register;
using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Register;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BatchEngine.Dashboard.Pages.Units;

/// <summary>A unit: register data, liaisons, every return with its history, flags, reminders, and its production over time.</summary>
public sealed class DetailsModel(Database database, ReportingCalendar calendar, TimeProvider time) : PageModel
{
    public Unit Unit { get; private set; } = null!;
    public IReadOnlyList<Product> Products { get; private set; } = [];
    public IReadOnlyList<Data.Register.Liaison> Liaisons { get; private set; } = [];
    public IReadOnlyList<(ReturnRow Return, IReadOnlyList<ReturnHistoryEntry> History)> Returns { get; private set; } = [];
    public IReadOnlyList<(JalaliPeriod Period, DateTime FlaggedAt)> Flags { get; private set; } = [];
    public IReadOnlyList<UnitReminder> Reminders { get; private set; } = [];
    public IReadOnlyList<ProductionPoint> Production { get; private set; } = [];
    public IReadOnlyList<RegisterChange> Changes { get; private set; } = [];
    public IReadOnlyList<UnitPeriod> Periods { get; private set; } = [];
    public TehranClock Clock => calendar.Clock;
    public string? Error { get; private set; }

    [BindProperty] public string? Reason { get; set; }

    /// <summary>The closing instant, Jalali (<c>1405-09-04T00:00</c>) or ISO 8601; now when left empty.</summary>
    [BindProperty] public string? At { get; set; }

    /// <summary>A provincial expert of the unit's province, or the ministry, may close and reopen it.</summary>
    public bool MayClose => User.IsInRole(Viewer.MinistryExpert) || (User.IsInRole(Viewer.ProvincialExpert) && User.Province() == Unit.ProvinceCode);

    public Task<IActionResult> OnPostCloseAsync(long id) => LifecycleAsync(id, close: true);

    public Task<IActionResult> OnPostReopenAsync(long id) => LifecycleAsync(id, close: false);

    [BindProperty] public string? ExtendPeriod { get; set; }
    [BindProperty] public string? ExtendUntil { get; set; }

    /// <summary>A provincial expert of the unit's province may extend its deadline for a period.</summary>
    public bool MayExtend => User.IsInRole(Viewer.ProvincialExpert) && User.Province() == Unit.ProvinceCode;

    /// <summary>
    /// Extends the unit's deadline for a period to the end of the given Jalali day (typed ۱۴۰۵/۰۹/۱۵ or 1405-09-15), with
    /// a reason: the first late instant is the start of the next day in Tehran, so the liaison reads "by 15 Azar".
    /// </summary>
    public async Task<IActionResult> OnPostExtendAsync(long id)
    {
        if (await OnGetAsync(id) is not PageResult || !MayExtend)
        {
            return Forbid();
        }

        if (!JalaliDate.TryParse(ExtendUntil, out var lastDay))
        {
            Error = $"تاریخ «{ExtendUntil}» خوانده نشد؛ آخرین روز ثبت را مانند ۱۴۰۵/۰۹/۱۵ بنویسید.";
            return Page();
        }

        if (!JalaliPeriod.TryParse(ExtendPeriod, out var period))
        {
            Error = Persian.UnreadPeriod(ExtendPeriod);
            return Page();
        }

        var until = Clock.After(lastDay);

        try
        {
            await new Data.Periods.DeadlineExtensions(database).GrantAsync(id, period, until.UtcDateTime, User.Actor()!, Reason ?? "", time.GetUtcNow().UtcDateTime);
        }
        catch (WorkflowException e)
        {
            Error = "انجام نشد: " + e.Persian;
            return Page();
        }

        TempData["Message"] = $"مهلت {Persian.Period(period)} برای این واحد تا پایان {lastDay.ToPersian()} تمدید شد.";
        return Redirect($"/units/{id}");
    }

    [BindProperty] public string? EditName { get; set; }
    [BindProperty] public string? EditIsic { get; set; }
    [BindProperty] public string? EditProducts { get; set; }

    /// <summary>The unit's products as a register file writes them, with their licensed annual capacities (code=capacity).</summary>
    public string ProductsText { get; private set; } = "";

    /// <summary>Edits the unit's register data with the same rules and history as a register file of one row.</summary>
    public async Task<IActionResult> OnPostEditAsync(long id)
    {
        if (await OnGetAsync(id) is not PageResult || !MayClose)
        {
            return Forbid();
        }

        var reference = await RegisterReference.LoadAsync(database);
        var columns = RegisterRows.Columns(RegisterKind.Units);
        var map = Jobs.Import.ReturnRows.MapHeader([.. columns], columns, RegisterRows.Required(RegisterKind.Units));
        var fields = columns.Select(c => c switch
        {
            "licence_no" => Unit.LicenceNo,
            "name" => EditName ?? "",
            "isic" => EditIsic ?? "",
            "province" => Unit.ProvinceCode,
            _ => EditProducts ?? "",
        }).ToArray();
        var errors = new List<Jobs.Import.RowError>();
        if (new RegisterRows(RegisterKind.Units, reference, Unit.ProvinceCode, User.AccountManager()).Check(new Jobs.Import.CsvRow(1, fields, false), map, errors) is not UnitRecord record)
        {
            Error = "ذخیره نشد: " + string.Join(" · ", errors.Select(e => $"{e.Column} «{e.Value}»: {e.Error}"));
            return Page();
        }

        await new RegisterWriter(database).UnitsAsync([record], $"{User.Name()} ({User.Identity!.Name})", time.GetUtcNow().UtcDateTime);
        TempData["Message"] = "شناسنامه واحد ذخیره شد.";
        return Redirect($"/units/{id}");
    }

    private async Task<IActionResult> LifecycleAsync(long id, bool close)
    {
        if (await OnGetAsync(id) is not PageResult || !MayClose)
        {
            return Forbid();
        }

        var now = time.GetUtcNow();
        var at = now;
        if (close && !string.IsNullOrWhiteSpace(At) && !InstantText.TryParse(PersianText.Clean(At), Clock, out at))
        {
            Error = $"زمان «{At}» خوانده نشد؛ مانند ۱۴۰۵-۰۹-۰۴T۰۰:۰۰ بنویسید.";
            return Page();
        }

        try
        {
            var lifecycle = new UnitLifecycle(database);
            if (close)
            {
                await lifecycle.CloseAsync(id, at.UtcDateTime, Reason ?? "", User.Actor()!, now.UtcDateTime);
            }
            else
            {
                await lifecycle.ReopenAsync(id, Reason ?? "", User.Actor()!, now.UtcDateTime);
            }
        }
        catch (WorkflowException e)
        {
            Error = "انجام نشد: " + e.Persian;
            return Page();
        }

        TempData["Message"] = close ? "واحد بسته شد؛ از دوره‌ای که پس از این باز شود مورد انتظار نیست." : "واحد دوباره باز شد.";
        return Redirect($"/units/{id}");
    }

    public async Task<IActionResult> OnGetAsync(long id)
    {
        var register = new RegisterStore(database);
        if (await register.FindUnitAsync(id) is not { } unit || !User.Sees(unit.Id, unit.ProvinceCode))
        {
            return Forbid();
        }

        Unit = unit;
        Products = await register.UnitProductsAsync(id);
        var capacities = await Capacities.OfUnitsAsync(database, [id]);
        ProductsText = UnitProductText.Of(Products.Select(p => (p.Code, capacities.TryGetValue((id, p.Code), out var c) ? c : (decimal?)null)));
        Liaisons = await register.LiaisonsAsync(id);
        var queries = new ReviewQueries(database);
        var history = await new ReturnStore(database).HistoryOfUnitAsync(id);
        Returns = (await queries.UnitReturnsAsync(id)).Select(row => (row, (IReadOnlyList<ReturnHistoryEntry>)history[row.Id].ToList())).ToList();
        Flags = await queries.FlagsAsync(id);
        Reminders = await queries.RemindersAsync(id);
        Production = await queries.ProductionAsync(id);
        Changes = await new RegisterHistory(database).OfAsync("Unit", unit.LicenceNo);
        Periods = await queries.UnitPeriodsAsync(id);
        return Page();
    }

    /// <summary>The chart's data: periods on the axis, one series per product (null where the unit reported none).</summary>
    public object ChartData()
    {
        var periods = Production.Select(p => p.Period).Distinct().Order().ToList();
        return new
        {
            labels = periods.Select(Persian.Period),
            datasets = Products.Select(product => new
            {
                label = product.Name,
                data = periods.Select(period => Production.FirstOrDefault(p => p.Period == period && p.ProductCode == product.Code)?.Production),
            }),
        };
    }
}
