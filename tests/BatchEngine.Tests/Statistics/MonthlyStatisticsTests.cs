using BatchEngine.Data.Calendar;
using BatchEngine.Data.Returns;
using BatchEngine.Data.Statistics;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Statistics;
using BatchEngine.Tests.Infrastructure;
using Dapper;

namespace BatchEngine.Tests.Statistics;

/// <summary>
/// The monthly table of issue #19 on constructed cases: totals against independent sums over the returns, provisional
/// figures apart, and each path of the imputation (carry forward with the month-on-month ratio, the year-ago fallback,
/// the national ratio for a thin province, inactive and baseless units left out, a real figure replacing an estimate).
/// </summary>
public sealed class MonthlyStatisticsTests(string store) : StoreTest(store)
{
    private static readonly JalaliPeriod Period = new(1404, 7);
    private static readonly StatisticsOptions Options = new()
    {
        Products =
        [
            new SelectedProduct { Code = "cement", Name = "سیمان", UnitOfMeasure = "تن", ProductCodes = ["2394-01"] },
            new SelectedProduct { Code = "steel", Name = "میلگرد", UnitOfMeasure = "تن", ProductCodes = ["2410-02"] },
        ],
    };

    private Seed _seed = null!;
    private ReturnStore _returns = null!;
    private readonly List<long> _steady = [];

    [SetUp]
    public async Task SeedAsync()
    {
        _seed = await new Seed(Database).BasicsAsync();
        _returns = new ReturnStore(Database);
        await _seed.OpenPeriodAsync(new JalaliPeriod(1403, 7), -12);
        await _seed.OpenPeriodAsync(new JalaliPeriod(1404, 6), -1);
        await _seed.OpenPeriodAsync(new JalaliPeriod(1404, 7));
        // Five units of Tehran with figures in every month: 100 a year before, 100 last month, 110 this month.
        for (var i = 0; i < 5; i++)
        {
            var unit = await _seed.UnitAsync($"1000000{i}");
            _steady.Add(unit);
            await RegisterAsync(unit, new JalaliPeriod(1403, 7), 100m, steel: 40m);
            await RegisterAsync(unit, new JalaliPeriod(1404, 6), 100m, steel: 40m);
            await RegisterAsync(unit, new JalaliPeriod(1404, 7), 110m, steel: 30m);
        }
    }

    [Test]
    public async Task Registered_totals_equal_the_sums_over_the_registered_returns()
    {
        var table = await TableAsync(provisional: false);

        var cement = table.National.Single(c => c.Product == "cement");
        Assert.That(cement.Month.Value, Is.EqualTo(await SumAsync("1404-07", "2394-01")));
        Assert.That(cement.MonthYearEarlier, Is.EqualTo(await SumAsync("1403-07", "2394-01")));
        Assert.That(table.National.Single(c => c.Product == "steel").Month.Value, Is.EqualTo(await SumAsync("1404-07", "2410-02")));
        Assert.That((cement.Reporting, cement.Expected, cement.Month.Imputed, cement.Month.Status), Is.EqualTo((5, 5, 0m, "A")));
        Assert.That(cement.MonthChange, Is.EqualTo(0.1m), "550 against 500 a year before");
        Assert.That(table.Of("tehran").Single(c => c.Product == "cement").Month.Value, Is.EqualTo(550m));
    }

    [Test]
    public async Task Returns_in_review_count_only_in_a_provisional_table_and_are_said_to_be_provisional()
    {
        var late = await _seed.UnitAsync("20000001");
        await RegisterAsync(late, new JalaliPeriod(1404, 6), 100m);
        await _returns.SaveAsync(late, new JalaliPeriod(1404, 7), Figures(500m), Actor.Liaison("رابط", late), submit: true, null, Seed.LateFrom);

        var registered = (await TableAsync(provisional: false)).National.Single(c => c.Product == "cement");
        var provisional = (await TableAsync(provisional: true)).National.Single(c => c.Product == "cement");

        Assert.That((registered.Month.Value, registered.Month.Provisional, registered.Month.Imputed), Is.EqualTo((660m, 0m, 110m)),
            "without the switch, the unit in review is imputed from its last month (100 × 1.1)");
        Assert.That((provisional.Month.Value, provisional.Month.Provisional, provisional.Month.Imputed), Is.EqualTo((1050m, 500m, 0m)));
        Assert.That((registered.Month.Status, provisional.Month.Status), Is.EqualTo(("E", "P")));
        Assert.That((provisional.Reporting, provisional.Expected), Is.EqualTo((6, 6)));
    }

