using BatchEngine.Data;
using BatchEngine.Data.Register;
using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Calendar;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BatchEngine.Dashboard.Pages.Units;

/// <summary>A unit: register data, liaisons, every return with its history, flags, reminders, and its production over time.</summary>
public sealed class DetailsModel(Database database, ReportingCalendar calendar) : PageModel
{
    public Unit Unit { get; private set; } = null!;
    public IReadOnlyList<Product> Products { get; private set; } = [];
    public IReadOnlyList<Data.Register.Liaison> Liaisons { get; private set; } = [];
    public IReadOnlyList<(ReturnRow Return, IReadOnlyList<ReturnHistoryEntry> History)> Returns { get; private set; } = [];
    public IReadOnlyList<(string Period, DateTime FlaggedAt)> Flags { get; private set; } = [];
    public IReadOnlyList<UnitReminder> Reminders { get; private set; } = [];
    public IReadOnlyList<ProductionPoint> Production { get; private set; } = [];
    public TehranClock Clock => calendar.Clock;

    public async Task<IActionResult> OnGetAsync(long id)
    {
        var register = new RegisterStore(database);
        if (await register.FindUnitAsync(id) is not { } unit || !User.Sees(unit.Id, unit.ProvinceCode))
        {
            return Forbid();
        }

        Unit = unit;
        Products = await register.UnitProductsAsync(id);
        Liaisons = await register.LiaisonsAsync(id);
        var queries = new ReviewQueries(database);
        var store = new ReturnStore(database);
        var returns = new List<(ReturnRow, IReadOnlyList<ReturnHistoryEntry>)>();
        foreach (var row in await queries.UnitReturnsAsync(id))
        {
            returns.Add((row, await store.HistoryAsync(row.Id)));
        }

        Returns = returns;
        Flags = await queries.FlagsAsync(id);
        Reminders = await queries.RemindersAsync(id);
        Production = await queries.ProductionAsync(id);
        return Page();
    }

    /// <summary>The chart's data: periods on the axis, one series per product (null where the unit reported none).</summary>
    public object ChartData()
    {
        var periods = Production.Select(p => p.Period).Distinct().Order(StringComparer.Ordinal).ToList();
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
