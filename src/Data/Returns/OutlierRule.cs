using BatchEngine.Data.Calendar;
namespace BatchEngine.Data.Returns;

/// <summary>The thresholds of the outlier rule (<c>Outliers</c> in the configuration).</summary>
public sealed class OutlierOptions
{
    /// <summary>A change beyond this share (0.5 = ±50 %) against either reference flags the figure.</summary>
    public decimal MaxChange { get; set; } = 0.5m;

    /// <summary>How many of the unit's previous months make the average.</summary>
    public int AverageOfMonths { get; set; } = 3;

    /// <summary>A month's production above a twelfth of the unit's licensed annual capacity by more than this share (0.2 = 20 %) is flagged.</summary>
    public decimal CapacityMargin { get; set; } = 0.2m;

    public IEnumerable<string> Problems() => SettingProblem.Found(
        MaxChange > 0 ? null : $"Outliers:MaxChange is {MaxChange}; it must be more than 0 (0.5 is a change of half).",
        SettingProblem.Range("Outliers:AverageOfMonths", AverageOfMonths, 1, 12),
        SettingProblem.AtLeast("Outliers:CapacityMargin", CapacityMargin, 0));
}

/// <summary>What a production is held against.</summary>
public enum OutlierReference
{
    RecentAverage,
    SameMonthLastYear,

    /// <summary>A twelfth of the licensed annual capacity.</summary>
    Capacity,
}

/// <summary>
/// Why a product's production stands out, against what and by how much (0.8 = +80 %; <see cref="decimal.MaxValue"/>
/// when the reference is nothing).
/// </summary>
public sealed record OutlierFinding(OutlierReference Against, decimal Reference, decimal Change)
{
    public bool Up => Change > 0;
}

/// <summary>A product's production beside its references, and what the rule says of it.</summary>
public sealed record OutlierCheck(decimal? Average, decimal? LastYear, IReadOnlyList<OutlierFinding> Findings)
{
    /// <summary>The finding that stands out most, either way; a queue shows this one.</summary>
    public OutlierFinding? Strongest => Findings.MaxBy(f => Math.Abs(f.Change));
}

/// <summary>
/// The outlier rule of the review: a product's production is flagged when it changes by more than
/// <see cref="OutlierOptions.MaxChange"/> against the unit's average of its last months, or against the same month last
/// year, or exceeds a twelfth of the unit's licensed annual capacity by more than <see cref="OutlierOptions.CapacityMargin"/>. The references are the unit's reported months of the year before the period, so that a return can be judged
/// from that year alone (a queue judges thousands at once). The only place this rule lives.
/// </summary>
public static class OutlierRule
{
    /// <param name="period">The period of the production, YYYY-MM.</param>
    /// <param name="history">The unit's reported production of the same product in any periods; the rule picks its references.</param>
    /// <param name="annualCapacity">The unit's licensed annual capacity of the product, when the register has it.</param>
    public static OutlierCheck Against(JalaliPeriod period, decimal production, IEnumerable<ProductionPoint> history, OutlierOptions options,
        decimal? annualCapacity = null)
    {
        var lastYear = YearBefore(period);
        var points = history.Where(p => p.Period >= lastYear && p.Period < period).ToList();
        var previous = points.Where(p => p.Period != lastYear).OrderByDescending(p => p.Period).Select(p => p.Production).Take(options.AverageOfMonths).ToList();
        var sameMonth = points.FirstOrDefault(p => p.Period == lastYear)?.Production;
        var findings = Check(production, previous, sameMonth, options).ToList();
        if (OverCapacity(production, annualCapacity) is { } over && over > options.CapacityMargin)
        {
            findings.Add(new OutlierFinding(OutlierReference.Capacity, annualCapacity!.Value / 12, Math.Round(over, 4)));
        }

        return new OutlierCheck(previous.Count == 0 ? null : previous.Average(), sameMonth, findings);
    }

    /// <summary>How far a month's production is above a twelfth of the annual capacity (0.3 = 30 % above; negative below); none without a capacity.</summary>
    public static decimal? OverCapacity(decimal production, decimal? annualCapacity) =>
        annualCapacity is > 0 and var capacity ? production / (capacity / 12) - 1 : null;

    /// <summary>The same month a year before: the earliest period the rule looks at.</summary>
    public static JalaliPeriod YearBefore(JalaliPeriod period) => new(period.Year - 1, period.Month);

    /// <param name="previousMonths">The unit's production of the product in its latest months before this one, newest first.</param>
    public static IReadOnlyList<OutlierFinding> Check(decimal production, IReadOnlyList<decimal> previousMonths, decimal? sameMonthLastYear, OutlierOptions options)
    {
        var findings = new List<OutlierFinding>();
        if (previousMonths.Count > 0)
        {
            var average = previousMonths.Take(options.AverageOfMonths).Average();
            Compare(production, average, OutlierReference.RecentAverage, options, findings);
        }

        if (sameMonthLastYear is { } lastYear)
        {
            Compare(production, lastYear, OutlierReference.SameMonthLastYear, options, findings);
        }

        return findings;
    }

    private static void Compare(decimal production, decimal reference, OutlierReference against, OutlierOptions options, List<OutlierFinding> findings)
    {
        if (reference == 0)
        {
            // From nothing to something is a change no percentage measures; from nothing to nothing is none.
            if (production != 0)
            {
                findings.Add(new OutlierFinding(against, reference, decimal.MaxValue));
            }

            return;
        }

        var change = (production - reference) / reference;
        if (Math.Abs(change) > options.MaxChange)
        {
            findings.Add(new OutlierFinding(against, reference, Math.Round(change, 4)));
        }
    }
}
