using BatchEngine.Data.Calendar;
using BatchEngine.Data.Returns;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Data;

/// <summary>The outlier rule, called directly: ±50 % against the last three months' average or the same month last year.</summary>
[Category(Categories.Rules)]
public sealed class OutlierRuleTests
{
    private static readonly OutlierOptions Default = new();

    [TestCase(150, false)]
    [TestCase(151, true)]
    [TestCase(50, false)]
    [TestCase(49, true)]
    public void Production_is_flagged_beyond_half_again_or_half_of_the_average(decimal production, bool flagged) =>
        Assert.That(OutlierRule.Check(production, [100m, 90m, 110m, 5000m], null, Default).Any(), Is.EqualTo(flagged),
            "the average is of the latest three months only");

    [Test]
    public void The_same_month_last_year_is_a_second_reference_with_its_own_finding()
    {
        var findings = OutlierRule.Check(300m, [290m, 310m, 300m], 100m, Default);
        Assert.That(findings.Single().Against, Is.EqualTo(OutlierReference.SameMonthLastYear));
        Assert.That(findings.Single().Change, Is.EqualTo(2m));
    }

    [Test]
    public void From_nothing_to_something_is_flagged_and_nothing_without_history_is_not()
    {
        Assert.That(OutlierRule.Check(10m, [0m, 0m], null, Default).Single().Change, Is.EqualTo(decimal.MaxValue));
        Assert.That(OutlierRule.Check(0m, [0m], 0m, Default), Is.Empty);
        Assert.That(OutlierRule.Check(1_000_000m, [], null, Default), Is.Empty, "no earlier months, nothing to compare");
    }

    [Test]
    public void The_thresholds_come_from_the_options() =>
        Assert.That(OutlierRule.Check(125m, [100m], null, new OutlierOptions { MaxChange = 0.2m }).Single().Change, Is.EqualTo(0.25m));

    [Test]
    public void The_references_are_the_units_reported_months_of_the_year_before()
    {
        ProductionPoint[] history =
        [
            Point("1403-03", 1m), Point("1404-02", 10_000m), Point("1404-03", 100m), Point("1404-12", 90m), Point("1405-01", 110m),
            Point("1405-02", 100m), Point("1405-03", 1_000_000m), Point("1405-04", 1m),
        ];

        var check = OutlierRule.Against(new JalaliPeriod(1405, 3), 310m, history, Default);

        Assert.That((check.Average, check.LastYear), Is.EqualTo(((decimal?)100m, (decimal?)100m)),
            "the three latest months before the period, the same month a year before; nothing older, nothing later");
        Assert.That(check.Findings.Select(f => (f.Against, f.Up)), Is.EquivalentTo(new[] { (OutlierReference.RecentAverage, true), (OutlierReference.SameMonthLastYear, true) }));
        Assert.That(check.Strongest!.Change, Is.EqualTo(2.1m));
        Assert.That(OutlierRule.Against(new JalaliPeriod(1405, 3), 40m, history, Default).Strongest, Is.EqualTo(new OutlierFinding(OutlierReference.RecentAverage, 100m, -0.6m)));
        var alone = OutlierRule.Against(new JalaliPeriod(1403, 3), 1_000m, history, Default);
        Assert.That((alone.Average, alone.LastYear, alone.Findings.Count), Is.EqualTo(((decimal?)null, (decimal?)null, 0)),
            "no reported month in the year before: nothing to hold it against");
    }

    [Test]
    public void A_month_above_a_twelfth_of_the_licensed_capacity_by_more_than_the_margin_is_flagged()
    {
        ProductionPoint[] steady = [Point("1405-01", 125m), Point("1405-02", 125m)];

        var over = OutlierRule.Against(new JalaliPeriod(1405, 3), 130m, steady, Default, annualCapacity: 1_200m);
        var within = OutlierRule.Against(new JalaliPeriod(1405, 3), 119m, steady, Default, annualCapacity: 1_200m);

        Assert.That(over.Findings, Is.EqualTo(new[] { new OutlierFinding(OutlierReference.Capacity, 100m, 0.3m) }), "130 against 100 a month, margin 20 %");
        Assert.That(within.Findings, Is.Empty);
        Assert.That(OutlierRule.Against(new JalaliPeriod(1405, 3), 130m, steady, Default).Findings, Is.Empty, "no capacity in the register, no capacity finding");
        Assert.That(OutlierRule.Against(new JalaliPeriod(1405, 3), 130m, steady, new OutlierOptions { CapacityMargin = 0.5m }, 1_200m).Findings, Is.Empty);
    }

    private static ProductionPoint Point(string period, decimal production) => new() { Period = JalaliPeriod.Parse(period), ProductCode = "2394-01", Production = production };
}
