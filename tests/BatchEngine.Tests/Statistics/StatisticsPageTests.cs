using System.Net;
using System.Text.Json;
using BatchEngine.Tests.Infrastructure;
using Dapper;

namespace BatchEngine.Tests.Statistics;

/// <summary>The statistics page, its files and its JSON API: who sees what, and who publishes (issue #19).</summary>
[Category(Categories.Process)]
public sealed class StatisticsPageTests(string store) : StoreTest(store)
{
    [Test]
    public async Task The_api_gives_the_table_and_a_provincial_expert_sees_the_country_and_their_province_only()
    {
        await using var factory = new DashboardFactory(TempDirectory, DatabaseSetting);
        using var ministry = await DashboardClient.SignedInAsync(factory, "ministry");
        using var expert = await DashboardClient.SignedInAsync(factory, "tehran-expert");
        using var liaison = await DashboardClient.SignedInAsync(factory, "tehran-liaison");

        var national = JsonDocument.Parse(await ministry.GetStringAsync("/api/statistics?period=1405-07")).RootElement;
        var products = national.GetProperty("products").EnumerateArray().ToList();
        Assert.That(products, Has.Count.EqualTo(30));
        Assert.That(products.Select(p => p.GetProperty("month").GetDecimal()).Sum(), Is.GreaterThan(0m));
        Assert.That((await expert.GetAsync("/api/statistics?period=1405-07&province=tehran")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await expert.GetAsync("/api/statistics?period=1405-07")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await expert.GetAsync("/api/statistics?period=1405-07&province=isfahan")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await liaison.GetAsync("/api/statistics?period=1405-07")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var wrong = await ministry.GetAsync("/api/statistics?period=1499-01");
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await wrong.Content.ReadAsStringAsync(), Does.Contain("1499-01").And.Contain("باز نشده"));
    }

    [Test]
    public async Task The_files_hold_what_the_viewer_may_see_under_Persian_headers_and_SDMX_statuses()
    {
        await using var factory = new DashboardFactory(TempDirectory, DatabaseSetting);
        using var expert = await DashboardClient.SignedInAsync(factory, "tehran-expert");

        var csv = await expert.GetStringAsync("/statistics?period=1405-07&handler=csv");
        var sdmx = await expert.GetStringAsync("/statistics?period=1405-07&handler=sdmx");
        var page = await expert.GetAsync("/statistics?period=1405-07&province=isfahan");

        var lines = csv.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Does.StartWith("دوره,محصول,کد محصول"));
        Assert.That(lines.Skip(1).Select(l => l.Split(',')[4]).Distinct(), Is.EquivalentTo(new[] { "کل کشور", "تهران" }));
        var sdmxRows = sdmx.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(sdmxRows[0], Is.EqualTo("STRUCTURE,STRUCTURE_ID,ACTION,TIME_PERIOD,REF_AREA,PRODUCT,MEASURE,OBS_VALUE,UNIT_MEASURE,OBS_STATUS"));
        Assert.That(sdmxRows.Skip(1).Select(r => r.Split(',')[4]).Distinct(), Is.EquivalentTo(new[] { "IR", "tehran" }));
        Assert.That(sdmxRows.Skip(1).Select(r => r.Split(',')[^1]).Distinct(), Is.SubsetOf(new[] { "A", "E", "P" }));
        Assert.That(sdmxRows.Skip(1).Any(r => r.EndsWith(",E", StringComparison.Ordinal)), "the demo has imputed figures");
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "another province's table");
    }

    [Test]
    public async Task Only_the_ministry_publishes()
    {
        await using var factory = new DashboardFactory(TempDirectory, DatabaseSetting);
        using var expert = await DashboardClient.SignedInAsync(factory, "tehran-expert");
        using var ministry = await DashboardClient.SignedInAsync(factory, "ministry");
        var form = new Dictionary<string, string> { ["period"] = "1405-07", ["provisional"] = "false" };

        var refused = await DashboardClient.PostFormAsync(expert, "/statistics?handler=publish", form, tokenFrom: "/statistics?period=1405-07");
        var published = await DashboardClient.PostFormAsync(ministry, "/statistics?handler=publish", form, tokenFrom: "/statistics?period=1405-07");

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(published.Headers.Location?.ToString(), Is.EqualTo("/statistics?period=1405-07&publication=1"));
        await using var connection = await Database.OpenAsync();
        Assert.That(await connection.QueryAsync<string>("SELECT published_by FROM statistics_publications"), Is.EqualTo(new[] { "کارشناس وزارت صمت (ministry)" }), "who published, once");
        var shown = await ministry.GetStringAsync("/statistics?period=1405-07&publication=1");
        Assert.That(shown, Does.Contain("انتشار شمارهٔ ۱"));
    }
}
