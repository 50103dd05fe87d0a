using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Returns;
using BatchEngine.Tests.Infrastructure;
using Dapper;

namespace BatchEngine.Tests.Data;

/// <summary>
/// Outliers in the review queues (issue #17): each return carries the finding of the outlier rule that stands out
/// most, with its direction, and a queue can keep only the outlying returns, up or down, on every page and for an
/// action on "all matching".
/// </summary>
public sealed class QueueOutlierTests(string store) : StoreTest(store)
{
    private long _steady, _up, _down;

    [SetUp]
    public async Task SeedAsync()
    {
        var seed = await new Seed(Database).BasicsAsync();
        await seed.OpenPeriodAsync(new JalaliPeriod(1404, 5), -1);
        await seed.OpenPeriodAsync(new JalaliPeriod(1404, 6));
        _steady = await seed.UnitAsync("23000001");
        _up = await seed.UnitAsync("23000002");
        _down = await seed.UnitAsync("23000003");
        var returns = new ReturnStore(Database);
        foreach (var (unit, june) in new[] { (_steady, 120m), (_up, 300m), (_down, 20m) })
        {
            await returns.SaveAsync(unit, new JalaliPeriod(1404, 5), Figures(100m), Actor.Liaison("رابط", unit), submit: true, null, Seed.LateFrom.AddMonths(-1).AddDays(-1));
            await returns.SaveAsync(unit, new JalaliPeriod(1404, 6), Figures(june), Actor.Liaison("رابط", unit), submit: true, null, Seed.LateFrom.AddDays(-1));
        }
    }

    [Test]
    public async Task Each_return_carries_its_strongest_finding_with_its_direction()
    {
        var queries = new ReviewQueries(Database, new OutlierOptions());
        var queue = await queries.QueueAsync(Filter(null));

        var findings = await queries.OutliersAsync(queue.Rows);

        Assert.That(queue.Total, Is.EqualTo(6), "without the filter, every submitted return");
        Assert.That(findings.ToDictionary(f => Unit(queue, f.Key), f => (f.Value.Up, f.Value.Change)), Is.EquivalentTo(new Dictionary<long, (bool, decimal)>
        {
            [_up] = (true, 2m), [_down] = (false, -0.8m),
        }), "a change within ±50 % and a first month with nothing before it are not outliers");
    }

    [TestCase(OutlierDirection.Any, 2)]
    [TestCase(OutlierDirection.Up, 1)]
    [TestCase(OutlierDirection.Down, 1)]
    public async Task A_queue_keeps_only_the_outlying_returns_on_every_page_and_for_all_matching(OutlierDirection direction, int expected)
    {
        var queries = new ReviewQueries(Database, new OutlierOptions());

        var firstPage = await queries.QueueAsync(Filter(direction) with { PageSize = 1 });
        var targets = await queries.QueueTargetsAsync(Filter(direction));

        Assert.That((firstPage.Total, firstPage.Rows.Count), Is.EqualTo((expected, 1)), "the total counts every outlying return, the page shows one");
        var units = direction switch { OutlierDirection.Up => [_up], OutlierDirection.Down => [_down], _ => new[] { _up, _down } };
        var all = await queries.QueueAsync(Filter(direction));
        Assert.That(all.Rows.Select(r => r.UnitId), Is.EquivalentTo(units));
        Assert.That(targets.Select(t => t.Id), Is.EquivalentTo(all.Rows.Select(r => r.Id)));
        Assert.That(all.Rows.Select(r => r.Period), Has.All.EqualTo(new JalaliPeriod(1404, 6)));
    }

    [Test]
    public async Task The_thresholds_are_the_configured_ones()
    {
        var strict = await new ReviewQueries(Database, new OutlierOptions { MaxChange = 0.1m }).QueueAsync(Filter(OutlierDirection.Up));

        Assert.That(strict.Rows.Select(r => r.UnitId), Is.EquivalentTo(new[] { _steady, _up }), "+20 % is an outlier beyond ±10 %");
    }

    [Test]
    public async Task A_return_above_its_units_licensed_capacity_is_an_outlier_up()
    {
        await using (var connection = await Database.OpenAsync())
        {
            // 120 a month against 960 a year (80 a month): 50 % above, beyond the 20 % margin; its +20 % change alone is within ±50 %.
            await connection.ExecuteAsync("UPDATE unit_products SET annual_capacity = @capacity WHERE unit_id = @unit AND product_code = '2394-01'",
                new { capacity = 960m, unit = _steady });
        }

        var queries = new ReviewQueries(Database, new OutlierOptions());
        var up = await queries.QueueAsync(Filter(OutlierDirection.Up));
        var findings = await queries.OutliersAsync(up.Rows);

        Assert.That(up.Rows.Select(r => (r.UnitId, r.Period)), Is.EquivalentTo(new[] { (_steady, new JalaliPeriod(1404, 5)), (_steady, new JalaliPeriod(1404, 6)), (_up, new JalaliPeriod(1404, 6)) }),
            "100 in 1404-05 is 25 % above 80 too");
        var steady = up.Rows.Single(r => r.UnitId == _steady && r.Period == new JalaliPeriod(1404, 6));
        Assert.That((findings[steady.Id].Against, findings[steady.Id].Change), Is.EqualTo((OutlierReference.Capacity, 0.5m)));
        var lenient = await new ReviewQueries(Database, new OutlierOptions { CapacityMargin = 0.6m }).QueueAsync(Filter(OutlierDirection.Up));
        Assert.That(lenient.Rows.Select(r => r.UnitId), Is.EquivalentTo(new[] { _up }), "the margin is applied when reading");
    }

    private static QueueFilter Filter(OutlierDirection? outlier) => new([ReturnState.Submitted], "tehran", null, null, null, null, Outlier: outlier);

    private static ReturnFigures Figures(decimal production) => new(5, [new ReturnLine { ProductCode = "2394-01", Production = production }]);

    private static long Unit(ListPage<ReturnRow> queue, long returnId) => queue.Rows.Single(r => r.Id == returnId).UnitId;

    [Test]
    public async Task A_return_is_judged_once_per_version_and_a_new_threshold_needs_no_new_judgement()
    {
        var queries = new ReviewQueries(Database, new OutlierOptions());
        Assert.That((await queries.QueueAsync(Filter(OutlierDirection.Up))).Rows.Select(r => r.UnitId), Is.EqualTo(new[] { _up }));
        await using var connection = await Database.OpenAsync();
        var marks = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM outlier_marks");
        Assert.That(marks, Is.EqualTo(6), "every return of the queue judged, once");

        var strict = await new ReviewQueries(Database, new OutlierOptions { MaxChange = 0.1m }).QueueAsync(Filter(OutlierDirection.Up));
        Assert.That(strict.Total, Is.EqualTo(2));
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM outlier_marks"), Is.EqualTo(marks), "the threshold is applied when reading");

        // The unit's June figure corrected: a new version, judged again.
        var june = await connection.ExecuteScalarAsync<long>("SELECT id FROM returns WHERE unit_id = @_up AND period = '1404-06'", new { _up });
        await connection.ExecuteAsync("UPDATE return_lines SET production = 110 WHERE return_id = @june; UPDATE returns SET version = version + 1 WHERE id = @june", new { june });
        Assert.That((await queries.QueueAsync(Filter(OutlierDirection.Up))).Total, Is.Zero);
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM outlier_marks"), Is.EqualTo(marks + 1));
    }
}
