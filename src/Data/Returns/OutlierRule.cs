namespace BatchEngine.Data.Returns;

/// <summary>The thresholds of the outlier rule (<c>Outliers</c> in the configuration).</summary>
public sealed class OutlierOptions
{
    /// <summary>A change beyond this share (0.5 = ±50 %) against either reference flags the figure.</summary>
    public decimal MaxChange { get; set; } = 0.5m;

    /// <summary>How many of the unit's previous months make the average.</summary>
    public int AverageOfMonths { get; set; } = 3;
}

/// <summary>Why a product's production stands out, against what and by how much (0.8 = +80 %).</summary>
public sealed record OutlierFinding(string Against, decimal Reference, decimal Change);

/// <summary>
/// The outlier rule of the review: a product's production is flagged when it changes by more than
/// <see cref="OutlierOptions.MaxChange"/> against the unit's average of its last months, or against the same month last
/// year. The only place this rule lives.
/// </summary>
public static class OutlierRule
{
    /// <param name="previousMonths">The unit's production of the product in its latest months before this one, newest first.</param>
    public static IReadOnlyList<OutlierFinding> Check(decimal production, IReadOnlyList<decimal> previousMonths, decimal? sameMonthLastYear, OutlierOptions options)
    {
        var findings = new List<OutlierFinding>();
        if (previousMonths.Count > 0)
        {
            var average = previousMonths.Take(options.AverageOfMonths).Average();
            Compare(production, average, $"average of the last {Math.Min(options.AverageOfMonths, previousMonths.Count)} months", options, findings);
        }

        if (sameMonthLastYear is { } lastYear)
        {
            Compare(production, lastYear, "same month last year", options, findings);
        }

        return findings;
    }

    private static void Compare(decimal production, decimal reference, string against, OutlierOptions options, List<OutlierFinding> findings)
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
