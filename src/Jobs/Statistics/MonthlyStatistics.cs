using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Jobs.Calendar;

namespace BatchEngine.Jobs.Statistics;

/// <summary>
/// The monthly production statistics of the selected products for one period, from registered returns (and, when
/// asked, provisionally from returns in review) plus <see cref="Imputation"/> for the units without a figure.
/// </summary>
public sealed class MonthlyStatistics
{
    private readonly ProductionPanel _panel;
    private readonly Imputation _imputation;
    private readonly Dictionary<(int Product, int Month), Dictionary<string, Sum>> _sums = [];

    private MonthlyStatistics(ProductionPanel panel, StatisticsOptions options)
    {
        _panel = panel;
        _imputation = new Imputation(panel, options);
    }

    /// <summary>
    /// Reads what the period's table, trends and year-earlier figures need: from Farvardin two years before the period
    /// (the year before's year to date, and a year more for its imputations' references) to the period.
    /// </summary>
    public static async Task<MonthlyStatistics> LoadAsync(Database database, StatisticsOptions options, JalaliPeriod period, bool provisional,
        CancellationToken cancellationToken = default) =>
        new(await ProductionPanel.LoadAsync(database, options.Products, new JalaliPeriod(period.Year - 2, 1), period, provisional, cancellationToken), options);

    public IReadOnlyList<SelectedProduct> Products => _panel.Products;

    public StatisticsTable Table(JalaliPeriod period)
    {
        var month = _panel.IndexOf(period);
        var cells = new List<StatisticsCell>();
        for (var product = 0; product < _panel.Products.Count; product++)
        {
            var code = _panel.Products[product].Code;
            var now = SumsOf(product, month);
            var yearToDate = YearToDate(product, month);
            var yearBefore = YearToDate(product, month - 12);
            var monthBefore = _panel.Collected[month - 12] ? SumsOf(product, month - 12) : null;
            var complete = Enumerable.Range(month - 12 - (period.Month - 1), period.Month).All(m => _panel.Collected[m]);
            foreach (var province in now.Keys.Concat(yearToDate.Keys).Distinct().OrderBy(p => p, StringComparer.Ordinal))
            {
                var sum = now.GetValueOrDefault(province) ?? new Sum();
                cells.Add(new StatisticsCell(code, province.Length == 0 ? null : province, sum.Figure,
                    yearToDate.GetValueOrDefault(province) ?? Figure.Zero,
                    monthBefore is null ? null : monthBefore.GetValueOrDefault(province)?.Figure.Value ?? 0m,
                    complete ? yearBefore.GetValueOrDefault(province)?.Value ?? 0m : null,
                    sum.Reporting, sum.Expected, sum.CapacityUse));
            }
        }

        return new StatisticsTable(period, _panel.Provisional, _panel.Products, cells);
    }

    /// <summary>The product's production, nationally or in a province, in the <paramref name="months"/> months ending with the period.</summary>
    public IReadOnlyList<TrendPoint> Trend(string product, string? province, JalaliPeriod period, int months = 13)
    {
        var index = Index(product);
        var last = _panel.IndexOf(period);
        return Enumerable.Range(last - months + 1, months)
            .Select(m => new TrendPoint(_panel.PeriodAt(m), _panel.Collected[m] ? SumsOf(index, m).GetValueOrDefault(province ?? "")?.Figure ?? Figure.Zero : null))
            .ToList();
    }

    /// <summary>Each unit's figure of the product in the period: counted, imputed (from which month, by which ratio) or left out.</summary>
    public IReadOnlyList<UnitFigure> UnitFigures(string product, JalaliPeriod period) =>
        _imputation.Figures(Index(product), _panel.IndexOf(period)).ToList();

    public JalaliPeriod PeriodAt(int month) => _panel.PeriodAt(month);

    private int Index(string product) =>
        _panel.Products.ToList().FindIndex(p => p.Code == product) is var index and >= 0
            ? index
            : throw new ArgumentException($"'{product}' is not a selected product.", nameof(product));

    private Dictionary<string, Figure> YearToDate(int product, int month)
    {
        var period = _panel.PeriodAt(month);
        var totals = new Dictionary<string, Figure>();
        for (var m = month - (period.Month - 1); m <= month; m++)
        {
            foreach (var (province, sum) in SumsOf(product, m))
            {
                totals[province] = (totals.GetValueOrDefault(province) ?? Figure.Zero).Plus(sum.Figure);
            }
        }

        return totals;
    }

    /// <summary>The month's sums per province and, under the empty name, for the country.</summary>
    private Dictionary<string, Sum> SumsOf(int product, int month)
    {
        if (_sums.TryGetValue((product, month), out var known))
        {
            return known;
        }

        var sums = new Dictionary<string, Sum>();
        if (_panel.Collected[month])
        {
            foreach (var figure in _imputation.Figures(product, month))
            {
                Add(sums, "", figure);
                Add(sums, figure.Province, figure);
            }
        }

        return _sums[(product, month)] = sums;
    }

    private static void Add(Dictionary<string, Sum> sums, string scope, UnitFigure figure)
    {
        if (!sums.TryGetValue(scope, out var sum))
        {
            sums[scope] = sum = new Sum();
        }

        sum.Add(figure);
    }

    private sealed class Sum
    {
        private decimal _value, _imputed, _provisional, _withCapacity, _monthlyCapacity;

        public int Reporting { get; private set; }
        public int Expected { get; private set; }

        public Figure Figure => new(_value, _imputed, _provisional);

        public decimal? CapacityUse => _monthlyCapacity > 0 ? _withCapacity / _monthlyCapacity : null;

        public void Add(UnitFigure figure)
        {
            Expected++;
            _value += figure.Value;
            switch (figure.Kind)
            {
                case FigureKind.Registered:
                    Reporting++;
                    break;
                case FigureKind.Provisional:
                    Reporting++;
                    _provisional += figure.Value;
                    break;
                case FigureKind.Imputed:
                    _imputed += figure.Value;
                    break;
            }

            if (figure.AnnualCapacity is > 0 and var capacity)
            {
                _withCapacity += figure.Value;
                _monthlyCapacity += capacity / 12;
            }
        }
    }
}