    [Test]
    public async Task A_missing_unit_carries_its_last_figure_forward_with_the_ratio_of_the_units_that_reported_both_months()
    {
        var missing = await _seed.UnitAsync("20000002");
        await RegisterAsync(missing, new JalaliPeriod(1404, 6), 200m);

        var figure = await FigureAsync(missing);

        Assert.That((figure.Kind, figure.Value, figure.Ratio), Is.EqualTo((FigureKind.Imputed, 220m, 1.1m)));
        var cement = (await TableAsync(provisional: false)).National.Single(c => c.Product == "cement");
        Assert.That((cement.Month.Value, cement.Month.Imputed, cement.Reporting, cement.Expected), Is.EqualTo((770m, 220m, 5, 6)));
        Assert.That(cement.Month.ImputedShare, Is.EqualTo(220m / 770m));
    }

    [Test]
    public async Task Without_a_recent_figure_the_figure_of_a_year_before_goes_forward_with_the_year_on_year_ratio()
    {
        var unit = await _seed.UnitAsync("20000003");
        await RegisterAsync(unit, new JalaliPeriod(1403, 7), 50m);
        await _returns.SaveAsync(unit, new JalaliPeriod(1404, 6), Figures(70m), Actor.Liaison("رابط", unit), submit: true, null, Seed.LateFrom.AddMonths(-1));

        var figure = await FigureAsync(unit);

        Assert.That((figure.Kind, figure.Value, figure.Ratio), Is.EqualTo((FigureKind.Imputed, 55m, 1.1m)),
            "last month is still in review, so the year before: 50 × 550/500");
    }

    [Test]
    public async Task A_province_with_too_few_units_in_both_months_takes_the_national_ratio()
    {
        var unit = await _seed.UnitAsync("20000004", "isfahan");
        var other = await _seed.UnitAsync("20000005", "isfahan");
        await RegisterAsync(unit, new JalaliPeriod(1404, 6), 100m);
        await RegisterAsync(other, new JalaliPeriod(1404, 6), 100m);
        await RegisterAsync(other, new JalaliPeriod(1404, 7), 300m);

        var figure = await FigureAsync(unit);

        const decimal national = (550m + 300m) / (500m + 100m);
        Assert.That((figure.Value, figure.Ratio), Is.EqualTo((Math.Round(100m * national, 3), national)),
            "Isfahan's one unit in both months is fewer than 5: the ratio of the country's 5 + 1 units");
        var isfahan = (await TableAsync(provisional: false)).Of("isfahan").Single(c => c.Product == "cement");
        Assert.That((isfahan.Month.Value, isfahan.Reporting, isfahan.Expected), Is.EqualTo((300m + figure.Value, 1, 2)));
    }

    [Test]
    public async Task A_unit_without_any_return_for_three_months_is_not_imputed_nor_one_with_nothing_to_start_from()
    {
        var silent = await _seed.UnitAsync("20000006");
        var newcomer = await _seed.UnitAsync("20000007");
        await _returns.SaveAsync(newcomer, new JalaliPeriod(1404, 7), Figures(80m), Actor.Liaison("رابط", newcomer), submit: true, null, Seed.LateFrom);

        Assert.That((await FigureAsync(silent)).Kind, Is.EqualTo(FigureKind.Inactive), "no return in 1403-07, 1404-06 nor 1404-07");
        Assert.That((await FigureAsync(newcomer)).Kind, Is.EqualTo(FigureKind.NoBasis), "reported (in review), but no counted figure to start from");
        var cement = (await TableAsync(provisional: false)).National.Single(c => c.Product == "cement");
        Assert.That((cement.Month.Value, cement.Month.Imputed, cement.Expected), Is.EqualTo((550m, 0m, 7)));
    }

    [Test]
    public async Task A_registered_figure_replaces_the_estimate()
    {
        var unit = await _seed.UnitAsync("20000008");
        await RegisterAsync(unit, new JalaliPeriod(1404, 6), 200m);
        Assert.That((await FigureAsync(unit)).Kind, Is.EqualTo(FigureKind.Imputed));

        await RegisterAsync(unit, new JalaliPeriod(1404, 7), 300m);

        var figure = await FigureAsync(unit);
        Assert.That((figure.Kind, figure.Value), Is.EqualTo((FigureKind.Registered, 300m)));
        var cement = (await TableAsync(provisional: false)).National.Single(c => c.Product == "cement");
        Assert.That((cement.Month.Value, cement.Month.Imputed), Is.EqualTo((850m, 0m)));
        await using var connection = await Database.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM returns"), Is.EqualTo(5 * 3 + 2), "an estimate is never stored as a return");
    }

