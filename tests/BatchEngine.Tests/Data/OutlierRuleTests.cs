using BatchEngine.Data.Returns;

namespace BatchEngine.Tests.Data;

/// <summary>The outlier rule, called directly: ±50 % against the last three months' average or the same month last year.</summary>
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
        Assert.That(findings.Single().Against, Is.EqualTo("same month last year"));
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
}
