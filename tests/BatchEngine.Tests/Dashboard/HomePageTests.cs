using System.Net;
using BatchEngine.Data.Register;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Dashboard;

/// <summary>The host's first start on an empty database: migrate, demo data, the Persian home page, /health.</summary>
[Category(Categories.Process)]
public sealed class HomePageTests(string store) : StoreTest(store)
{
    [Test]
    public async Task First_start_loads_the_demo_data_and_serves_the_persian_home_page()
    {
        await using var factory = new DashboardFactory(TempDirectory, DatabaseSetting);
        using var anonymous = DashboardClient.Create(factory);
        Assert.That((await anonymous.GetAsync("/")).Headers.Location?.ToString(), Does.StartWith("http://localhost/signin"), "signed out: to the sign-in page");
        using var client = await DashboardClient.SignedInAsync(factory, "ministry");

        var response = await client.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("<html lang=\"fa\" dir=\"rtl\">"));
        Assert.That(html, Does.Contain("دوره جاری:"), "the current period");
        Assert.That(html, Does.Contain("مهلت ثبت آمار"));
        Assert.That(html, Does.Match("data-state=\"Submitted\"><td>[^<]+</td><td>[۰-۹٬]+</td>"), "counts in Persian digits");
        Assert.That(await new RegisterStore(Database).CountUnitsAsync(), Is.EqualTo(200));

        var health = await client.GetAsync("/health");
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await health.Content.ReadAsStringAsync(), Is.EqualTo("Healthy"));
    }

    [Test]
    public async Task A_second_start_keeps_the_data_it_has()
    {
        await using (var first = new DashboardFactory(TempDirectory, DatabaseSetting))
        {
            using var client = first.CreateClient();
            await client.GetAsync("/health");
        }

        await using var second = new DashboardFactory(TempDirectory, DatabaseSetting, demoUnits: 999);
        using var again = second.CreateClient();
        Assert.That((await again.GetAsync("/health")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await new RegisterStore(Database).CountUnitsAsync(), Is.EqualTo(200));
    }
}
