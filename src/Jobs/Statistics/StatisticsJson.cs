namespace BatchEngine.Jobs.Statistics;

/// <summary>The table as the JSON API and <c>batchengine statistics --json</c> give it: one shape for both.</summary>
public static class StatisticsJson
{
    /// <param name="province">One province's rows; the country's when null.</param>
    public static object Of(StatisticsTable table, string? province) => new
    {
        period = table.Period.ToString(),
        province,
        provisional = table.Provisional,
        products = table.Cells.Where(c => c.Province == province).Select(c => new
        {
            code = c.Product,
            name = table.Product(c.Product).Name,
            unitOfMeasure = table.Product(c.Product).UnitOfMeasure,
            month = c.Month.Value,
            monthImputed = c.Month.Imputed,
            monthProvisional = c.Month.Provisional,
            imputedShare = c.Month.ImputedShare,
            status = c.Month.Status,
            yearToDate = c.YearToDate.Value,
            yearToDateImputed = c.YearToDate.Imputed,
            yearToDateProvisional = c.YearToDate.Provisional,
            monthYearEarlier = c.MonthYearEarlier,
            monthChange = c.MonthChange,
            yearToDateYearEarlier = c.YearToDateYearEarlier,
            yearToDateChange = c.YearToDateChange,
            reporting = c.Reporting,
            expected = c.Expected,
            capacityUse = c.CapacityUse,
        }),
    };
}
