using BatchEngine.Data.Calendar;
using BatchEngine.Jobs.Calendar;

namespace BatchEngine.Jobs.Statistics;

/// <summary>A figure of the table and how much of it is imputed or only provisional.</summary>
public sealed record Figure(decimal Value, decimal Imputed, decimal Provisional)
{
    public static readonly Figure Zero = new(0m, 0m, 0m);

    public Figure Plus(Figure other) => new(Value + other.Value, Imputed + other.Imputed, Provisional + other.Provisional);

    /// <summary>The share of the figure that is imputed (0 to 1); none for a zero figure.</summary>
    public decimal? ImputedShare => Value == 0 ? null : Imputed / Value;

    /// <summary>SDMX's observation status: E (estimated) when any of it is imputed, else P when any is provisional, else A.</summary>
    public string Status => Imputed != 0 ? "E" : Provisional != 0 ? "P" : "A";
}

/// <summary>
/// One row of the monthly table: a selected product, nationally (no province) or in a province — the month's production,
/// the year to date (Farvardin to the month), the same a year before (none when that year was not collected whole), the
/// units with a figure among those expected, and capacity use where the register has capacities.
/// </summary>
public sealed record StatisticsCell(string Product, string? Province, Figure Month, Figure YearToDate, decimal? MonthYearEarlier,
    decimal? YearToDateYearEarlier, int Reporting, int Expected, decimal? CapacityUse)
{
    public decimal? MonthChange => Change(Month.Value, MonthYearEarlier);
    public decimal? YearToDateChange => Change(YearToDate.Value, YearToDateYearEarlier);

    /// <summary>The change against a year before as a share (0.12 = +12 %); none without a positive figure to compare with.</summary>
    public static decimal? Change(decimal value, decimal? before) => before is > 0 ? (value - before.Value) / before.Value : null;
}

/// <summary>The monthly table of a period: for each selected product the national row and a row per province.</summary>
public sealed record StatisticsTable(JalaliPeriod Period, bool Provisional, IReadOnlyList<SelectedProduct> Products, IReadOnlyList<StatisticsCell> Cells)
{
    public IEnumerable<StatisticsCell> National => Cells.Where(c => c.Province is null);

    public IEnumerable<StatisticsCell> Of(string province) => Cells.Where(c => c.Province == province);

    /// <summary>The product by its code; a product since taken out of the configuration is named by its code.</summary>
    public SelectedProduct Product(string code) =>
        Products.FirstOrDefault(p => p.Code == code) ?? new SelectedProduct { Code = code, Name = code, ProductCodes = [] };
}

/// <summary>A point of a product's monthly trend: its production in the month (none when the month was not collected).</summary>
public sealed record TrendPoint(JalaliPeriod Period, Figure? Figure);
