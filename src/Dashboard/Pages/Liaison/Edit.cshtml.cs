using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Periods;
using BatchEngine.Data.Register;
using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Import;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BatchEngine.Dashboard.Pages.Liaison;

/// <summary>One figure of the form as typed (Persian digits and separators welcome).</summary>
public sealed class FigureInput
{
    public string ProductCode { get; set; } = "";
    public string? Production { get; set; }
    public string? Sales { get; set; }
    public string? ExportQty { get; set; }
    public string? ExportValueUsd { get; set; }
}

/// <summary>A liaison enters or edits the month's figures per product, saves a draft or submits; a return's reason is shown.</summary>
[Authorize(Roles = Viewer.Liaison)]
public sealed class EditModel(Database database, ReportingCalendar calendar, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Period { get; set; } = "";

    [BindProperty]
    public List<FigureInput> Figures { get; set; } = [];

    [BindProperty]
    public string? Employees { get; set; }

    [BindProperty]
    public int? Version { get; set; }

    public IReadOnlyList<Product> Products { get; private set; } = [];
    public Return? Current { get; private set; }
    /// <summary>Why the return came back to the liaison: the province's reason, and the ministry's when it sent it back first.</summary>
    public IReadOnlyList<ReturnHistoryEntry> Reasons { get; private set; } = [];
    public List<string> Errors { get; } = [];

    /// <summary>The last day to report, by the unit's deadline in force (an extension, its province's), and the days left to it.</summary>
    public JalaliDate? DeadlineDay { get; private set; }
    public int DaysLeft { get; private set; }

    /// <summary>The period of the address, once it is known to be open.</summary>
    private JalaliPeriod _period;

    private ILookup<string, ProductionPoint> _earlier = Array.Empty<ProductionPoint>().ToLookup(p => p.ProductCode);

    /// <summary>The product's production in the month before and in the same month a year before, beside the figures to type.</summary>
    public (decimal? PreviousMonth, decimal? LastYear) Earlier(string productCode)
    {
        var points = _earlier[productCode].ToDictionary(p => p.Period, p => p.Production);
        return (points.TryGetValue(_period.Previous, out var previous) ? previous : null,
            points.TryGetValue(OutlierRule.YearBefore(_period), out var lastYear) ? lastYear : null);
    }
    public TehranClock Clock => calendar.Clock;

    public async Task<IActionResult> OnGetAsync()
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }

        var lines = Current is null ? [] : await new ReturnStore(database).LinesAsync(Current.Id);
        Employees = Current?.Employees is { } e ? PersianText.Digits(e) : null;
        Version = Current?.Version;
        Figures = Products.Select(p => lines.FirstOrDefault(l => l.ProductCode == p.Code) is { } line
            ? new FigureInput
            {
                ProductCode = p.Code, Production = Text(line.Production), Sales = Text(line.Sales), ExportQty = Text(line.ExportQty),
                ExportValueUsd = Text(line.ExportValueUsd),
            }
            : new FigureInput { ProductCode = p.Code }).ToList();
        return Page();
    }

    public Task<IActionResult> OnPostSaveAsync() => SaveAsync(submit: false);

    public Task<IActionResult> OnPostSubmitAsync() => SaveAsync(submit: true);

    private async Task<IActionResult> SaveAsync(bool submit)
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }

        var figures = Read();
        if (!submit && Current is { } current && !ReturnWorkflow.DraftMayBeSaved(current.State))
        {
            Errors.Add("این اظهارنامه ارسال شده است و دیگر پیش‌نویس نیست؛ ارقام آن فقط با ارسال دوباره تغییر می‌کند.");
        }

        if (Errors.Count > 0)
        {
            return Page();
        }

        try
        {
            await new ReturnStore(database).SaveAsync(User.Unit()!.Value, _period, figures!, User.Actor()!, submit, Version, time.GetUtcNow().UtcDateTime);
        }
        catch (ChangedMeanwhileException)
        {
            Errors.Add("این اظهارنامه در این فاصله تغییر کرده است؛ صفحه را دوباره باز کنید و ارقام را بررسی کنید.");
            return Page();
        }
        catch (WorkflowException e)
        {
            Errors.Add("ثبت ممکن نشد: " + e.Persian);
            return Page();
        }

        TempData["Message"] = submit
            ? $"اظهارنامه {Persian.Period(Period)} برای کارشناس استان ارسال شد."
            : $"پیش‌نویس {Persian.Period(Period)} ذخیره شد.";
        return Redirect("/liaison");
    }

    /// <summary>The page's own data: the period must be open, the products are the unit's.</summary>
    private async Task<bool> LoadAsync()
    {
        var unit = User.Unit()!.Value;
        if (!JalaliPeriod.TryParse(Period, out _period) || await new PeriodStore(database).FindAsync(_period) is null)
        {
            return false;
        }

        Products = await new RegisterStore(database).UnitProductsAsync(unit);
        var queries = new ReviewQueries(database);
        _earlier = (await queries.ProductionAsync(unit)).ToLookup(p => p.ProductCode);
        if ((await queries.UnitPeriodsAsync(unit)).FirstOrDefault(p => p.Period == _period) is { } owed)
        {
            DeadlineDay = calendar.Clock.DateOf(new DateTimeOffset(owed.LateFrom).AddTicks(-1));
            DaysLeft = Math.Max(0, DeadlineDay.Value.ToGregorian().DayNumber - calendar.Clock.DateOf(time.GetUtcNow()).ToGregorian().DayNumber);
        }

        var returns = new ReturnStore(database);
        Current = await returns.FindAsync(unit, _period);
        if (Current is not null)
        {
            Reasons = ReturnWorkflow.ReasonsSinceSubmission(await returns.HistoryAsync(Current.Id));
        }

        return true;
    }

    /// <summary>The typed figures, checked with the same number rule as an uploaded file; problems go to <see cref="Errors"/>.</summary>
    private ReturnFigures? Read()
    {
        var lines = new List<ReturnLine>();
        foreach (var figure in Figures)
        {
            var product = Products.FirstOrDefault(p => p.Code == figure.ProductCode);
            if (product is null)
            {
                Errors.Add($"کالای {figure.ProductCode} از کالاهای این واحد نیست.");
                continue;
            }

            // A product left blank is not in the return; a product with any figure needs its production.
            if (new[] { figure.Production, figure.Sales, figure.ExportQty, figure.ExportValueUsd }.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(figure.Production))
            {
                Errors.Add($"{product.Name}: مقدار تولید را وارد کنید (صفر اگر تولیدی نبوده است).");
            }

            var production = Number(product, "تولید", figure.Production);
            var sales = Number(product, "فروش داخلی", figure.Sales);
            var exportQty = Number(product, "مقدار صادرات", figure.ExportQty);
            var exportValue = Number(product, "ارزش صادرات (دلار)", figure.ExportValueUsd);
            if (production is { } p)
            {
                lines.Add(new ReturnLine { ProductCode = product.Code, Production = p, Sales = sales, ExportQty = exportQty, ExportValueUsd = exportValue });
            }
        }

        int? employees = null;
        if (!string.IsNullOrWhiteSpace(Employees))
        {
            if (ReturnRows.EmployeeCount(PersianText.Code(Employees), out var count) is null)
            {
                employees = count;
            }
            else
            {
                Errors.Add($"تعداد کارکنان «{Employees}» پذیرفته نیست؛ عددی صحیح از ۰ تا {PersianText.Number(ReturnRows.MaxEmployees)} وارد کنید.");
            }
        }

        if (lines.Count == 0 && Errors.Count == 0)
        {
            Errors.Add("دست‌کم برای یک کالا مقدار تولید را وارد کنید.");
        }

        return Errors.Count == 0 ? new ReturnFigures(employees, lines) : null;
    }

    private decimal? Number(Product product, string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var problem = ReturnRows.Number(PersianText.Code(text), out var value);
        if (problem is not null)
        {
            Errors.Add($"{product.Name}، {field}: «{text}» پذیرفته نیست: {ReturnRows.PersianProblem(problem)}؛ عددی نامنفی با حداکثر چهار رقم اعشار وارد کنید.");
            return null;
        }

        return value;
    }

    // The one number format of the pages (۱۲٬۵۰۰٫۵), which the form reads back as it reads what people type.
    private static string? Text(decimal? value) => value is { } v ? PersianText.Number(v) : null;
}
