namespace BatchEngine.Jobs.Statistics;

/// <summary>How a unit's figure of a month came about.</summary>
public enum FigureKind
{
    Registered,

    /// <summary>Its return is still in review and the table includes such returns.</summary>
    Provisional,

    /// <summary>Expected, no figure counted: estimated by <see cref="Imputation"/>; never stored as a return.</summary>
    Imputed,

    /// <summary>Expected, but it has not reported for <see cref="StatisticsOptions.NotImputedAfterMonths"/> months: left out.</summary>
    Inactive,

    /// <summary>Expected, but it has no recent figure nor one a year before to start from: left out.</summary>
    NoBasis,
}

/// <summary>A unit's production of a selected product in a month; for an imputed one, the month it starts from and the ratio.</summary>
/// <remarks><paramref name="AnnualCapacity"/>: the unit's licensed capacity of the product when the register has it.</remarks>
public sealed record UnitFigure(long UnitId, string Province, FigureKind Kind, decimal Value, decimal? AnnualCapacity, int? FromMonth = null, decimal? Ratio = null);

/// <summary>
/// The non-response rule of the monthly statistics, and its only home. A unit expected in a month but without a counted
/// figure is given its last counted figure of the <see cref="StatisticsOptions.CarryForwardMonths"/> months before,
/// times the ratio of the same two months among the units of the same product that have figures in both (the unit's
/// province when at least <see cref="StatisticsOptions.ProvinceRatioMinUnits"/> do, else the country; 1 when no unit
/// does); without one, its figure of the same month a year before times that year-on-year ratio. A unit that has not
/// reported at all for <see cref="StatisticsOptions.NotImputedAfterMonths"/> months is left out, and so is one with
/// nothing to start from. Imputed values start only from real figures, never from other imputed ones, and are rounded
/// to three decimals.
/// </summary>
public sealed class Imputation(ProductionPanel panel, StatisticsOptions options)
{
    private readonly Dictionary<(int Product, int From, int To), Dictionary<string, (decimal Ratio, int Units)>> _ratios = [];

    /// <summary>The figures of the month of every unit of the product that was expected or has a counted figure.</summary>
    public IEnumerable<UnitFigure> Figures(int product, int month)
    {
        foreach (var unit in panel.UnitsOf(product))
        {
            if (panel.Counted(unit, month))
            {
                yield return new UnitFigure(panel.UnitIds[unit], panel.Provinces[unit],
                    panel.IsProvisional(unit, month) ? FigureKind.Provisional : FigureKind.Registered, panel.Production(product, unit, month),
                    panel.AnnualCapacity(product, unit));
            }
            else if (panel.Expected(unit, month))
            {
                yield return Impute(product, unit, month);
            }
        }
    }

    private UnitFigure Impute(int product, int unit, int month)
    {
        var (id, province, capacity) = (panel.UnitIds[unit], panel.Provinces[unit], panel.AnnualCapacity(product, unit));
        if (Inactive(unit, month))
        {
            return new UnitFigure(id, province, FigureKind.Inactive, 0m, capacity);
        }

        if (StartingMonth(unit, month) is not { } from)
        {
            return new UnitFigure(id, province, FigureKind.NoBasis, 0m, capacity);
        }

        var ratio = Ratio(product, province, from, month);
        return new UnitFigure(id, province, FigureKind.Imputed, Math.Round(panel.Production(product, unit, from) * ratio, 3), capacity,
            from, ratio);
    }

    private int? StartingMonth(int unit, int month)
    {
        for (var from = month - 1; from >= Math.Max(0, month - options.CarryForwardMonths); from--)
        {
            if (panel.Counted(unit, from))
            {
                return from;
            }
        }

        return panel.Counted(unit, month - 12) ? month - 12 : null;
    }

    /// <summary>No return at all in the unit's last expected months, this one included (months it was not expected do not count).</summary>
    private bool Inactive(int unit, int month)
    {
        var misses = 0;
        for (var m = month; m >= 0 && misses < options.NotImputedAfterMonths; m--)
        {
            if (!panel.Expected(unit, m))
            {
                continue;
            }

            if (panel.Reported(unit, m))
            {
                return false;
            }

            misses++;
        }

        return misses >= options.NotImputedAfterMonths;
    }

    private decimal Ratio(int product, string province, int from, int to)
    {
        var sums = SumsInBoth(product, from, to);
        return sums.TryGetValue(province, out var local) && local.Units >= options.ProvinceRatioMinUnits ? local.Ratio : sums[""].Ratio;
    }

    /// <summary>
    /// The production of the two months of the units of the product that have figures in both, per province and (under
    /// the empty name) for the country, read in one pass. Units whose earlier figures were all zero say nothing about a
    /// change: such a ratio is 1 and counts no units.
    /// </summary>
    private Dictionary<string, (decimal Ratio, int Units)> SumsInBoth(int product, int from, int to)
    {
        if (_ratios.TryGetValue((product, from, to), out var known))
        {
            return known;
        }

        var sums = new Dictionary<string, (decimal Before, decimal After, int Units)> { [""] = (0m, 0m, 0) };
        foreach (var unit in panel.UnitsOf(product))
        {
            if (panel.Counted(unit, from) && panel.Counted(unit, to))
            {
                var (before, after) = (panel.Production(product, unit, from), panel.Production(product, unit, to));
                foreach (var scope in new[] { "", panel.Provinces[unit] })
                {
                    var sum = sums.GetValueOrDefault(scope);
                    sums[scope] = (sum.Before + before, sum.After + after, sum.Units + 1);
                }
            }
        }

        return _ratios[(product, from, to)] = sums.ToDictionary(s => s.Key, s => s.Value.Before > 0 ? (s.Value.After / s.Value.Before, s.Value.Units) : (1m, 0));
    }
}