    [Test]
    public async Task Capacity_use_is_the_production_of_units_with_a_licensed_capacity_against_a_twelfth_of_it()
    {
        await using (var connection = await Database.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE unit_products SET annual_capacity = @capacity WHERE product_code = '2394-01' AND unit_id = @unit",
                _steady.Take(2).Select(unit => new { capacity = 1_200m, unit }));
        }

        var cement = (await TableAsync(provisional: false)).National.Single(c => c.Product == "cement");

        Assert.That(cement.CapacityUse, Is.EqualTo(220m / 200m), "two units with 100 a month of capacity made 110 each; the others have none in the register");
        Assert.That((await TableAsync(provisional: false)).National.Single(c => c.Product == "steel").CapacityUse, Is.Null);
    }

    [Test]
    public async Task The_year_to_date_adds_the_months_from_Farvardin()
    {
        var table = await TableAsync(provisional: false);

        var cement = table.National.Single(c => c.Product == "cement");
        Assert.That(cement.YearToDate.Value, Is.EqualTo(500m + 550m), "1404-06 and 1404-07; the months before were not collected");
        Assert.That(cement.YearToDateYearEarlier, Is.Null, "the year before was not collected whole: no comparison");
    }

    [Test]
    public async Task The_store_numbers_each_month_as_the_code_does()
    {
        // The month is computed in SQL for speed (a million rows need no strings) and in C# to index the panel: the two
        // must agree, through the turn of the year and for two-digit months.
        JalaliPeriod[] more = [new(1403, 12), new(1404, 1), new(1404, 10), new(1404, 12)];
        foreach (var period in more)
        {
            await _seed.OpenPeriodAsync(period, (period.Year - 1404) * 12 + period.Month - 7);
            await RegisterAsync(_steady[0], period, 100m);
        }

        var months = new HashSet<int>();
        await new ProductionFigures(Database).ReturnsAsync(new JalaliPeriod(1403, 1), new JalaliPeriod(1404, 12), new HashSet<string>(), f => months.Add(f.Month));

        var expected = more.Concat([new JalaliPeriod(1403, 7), new JalaliPeriod(1404, 6), Period]).Select(ProductionFigures.MonthNumber);
        Assert.That(months, Is.EquivalentTo(expected));
    }

    private async Task RegisterAsync(long unit, JalaliPeriod period, decimal cement, decimal? steel = null)
    {
        var lines = new List<ReturnLine> { new() { ProductCode = "2394-01", Production = cement } };
        if (steel is { } s)
        {
            lines.Add(new ReturnLine { ProductCode = "2410-02", Production = s });
        }

        var at = Seed.LateFrom.AddMonths((period.Year - 1404) * 12 + period.Month - 7).AddDays(-2);
        var province = (await _seed.Register.FindUnitAsync(unit))!.ProvinceCode;
        var saved = await _returns.SaveAsync(unit, period, new ReturnFigures(5, lines), Actor.Liaison("رابط", unit), submit: true, null, at);
        var forwarded = await _returns.TransitionAsync(saved.Id, saved.Version, ReturnState.ForwardedToMinistry, Actor.ProvincialExpert("کارشناس", province),
            null, at.AddHours(1));
        await _returns.TransitionAsync(forwarded.Id, forwarded.Version, ReturnState.Registered, Actor.MinistryExpert("وزارت"), null, at.AddHours(2));
    }

    private async Task<StatisticsTable> TableAsync(bool provisional) =>
        (await MonthlyStatistics.LoadAsync(Database, Options, Period, provisional)).Table(Period);

    private async Task<UnitFigure> FigureAsync(long unit) =>
        (await MonthlyStatistics.LoadAsync(Database, Options, Period, provisional: false)).UnitFigures("cement", Period).Single(f => f.UnitId == unit);

    private async Task<decimal> SumAsync(string period, string product)
    {
        await using var connection = await Database.OpenAsync();
        var values = await connection.QueryAsync<decimal>(
            "SELECT l.production FROM return_lines l JOIN returns r ON r.id = l.return_id WHERE r.period = @period AND l.product_code = @product AND r.state = 'Registered'",
            new { period, product });
        return values.Sum();
    }

    private static ReturnFigures Figures(decimal cement) => new(5, [new ReturnLine { ProductCode = "2394-01", Production = cement }]);
}
