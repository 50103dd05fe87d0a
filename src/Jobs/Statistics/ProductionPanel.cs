using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Returns;
using BatchEngine.Data.Statistics;
using BatchEngine.Jobs.Calendar;

namespace BatchEngine.Jobs.Statistics;

/// <summary>
/// Every unit's returns and production of the selected products over a span of months, held in memory so that the
/// imputation can look back and across units without a query per unit: a unit × month grid of states, and per selected
/// product the production of the units that make it.
/// </summary>
public sealed class ProductionPanel
{
    private const sbyte NoReturn = -1;

    private readonly sbyte[] _states;
    private readonly bool[] _expected;
    private readonly Dictionary<int, decimal[]>[] _production;
    private readonly Dictionary<int, decimal>[] _capacity;

    private ProductionPanel(IReadOnlyList<SelectedProduct> products, JalaliPeriod first, int months, IReadOnlyList<(long UnitId, string Province)> units,
        bool provisional)
    {
        Products = products;
        First = first;
        Months = months;
        UnitIds = units.Select(u => u.UnitId).ToArray();
        Provinces = units.Select(u => u.Province).ToArray();
        Provisional = provisional;
        Collected = new bool[months];
        _states = new sbyte[UnitIds.Length * months];
        Array.Fill(_states, NoReturn);
        _expected = new bool[UnitIds.Length * months];
        _production = products.Select(_ => new Dictionary<int, decimal[]>()).ToArray();
        _capacity = products.Select(_ => new Dictionary<int, decimal>()).ToArray();
    }

    public IReadOnlyList<SelectedProduct> Products { get; }
    public JalaliPeriod First { get; }
    public int Months { get; }
    public long[] UnitIds { get; }
    public string[] Provinces { get; }

    /// <summary>Whether returns still in review count as figures (provisionally) beside the registered ones.</summary>
    public bool Provisional { get; }

    /// <summary>Whether the engine collected the month at all (a month before the history began expects nobody).</summary>
    public bool[] Collected { get; }

    public JalaliPeriod PeriodAt(int month) => Add(First, month);

    public int IndexOf(JalaliPeriod period) => Distance(First, period);

    /// <summary>
    /// Reads the span from <paramref name="first"/> to <paramref name="last"/> from the database: the units first, then
    /// the rest at once on connections of their own, the returns (most of it) in as many parts of the span as there are
    /// cores, each part filling its own months.
    /// </summary>
    public static async Task<ProductionPanel> LoadAsync(Database database, IReadOnlyList<SelectedProduct> products, JalaliPeriod first, JalaliPeriod last,
        bool provisional, CancellationToken cancellationToken = default)
    {
        var figures = new ProductionFigures(database);
        var codes = products.SelectMany(p => p.ProductCodes).ToHashSet();
        var panel = new ProductionPanel(products, first, Distance(first, last) + 1, await figures.UnitsAsync(), provisional);
        var unitIndex = panel.UnitIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var productOf = products.SelectMany((p, g) => p.ProductCodes.Select(c => (c, g))).ToDictionary(x => x.c, x => x.g);
        var periods = figures.PeriodsAsync(first, last);
        var notExpected = figures.NotExpectedAsync(first, last);
        var made = figures.UnitProductsAsync(codes);
        var lines = Parts(first, last).Select(part => ReadReturnsAsync(panel, figures, part.Start, part.End, codes, unitIndex, productOf, cancellationToken))
            .ToList();

        foreach (var period in await periods)
        {
            var month = panel.IndexOf(period);
            panel.Collected[month] = true;
            for (var u = 0; u < panel.UnitIds.Length; u++)
            {
                panel._expected[u * panel.Months + month] = true;
            }
        }

        foreach (var (unitId, period) in await notExpected)
        {
            panel._expected[unitIndex[unitId] * panel.Months + panel.IndexOf(period)] = false;
        }

        foreach (var product in await made)
        {
            var (g, u) = (productOf[product.ProductCode], unitIndex[product.UnitId]);
            panel.Row(g, u);
            if (product.AnnualCapacity is { } capacity)
            {
                panel._capacity[g][u] = panel._capacity[g].GetValueOrDefault(u) + capacity;
            }
        }

        foreach (var line in (await Task.WhenAll(lines)).SelectMany(l => l))
        {
            panel.Row(line.Product, line.Unit)[line.Month] += line.Production;
        }

        return panel;
    }

