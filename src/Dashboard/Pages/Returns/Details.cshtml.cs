using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Register;
using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BatchEngine.Dashboard.Pages.Returns;

/// <summary>A product's figures beside the unit's earlier months, with what the outlier rule says of them.</summary>
public sealed record FigureComparison(ReturnLine Line, string ProductName, OutlierCheck Check);

/// <summary>A version of the return's figures: who saved it, how, and what it changed from the one before.</summary>
public sealed record FigureVersionView(FigureVersionLine Saved, IReadOnlyList<FigureChange> Changes);

/// <summary>One return: figures against the unit's previous months, the whole history, and the viewer's actions.</summary>
public sealed class DetailsModel(Database database, Review review, ReportingCalendar calendar, EngineSettings settings) : PageModel
{
    public ReturnRow Row { get; private set; } = null!;
    public IReadOnlyList<FigureComparison> Figures { get; private set; } = [];
    public IReadOnlyList<ReturnHistoryEntry> History { get; private set; } = [];
    public IReadOnlyList<FigureVersionView> Versions { get; private set; } = [];
    public IReadOnlyDictionary<string, string> ProductNames { get; private set; } = new Dictionary<string, string>();
    public IReadOnlyList<(ReturnState To, string Label, bool NeedsReason)> Actions { get; private set; } = [];
    public string? Error { get; private set; }
    public int? Employees { get; private set; }
    public TehranClock Clock => calendar.Clock;

    [BindProperty] public ReturnState To { get; set; }
    [BindProperty] public int Version { get; set; }
    [BindProperty] public string? Reason { get; set; }

    public async Task<IActionResult> OnGetAsync(long id) => await LoadAsync(id) ? Page() : Forbid();

    public async Task<IActionResult> OnPostAsync(long id)
    {
        if (!await LoadAsync(id))
        {
            return Forbid();
        }

        Error = await review.MoveAsync(User, [(id, Version)], To, Reason);
        if (Error is not null)
        {
            return Page();
        }

        TempData["Message"] = $"{Review.Label(Row.State, To)}: انجام شد.";
        return Redirect(User.IsInRole(Viewer.Liaison) ? "/liaison" : "/queue");
    }

    /// <summary>False when the return does not exist or is outside the viewer's scope (both answered 403: no probing).</summary>
    private async Task<bool> LoadAsync(long id)
    {
        if (await new ReviewQueries(database).RowAsync(id) is not { } row || !User.Sees(row.UnitId, row.ProvinceCode))
        {
            return false;
        }

        Row = row;
        var returns = new ReturnStore(database);
        History = await returns.HistoryAsync(id);
        Employees = (await returns.GetAsync(id))?.Employees;
        Actions = Review.Actions(User, row.State);
        var products = (await new RegisterStore(database).ProductsAsync()).ToDictionary(p => p.Code, p => p.Name);
        ProductNames = products;
        var versions = (await new FigureVersions(database).OfAsync(id)).GroupBy(l => l.Version).Select(g => g.ToList()).ToList();
        Versions = versions.Select((lines, i) => new FigureVersionView(lines[0], FigureVersions.Diff(i == 0 ? [] : versions[i - 1], lines))).ToList();
        var earlier = (await new ReviewQueries(database).ProductionAsync(row.UnitId)).ToLookup(p => p.ProductCode);
        var options = settings.Outliers;
        var capacities = await Capacities.OfUnitsAsync(database, [row.UnitId]);
        Figures = (await returns.LinesAsync(id)).Select(line => new FigureComparison(line, products.GetValueOrDefault(line.ProductCode, line.ProductCode),
            OutlierRule.Against(row.Period, line.Production, earlier[line.ProductCode], options,
                capacities.TryGetValue((row.UnitId, line.ProductCode), out var capacity) ? capacity : null))).ToList();
        return true;
    }
}
