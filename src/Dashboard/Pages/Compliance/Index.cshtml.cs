using System.Text;
using BatchEngine.Data;
using BatchEngine.Data.Periods;
using BatchEngine.Data.Status;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Import;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BatchEngine.Dashboard.Pages.Compliance;

/// <summary>
/// Per period and province: on time, late, missing, flagged, with the units behind each figure, the possibly inactive
/// units, a CSV of any list, and the shares of the last 12 periods as a chart. A provincial expert sees their province.
/// </summary>
[Authorize(Roles = Viewer.Experts + "," + Viewer.Admin)]
public sealed class IndexModel(Database database) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Period { get; set; }
    [BindProperty(SupportsGet = true)] public string? Province { get; set; }
    [BindProperty(SupportsGet = true)] public ComplianceList? List { get; set; }

    public IReadOnlyList<string> Periods { get; private set; } = [];
    public IReadOnlyList<ProvinceCompliance> Current { get; private set; } = [];
    public IReadOnlyList<ProvinceCompliance> History { get; private set; } = [];
    public IReadOnlyList<ComplianceUnit> Units { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadAsync();
        return Page();
    }

    /// <summary>The list on screen as CSV (UTF-8 with BOM for Excel).</summary>
    public async Task<IActionResult> OnGetCsvAsync()
    {
        await LoadAsync();
        var text = new StringBuilder("licence_no,name,province,isic,status,state,submitted_at\r\n");
        foreach (var unit in Units)
        {
            text.AppendJoin(',', new[]
            {
                unit.LicenceNo, unit.Name, unit.ProvinceCode, unit.Isic, unit.Status.ToString(), unit.State ?? "",
                unit.SubmittedAt?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) ?? "",
            }.Select(ErrorReport.Field)).Append("\r\n");
        }

        return File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text.ToString())).ToArray(), "text/csv",
            $"compliance-{Period}-{Province ?? "all"}-{List}.csv");
    }

    private async Task LoadAsync()
    {
        Periods = (await new PeriodStore(database).AllAsync()).Select(p => p.Code).OrderDescending(StringComparer.Ordinal).ToList();
        Period = Periods.Contains(Period) ? Period : Periods.FirstOrDefault();
        // A provincial expert's scope is their province whatever the address asks for.
        Province = User.ProvinceScope() ?? (string.IsNullOrWhiteSpace(Province) ? null : Province);
        if (Period is null)
        {
            return;
        }

        var compliance = new Data.Status.Compliance(database);
        Current = await compliance.ByProvinceAsync([Period], User.ProvinceScope());
        History = await compliance.ByProvinceAsync(Periods.Take(12).ToList(), Province);
        if (List is { } list)
        {
            Units = await compliance.UnitsAsync(Period, Province, list);
        }
    }

    /// <summary>The chart's data: for each of the last 12 periods, the on-time, late and missing shares of the expected units.</summary>
    public object ChartData()
    {
        var periods = History.GroupBy(h => h.Period).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        decimal Share(IGrouping<string, ProvinceCompliance> g, Func<ProvinceCompliance, int> count) =>
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

    public static string ListName(ComplianceList list) => list switch
    {
        ComplianceList.OnTime => "به‌موقع",
        ComplianceList.Late => "با تأخیر",
        ComplianceList.Missing => "ارسال‌نشده",
        ComplianceList.Flagged => "پرچم‌خورده",
        _ => "احتمالاً غیرفعال",
    };
}
