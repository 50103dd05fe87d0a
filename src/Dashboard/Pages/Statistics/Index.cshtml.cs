using System.Text;
using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Periods;
using BatchEngine.Data.Statistics;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Statistics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BatchEngine.Dashboard.Pages.Statistics;

/// <summary>
/// The monthly production statistics of the selected products: the table of a period (the country or a province),
/// a product's 13-month trend, the year-to-date growth of every product, the provinces of a product, the period's
/// publications with what each revised; CSV and SDMX-CSV of what is shown. The ministry publishes; a provincial expert
/// sees the country and their own province.
/// </summary>
[Authorize(Roles = Viewer.Experts + "," + Viewer.Admin)]
public sealed class IndexModel(Database database, StatisticsOptions options, ProvinceNames provinces, TimeProvider time, ReportingCalendar calendar)
    : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Period { get; set; }
    [BindProperty(SupportsGet = true)] public string? Province { get; set; }
    [BindProperty(SupportsGet = true)] public string? Product { get; set; }
    [BindProperty(SupportsGet = true)] public bool Provisional { get; set; }

    /// <summary>A publication's number: the table as it was published, not as it stands.</summary>
    [BindProperty(SupportsGet = true)] public int? Publication { get; set; }

    public IReadOnlyList<JalaliPeriod> Periods { get; private set; } = [];
    public StatisticsTable? Table { get; private set; }
    public IReadOnlyList<TrendPoint> Trend { get; private set; } = [];
    public IReadOnlyList<Publication> Publications { get; private set; } = [];
    public PublishedTable? Published { get; private set; }
    public ProvinceNames Provinces => provinces;
    public TehranClock Clock => calendar.Clock;

    public string MeasureName(string measure) => measure switch
    {
        "PRODUCTION" => "تولید ماه",
        "PRODUCTION_YTD" => "تولید از ابتدای سال",
        "PRODUCTION_YEAR_EARLIER" => "تولید همان ماه سال قبل",
        _ => "تولید از ابتدای سال قبل",
    };

    public bool MayPublish => User.IsInRole(Viewer.MinistryExpert);

    public IEnumerable<StatisticsCell> Rows => Table?.Cells.Where(c => c.Province == Province) ?? [];

    public SelectedProduct? Chosen => Table?.Product(Product ?? "");

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : Forbid();

    public async Task<IActionResult> OnGetCsvAsync()
    {
        if (!await LoadAsync() || Table is null)
        {
            return Forbid();
        }

        return File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(StatisticsFiles.Csv(VisibleTable(), p => p is null ? "کل کشور" : provinces[p]))).ToArray(),
            "text/csv; charset=utf-8", $"statistics-{Table.Period}.csv");
    }

    public async Task<IActionResult> OnGetSdmxAsync()
    {
        if (!await LoadAsync() || Table is null)
        {
            return Forbid();
        }

        return File(Encoding.UTF8.GetBytes(StatisticsFiles.SdmxCsv(VisibleTable(), replaces: Published?.Publication.Number > 1)), "text/csv; charset=utf-8",
            $"statistics-{Table.Period}.sdmx.csv");
    }

    /// <summary>Freezes the period's table as it stands (registered, or with returns in review when asked) as its next publication.</summary>
    public async Task<IActionResult> OnPostPublishAsync()
    {
        if (!MayPublish)
        {
            return Forbid();
        }

        if (!JalaliPeriod.TryParse(Period, out var period) || await new PeriodStore(database).FindAsync(period) is null)
        {
            TempData["Error"] = $"دورهٔ «{Period}» در سامانه باز نشده است؛ آماری برای انتشار ندارد.";
            return Redirect("/statistics");
        }

        var published = await new StatisticsPublishing(database, options).PublishAsync(period, Provisional, User.Signature(), time.GetUtcNow().UtcDateTime);
        TempData["Message"] = $"جدول {period.ToPersian()} با شمارهٔ انتشار {PersianText.Digits(published.Publication.Number)} منتشر شد" +
            (published.Publication.Number == 1 ? "." : $"؛ {PersianText.Number(published.Revisions.Count)} رقم نسبت به انتشار قبلی بازنگری شد.");
        return Redirect($"/statistics?period={period}&publication={published.Publication.Number}");
    }

    public object TrendChart() => new
    {
        labels = Trend.Select(p => p.Period.ToPersian()),
        datasets = new object[]
        {
            new { label = "تولید", data = Trend.Select(p => p.Figure?.Value), borderColor = "#1565c0", backgroundColor = "#1565c0" },
            new { label = "برآوردی", data = Trend.Select(p => p.Figure?.Imputed), borderColor = "#f9a825", backgroundColor = "#f9a825" },
        },
    };

    public object GrowthChart() => new
    {
        labels = Rows.Select(c => Table!.Product(c.Product).Name),
        datasets = new object[]
        {
            new { label = "تغییر تولید از ابتدای سال نسبت به سال قبل (درصد)", data = Rows.Select(c => c.YearToDateChange is { } s ? Math.Round(s * 100, 1) : (decimal?)null), backgroundColor = "#2e7d32" },
        },
    };

    public string Link(string? period = null, string? province = null, string? product = null, int? publication = null, bool? provisional = null)
    {
        var query = new List<string> { "period=" + (period ?? Period) };
        if ((province ?? Province) is { } p && p.Length > 0) query.Add("province=" + p);
        if ((product ?? Product) is { } c) query.Add("product=" + c);
        if (publication is { } n) query.Add("publication=" + n);
        if (provisional ?? Provisional) query.Add("provisional=true");
        return "/statistics?" + string.Join('&', query);
    }

    /// <summary>The table as the viewer may have it: a provincial expert, the country's rows and their province's.</summary>
    private StatisticsTable VisibleTable() =>
        Table! with { Cells = Table.Cells.Where(c => User.ProvinceScope() is not { } own || c.Province is null || c.Province == own).ToList() };

    private async Task<bool> LoadAsync()
    {
        if (User.ProvinceScope() is { } own && Province is { Length: > 0 } asked && asked != own)
        {
            return false;
        }

        Province = Province is { Length: > 0 } ? Province : null;
        var periods = await new PeriodStore(database).AllAsync();
        Periods = periods.Select(p => p.Code).OrderDescending().ToList();
        if (!JalaliPeriod.TryParse(Period, out var period) || !Periods.Contains(period))
        {
            if (Periods.Count == 0)
            {
                return true;
            }

            // The newest period whose deadline has passed: the one being reviewed and published.
            var now = time.GetUtcNow().UtcDateTime;
            var due = periods.Where(p => p.LateFrom <= now).Select(p => p.Code).ToList();
            period = due.Count > 0 ? due.Max() : Periods[0];
        }

        Period = period.ToString();
        var publishing = new StatisticsPublishing(database, options);
        Publications = await publishing.OfPeriodAsync(period);
        var statistics = await MonthlyStatistics.LoadAsync(database, options, period, Provisional);
        if (Publication is { } number && Publications.FirstOrDefault(p => p.Number == number) is { } publication)
        {
            Published = await publishing.ReadAsync(publication);
            Table = Published.Table;
        }
        else
        {
            Publication = null;
            Table = statistics.Table(period);
        }

        Product = Table.Products.Any(p => p.Code == Product) ? Product : Table.Products.FirstOrDefault()?.Code;
        Trend = Product is null ? [] : statistics.Trend(Product, Province, period);
        return true;
    }
}
