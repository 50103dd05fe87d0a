using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Statistics;
using BatchEngine.Jobs.Calendar;

namespace BatchEngine.Jobs.Statistics;

/// <summary>A published figure that a later publication of the same period changed, and by how much.</summary>
public sealed record Revision(string Product, string? Province, string Measure, decimal? Before, decimal? After)
{
    public decimal? Change => Before is { } before && After is { } after ? after - before : null;
    public decimal? Share => Before is > 0 && After is { } after ? (after - Before.Value) / Before.Value : null;
}

/// <summary>A publication with its table, and what it revised of the period's publication before it.</summary>
public sealed record PublishedTable(Publication Publication, StatisticsTable Table, IReadOnlyList<Revision> Revisions);

/// <summary>
/// Publishing the monthly table: a numbered, dated snapshot of the period's table as it stands, kept unchanged; a later
/// snapshot of the same period lists what it revised.
/// </summary>
public sealed class StatisticsPublishing(Database database, StatisticsOptions options)
{
    private readonly Publications _publications = new(database);

    public async Task<PublishedTable> PublishAsync(JalaliPeriod period, bool provisional, string publishedBy, DateTime now)
    {
        var table = (await MonthlyStatistics.LoadAsync(database, options, period, provisional)).Table(period);
        var publication = await _publications.PublishAsync(period, publishedBy, provisional, table.Cells.Select(Stored).ToList(), now);
        return await ReadAsync(publication);
    }

    public Task<IReadOnlyList<Publication>> OfPeriodAsync(JalaliPeriod period) => _publications.OfPeriodAsync(period);

    /// <summary>The publication of that id as it was published.</summary>
    public async Task<PublishedTable> ReadAsync(long id) =>
        await ReadAsync(await _publications.FindAsync(id) ?? throw new InvalidOperationException($"There is no publication {id}."));

    /// <summary>A publication as it was published, with its revisions of the one before it.</summary>
    public async Task<PublishedTable> ReadAsync(Publication publication)
    {
        var table = await TableOfAsync(publication);
        var earlier = (await _publications.OfPeriodAsync(publication.Period)).LastOrDefault(p => p.Number < publication.Number);
        var revisions = earlier is null ? [] : Revisions(await TableOfAsync(earlier), table);
        return new PublishedTable(publication, table, revisions);
    }

    /// <summary>The figures of <paramref name="later"/> that differ from <paramref name="earlier"/>'s, cell by cell.</summary>
    public static IReadOnlyList<Revision> Revisions(StatisticsTable earlier, StatisticsTable later)
    {
        var before = earlier.Cells.ToDictionary(c => (c.Product, c.Province ?? ""));
        var revisions = new List<Revision>();
        foreach (var cell in later.Cells)
        {
            var old = before.GetValueOrDefault((cell.Product, cell.Province ?? ""));
            foreach (var (measure, value) in Measures(cell))
            {
                var was = old is null ? null : Measures(old).First(m => m.Measure == measure).Value;
                if (was != value)
                {
                    revisions.Add(new Revision(cell.Product, cell.Province, measure, was, value));
                }
            }
        }

        return revisions;
    }

    /// <summary>The measures a revision compares, by their SDMX names.</summary>
    public static IEnumerable<(string Measure, decimal? Value)> Measures(StatisticsCell cell) =>
    [
        ("PRODUCTION", cell.Month.Value), ("PRODUCTION_YTD", cell.YearToDate.Value),
        ("PRODUCTION_YEAR_EARLIER", cell.MonthYearEarlier), ("PRODUCTION_YTD_YEAR_EARLIER", cell.YearToDateYearEarlier),
    ];

    private async Task<StatisticsTable> TableOfAsync(Publication publication) =>
        new(publication.Period, publication.Provisional, options.Products,
            (await _publications.ValuesAsync(publication.Id)).Select(Cell).ToList());

    private static PublishedValue Stored(StatisticsCell c) => new()
    {
        Product = c.Product, Province = c.Province ?? "", MonthValue = c.Month.Value, MonthImputed = c.Month.Imputed, MonthProvisional = c.Month.Provisional,
        YtdValue = c.YearToDate.Value, YtdImputed = c.YearToDate.Imputed, YtdProvisional = c.YearToDate.Provisional,
        MonthYearEarlier = c.MonthYearEarlier, YtdYearEarlier = c.YearToDateYearEarlier, Reporting = c.Reporting, Expected = c.Expected,
        CapacityUse = (double?)c.CapacityUse,
    };

    private static StatisticsCell Cell(PublishedValue v) => new(v.Product, v.Province.Length == 0 ? null : v.Province,
        new Figure(v.MonthValue, v.MonthImputed, v.MonthProvisional), new Figure(v.YtdValue, v.YtdImputed, v.YtdProvisional),
        v.MonthYearEarlier, v.YtdYearEarlier, v.Reporting, v.Expected, (decimal?)v.CapacityUse);
}
