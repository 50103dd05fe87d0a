using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Periods;
using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Import;
using BatchEngine.Tests.Infrastructure;
using Dapper;

namespace BatchEngine.Tests.Import;

/// <summary>
/// The deadline in force has its home in SQL (<see cref="DeadlineExtensions.EffectiveLateFrom"/>: reminders, flags,
/// the liaison form's late mark); the import reads the same rule from tables loaded once (<see cref="ImportReference"/>)
/// to mark a million rows late or not. Both answer the same for every kind of case.
/// </summary>
[Category(Categories.Store)]
public sealed class DeadlineInForceTests(string store) : StoreTest(store)
{
    [Test]
    public async Task The_import_and_the_sql_agree_on_each_unit_deadline_in_force()
    {
        var seed = await new Seed(Database).BasicsAsync();
        await seed.OpenPeriodAsync(new JalaliPeriod(1404, 7));
        await seed.OpenPeriodAsync(new JalaliPeriod(1404, 8), monthsLater: 1);
        var units = new Dictionary<string, long>
        {
            ["plain"] = await seed.UnitAsync("T-PLAIN"),
            ["extended"] = await seed.UnitAsync("T-EXT"),
            ["extended twice"] = await seed.UnitAsync("T-EXT2"),
            ["other province"] = await seed.UnitAsync("I-PLAIN", "isfahan"),
            ["other province extended"] = await seed.UnitAsync("I-EXT", "isfahan"),
        };
        var now = Seed.Opens;
        // Tehran's closures moved its own deadline for 1404-07; Isfahan keeps the period's.
        await new PeriodStore(Database).RederiveDeadlineAsync(new JalaliPeriod(1404, 7), "tehran", Seed.LateFrom.AddDays(2), "closure", now);
        var extensions = new DeadlineExtensions(Database);
        var tehran = Actor.ProvincialExpert("expert", "tehran");
        await extensions.GrantAsync(units["extended"], new JalaliPeriod(1404, 7), Seed.LateFrom.AddDays(5), tehran, "flood", now);
        await extensions.GrantAsync(units["extended twice"], new JalaliPeriod(1404, 7), Seed.LateFrom.AddDays(7), tehran, "flood", now);
        await extensions.GrantAsync(units["extended twice"], new JalaliPeriod(1404, 7), Seed.LateFrom.AddDays(4), tehran, "corrected", now);
        await extensions.GrantAsync(units["extended"], new JalaliPeriod(1404, 8), Seed.LateFrom.AddMonths(1).AddDays(3), tehran, "strike", now);
        await extensions.GrantAsync(units["other province extended"], new JalaliPeriod(1404, 8), Seed.LateFrom.AddMonths(1).AddDays(6), Actor.ProvincialExpert("expert", "isfahan"), "strike", now);

        var compared = 0;
        foreach (var province in new[] { "tehran", "isfahan" })
        {
            var reference = await ImportReference.LoadAsync(Database, province, uploadId: null);
            foreach (var (name, unitId) in units.Where(u => u.Key.StartsWith("other", StringComparison.Ordinal) == (province == "isfahan")))
            {
                foreach (var period in new[] { new JalaliPeriod(1404, 7), new JalaliPeriod(1404, 8) })
                {
                    Assert.That(reference.LateFrom(unitId, period), Is.EqualTo(await InForceAsync(unitId, period)), $"{name}, {period}");
                    compared++;
                }
            }
        }

        Assert.That(compared, Is.EqualTo(10));
        // The cases are the ones meant: the closure, the latest of two extensions and the other province's period deadline.
        Assert.That(await InForceAsync(units["plain"], new JalaliPeriod(1404, 7)), Is.EqualTo(Seed.LateFrom.AddDays(2)));
        Assert.That(await InForceAsync(units["extended twice"], new JalaliPeriod(1404, 7)), Is.EqualTo(Seed.LateFrom.AddDays(4)));
        Assert.That(await InForceAsync(units["other province"], new JalaliPeriod(1404, 7)), Is.EqualTo(Seed.LateFrom));
    }

    private async Task<DateTime> InForceAsync(long unitId, JalaliPeriod period)
    {
        await using var connection = await Database.OpenAsync();
        var lateFrom = await connection.ExecuteScalarAsync<DateTime>(
            $"SELECT {DeadlineExtensions.EffectiveLateFrom("@unitId", "p")} FROM periods p WHERE p.code = @period", new { unitId, period });
        return lateFrom.AsUtc();
    }
}