    /// <summary>The parts of the span whose returns are read at once: as many as there are cores (at most 4), in whole months.</summary>
    public static IReadOnlyList<(JalaliPeriod Start, JalaliPeriod End)> Parts(JalaliPeriod first, JalaliPeriod last)
    {
        var (months, parts) = (Distance(first, last) + 1, Math.Clamp(Environment.ProcessorCount, 1, 4));
        return Enumerable.Range(0, parts).Select(part => (Add(first, months * part / parts), Add(first, months * (part + 1) / parts - 1))).ToList();
    }

    /// <summary>
    /// Sets the states of the returns of the periods between the two (months no other part touches) and gives back their
    /// lines of the selected products, for the caller to add once every part is read.
    /// </summary>
    private static async Task<List<(int Product, int Unit, int Month, decimal Production)>> ReadReturnsAsync(ProductionPanel panel, ProductionFigures figures,
        JalaliPeriod start, JalaliPeriod end, IReadOnlySet<string> codes, Dictionary<long, int> unitIndex, Dictionary<string, int> productOf,
        CancellationToken cancellationToken)
    {
        await Task.Yield();
        var lines = new List<(int, int, int, decimal)>();
        var firstMonth = ProductionFigures.MonthNumber(panel.First);
        await figures.ReturnsAsync(start, end, codes, figure =>
        {
            var (u, month) = (unitIndex[figure.UnitId], figure.Month - firstMonth);
            panel._states[u * panel.Months + month] = (sbyte)figure.State;
            if (figure.ProductCode is { } code)
            {
                lines.Add((productOf[code], u, month, figure.Production));
            }
        }, cancellationToken);
        return lines;
    }

    /// <summary>The units that make the product: by the register, or because they reported it.</summary>
    public IEnumerable<int> UnitsOf(int product) => _production[product].Keys;

    public bool Expected(int unit, int month) => month >= 0 && _expected[unit * Months + month];

    /// <summary>Whether the unit filed a return for the month (any state but a draft): proof that it still produces.</summary>
    public bool Reported(int unit, int month) =>
        month >= 0 && _states[unit * Months + month] is var state && state != NoReturn && ReturnWorkflow.HasReported((ReturnState)state);

    /// <summary>Whether the unit's figures of the month count: registered, or in review when the table is provisional.</summary>
    public bool Counted(int unit, int month) => month >= 0 && State(unit, month) is { } state &&
        (state == ReturnState.Registered || (Provisional && InReview(state)));

    /// <summary>Whether the counted figures of the month are only provisional (still in review).</summary>
    public bool IsProvisional(int unit, int month) => State(unit, month) is { } state && state != ReturnState.Registered;

    /// <summary>The unit's production of the product in the month (zero if its return has no such line).</summary>
    public decimal Production(int product, int unit, int month) => _production[product][unit][month];

    public decimal? AnnualCapacity(int product, int unit) => _capacity[product].TryGetValue(unit, out var capacity) ? capacity : null;

    private ReturnState? State(int unit, int month) => _states[unit * Months + month] is var state && state != NoReturn ? (ReturnState)state : null;

    private static readonly HashSet<ReturnState> ReviewStates =
        [.. ReturnWorkflow.AwaitingReviewBy(ActorRole.ProvincialExpert), .. ReturnWorkflow.AwaitingReviewBy(ActorRole.MinistryExpert)];

    private static bool InReview(ReturnState state) => ReviewStates.Contains(state);

    private decimal[] Row(int product, int unit)
    {
        if (!_production[product].TryGetValue(unit, out var row))
        {
            _production[product][unit] = row = new decimal[Months];
        }

        return row;
    }

    private static int Distance(JalaliPeriod from, JalaliPeriod to) => (to.Year - from.Year) * 12 + to.Month - from.Month;

    private static JalaliPeriod Add(JalaliPeriod period, int months)
    {
        var index = period.Year * 12 + period.Month - 1 + months;
        return new JalaliPeriod(index / 12, index % 12 + 1);
    }
}
