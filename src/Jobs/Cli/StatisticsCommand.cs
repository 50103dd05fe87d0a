using System.Globalization;
using System.Text.Json;
using BatchEngine.Data;
using BatchEngine.Data.Periods;
using BatchEngine.Jobs.Hosting;
using BatchEngine.Jobs.Statistics;

namespace BatchEngine.Jobs.Cli;

/// <summary>
/// <c>statistics --period YYYY-MM [--province CODE] [--provisional] [--json]</c>: the monthly table of the selected
/// products; <c>statistics publish --period YYYY-MM [--provisional]</c>: freezes it as the period's next publication.
/// </summary>
internal static class StatisticsCommand
{
    public static async Task<int> RunAsync(CliArguments args, Database database, EngineSettings settings, TimeProvider time, TextWriter output)
    {
        var period = CliParsing.Period(args.RequiredOption("period", "1405-07"));
        var provisional = args.Flag("provisional");
        var publish = args.Positional is ["publish", ..];
        var province = publish ? null : args.Option("province");
        var json = !publish && args.Flag("json");
        args.RejectUnknownOptions();
        var options = settings.Statistics;
        if (await new PeriodStore(database).FindAsync(period) is null)
        {
            throw new UserErrorException($"Period {period} has not been opened in this database; there are no figures for it.");
        }

        if (province is not null)
        {
            await CliParsing.RequireProvinceAsync(database, province);
        }

        if (publish)
        {
            var published = await new StatisticsPublishing(database, options).PublishAsync(period, provisional, "cli:" + Environment.UserName, time.GetUtcNow().UtcDateTime);
            output.WriteLine($"Published the table of {period} as publication {published.Publication.Number}{(provisional ? " (provisional)" : "")}: {published.Table.Cells.Count} rows.");
            foreach (var revision in published.Revisions.Where(r => r.Province is null))
            {
                output.WriteLine($"  revised {revision.Product} {revision.Measure}: {Number(revision.Before)} -> {Number(revision.After)}");
            }

            output.WriteLine(published.Publication.Number == 1 ? "It is the period's first publication." : $"{published.Revisions.Count} figures revised (all provinces).");
            return 0;
        }

        var table = (await MonthlyStatistics.LoadAsync(database, options, period, provisional)).Table(period);
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(StatisticsJson.Of(table, province), CliParsing.Json));
            return 0;
        }

        output.WriteLine($"Production of the selected products, {period}{(province is null ? ", national" : ", province " + province)}, " +
            (provisional ? "registered and provisional (in review) figures" : "registered figures") + "; imputed figures included and counted apart.");
        output.WriteLine($"{"product",-18} {"month",18} {"year earlier",18} {"change",8} {"year to date",20} {"change",8} {"reporting",12} {"imputed",8}");
        foreach (var cell in table.Cells.Where(c => c.Province == province))
        {
            output.WriteLine($"{cell.Product,-18} {Number(cell.Month.Value),18} {Number(cell.MonthYearEarlier),18} {Percent(cell.MonthChange),8} " +
                $"{Number(cell.YearToDate.Value),20} {Percent(cell.YearToDateChange),8} {$"{cell.Reporting}/{cell.Expected}",12} {Percent(cell.Month.ImputedShare),8}");
        }

        return 0;
    }

    private static string Number(decimal? value) => value is { } v ? v.ToString("#,0", CultureInfo.InvariantCulture) : "-";

    private static string Percent(decimal? share) => share is { } s ? (s * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "%" : "-";
}
