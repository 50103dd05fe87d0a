using System.Text.Json;
using BatchEngine.Data.Calendar;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Hosting;
using BatchEngine.Jobs.Statistics;
using BatchEngine.Tests.Infrastructure;
using Dapper;

namespace BatchEngine.Tests.Statistics;

/// <summary><c>batchengine statistics</c> on the demo (issue #19's "done when"), on both stores.</summary>
[Category(Categories.Process)]
public sealed class StatisticsCommandTests(string store) : StoreTest(store)
{
    [Test]
    public async Task The_national_figures_are_the_registered_returns_plus_the_marked_imputations()
    {
        var load = await CliRunner.RunAsync("demo-data", "--units", "400", "--periods", "26", "--db", DatabaseSetting);
        Assert.That(load.ExitCode, Is.EqualTo(0), load.Error);

        var result = await CliRunner.RunAsync("statistics", "--period", "1405-07", "--json", "--db", DatabaseSetting);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        var json = JsonDocument.Parse(result.Output).RootElement;
        var options = EngineSettings.Load(database: DatabaseSetting).Statistics;
        var statistics = await MonthlyStatistics.LoadAsync(Database, options, new JalaliPeriod(1405, 7), provisional: false);
        var products = json.GetProperty("products").EnumerateArray().ToList();
        Assert.That(products.Select(p => p.GetProperty("code").GetString()), Is.EqualTo(options.Products.Select(p => p.Code)));
        await using var connection = await Database.OpenAsync();
        var imputedSomewhere = false;
        foreach (var product in products)
        {
            var selected = options.Products.Single(p => p.Code == product.GetProperty("code").GetString());
            var registered = (await connection.QueryAsync<decimal>(
                "SELECT l.production FROM return_lines l JOIN returns r ON r.id = l.return_id WHERE r.period = '1405-07' AND r.state = 'Registered'" +
                $" AND l.product_code IN ({string.Join(", ", selected.ProductCodes.Select(c => $"'{c}'"))})")).Sum();
            var imputed = statistics.UnitFigures(selected.Code, new JalaliPeriod(1405, 7)).Where(f => f.Kind == FigureKind.Imputed).Sum(f => f.Value);
            Assert.That(product.GetProperty("month").GetDecimal(), Is.EqualTo(registered + imputed), selected.Code);
            Assert.That(product.GetProperty("monthImputed").GetDecimal(), Is.EqualTo(imputed), selected.Code);
            Assert.That(product.GetProperty("monthYearEarlier").ValueKind, Is.EqualTo(JsonValueKind.Number), "1404-07 is in the demo's history");
            imputedSomewhere |= imputed > 0;
        }

        Assert.That(imputedSomewhere, "the demo has units without a registered figure in 1405-07");
        var text = await CliRunner.RunAsync("statistics", "--period", "1405-07", "--province", "tehran", "--db", DatabaseSetting);
        Assert.That(text.Output, Does.Contain("province tehran").And.Contain("cement"));
    }

    [Test]
    public async Task Publish_numbers_the_periods_publications_and_a_wrong_period_or_province_is_named()
    {
        var load = await CliRunner.RunAsync("demo-data", "--units", "100", "--db", DatabaseSetting);
        Assert.That(load.ExitCode, Is.EqualTo(0), load.Error);

        var first = await CliRunner.RunAsync("statistics", "publish", "--period", "1405-07", "--db", DatabaseSetting);
        var second = await CliRunner.RunAsync("statistics", "publish", "--period", "1405-07", "--db", DatabaseSetting);
        var unopened = await CliRunner.RunAsync("statistics", "--period", "1409-01", "--db", DatabaseSetting);
        var province = await CliRunner.RunAsync("statistics", "--period", "1405-07", "--province", "atlantis", "--db", DatabaseSetting);

        Assert.That((first.ExitCode, second.ExitCode), Is.EqualTo((0, 0)), first.Error + second.Error);
        Assert.That(first.Output, Does.Contain("publication 1"));
        Assert.That(second.Output, Does.Contain("publication 2").And.Contain("0 figures revised"));
        Assert.That((unopened.ExitCode, unopened.Error), Is.EqualTo((2, "Period 1409-01 has not been opened in this database; there are no figures for it.\n")));
        Assert.That(province.Error, Does.StartWith("There is no province 'atlantis'"));
        await using var connection = await Database.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM statistics_publications WHERE period = '1405-07'"), Is.EqualTo(2));
    }
}
