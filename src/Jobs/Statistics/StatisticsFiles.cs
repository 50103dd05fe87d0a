using System.Globalization;
using System.Text;
using BatchEngine.Jobs.Import;
using BatchEngine.Jobs.Partners;

namespace BatchEngine.Jobs.Statistics;

/// <summary>The monthly table as files: a CSV for people (Persian headers) and SDMX-CSV 2.0 for machines.</summary>
public static class StatisticsFiles
{
    public const string StructureId = "IR_MIMT:DF_PRODUCTION_STATISTICS(1.0)";

    /// <summary>The country in SDMX's REF_AREA (a province is its code).</summary>
    public const string National = "IR";

    /// <summary>Every row of the table, the country's first, under Persian headers; numbers in ASCII digits, shares in percent.</summary>
    public static string Csv(StatisticsTable table, Func<string?, string> provinceName)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Join(',', new[]
        {
            "دوره", "محصول", "کد محصول", "واحد اندازه‌گیری", "استان", "تولید ماه", "سهم برآوردی (درصد)", "سهم موقت (درصد)", "تولید همان ماه سال قبل",
            "تغییر ماه (درصد)", "تولید از ابتدای سال", "تولید از ابتدای سال قبل", "تغییر از ابتدای سال (درصد)", "واحدهای گزارش‌دهنده",
            "واحدهای مورد انتظار", "بهره‌برداری از ظرفیت (درصد)", "وضعیت",
        }.Select(CsvFields.Quote)));
        foreach (var cell in table.Cells.OrderBy(c => c.Province is not null).ThenBy(c => c.Product, StringComparer.Ordinal).ThenBy(c => c.Province, StringComparer.Ordinal))
        {
            var product = table.Product(cell.Product);
            text.AppendLine(string.Join(',', new[]
            {
                table.Period.ToString(), product.Name, product.Code, product.UnitOfMeasure, provinceName(cell.Province), Number(cell.Month.Value),
                Percent(cell.Month.ImputedShare), Percent(cell.Month.Value == 0 ? null : cell.Month.Provisional / cell.Month.Value),
                Number(cell.MonthYearEarlier), Percent(cell.MonthChange), Number(cell.YearToDate.Value), Number(cell.YearToDateYearEarlier),
                Percent(cell.YearToDateChange), Number(cell.Reporting), Number(cell.Expected), Percent(cell.CapacityUse), StatusName(cell.Month.Status),
            }.Select(CsvFields.Quote)));
        }

        return text.ToString();
    }

    /// <summary>
    /// SDMX-CSV 2.0: dimensions TIME_PERIOD, REF_AREA (IR or a province), PRODUCT and MEASURE; OBS_STATUS E where any part
    /// of a figure is imputed, P where any is provisional, A otherwise. A revision of a published period is a replacement (R).
    /// </summary>
    public static string SdmxCsv(StatisticsTable table, bool replaces)
    {
        var (start, end) = DeliveryWriter.GregorianDays(table.Period);
        var time = $"{start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}/P{end.DayNumber - start.DayNumber + 1}D";
        var text = new StringBuilder("STRUCTURE,STRUCTURE_ID,ACTION,TIME_PERIOD,REF_AREA,PRODUCT,MEASURE,OBS_VALUE,UNIT_MEASURE,OBS_STATUS\n");
        foreach (var cell in table.Cells)
        {
            var product = table.Product(cell.Product);
            foreach (var (measure, value, status) in new[]
            {
                ("PRODUCTION", (decimal?)cell.Month.Value, cell.Month.Status), ("PRODUCTION_YTD", cell.YearToDate.Value, cell.YearToDate.Status),
                ("UNITS_REPORTING", cell.Reporting, "A"), ("UNITS_EXPECTED", cell.Expected, "A"),
            })
            {
                text.Append(string.Join(',', new[]
                {
                    "dataflow", StructureId, replaces ? "R" : "A", time, cell.Province ?? National, product.Code, measure, Number(value),
                    measure.StartsWith("UNITS", StringComparison.Ordinal) ? "UNITS" : product.UnitOfMeasure, status,
                }.Select(CsvFields.Quote))).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>What an observation status means, for people.</summary>
    public static string StatusName(string status) => status switch
    {
        "E" => "دارای برآورد",
        "P" => "موقت",
        _ => "قطعی",
    };

    private static string Number(decimal? value) => value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "";

    private static string Percent(decimal? share) => share is { } s ? Math.Round(s * 100, 1).ToString("0.0", CultureInfo.InvariantCulture) : "";
}
