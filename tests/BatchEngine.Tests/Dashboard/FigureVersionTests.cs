using System.Text;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Periods;
using BatchEngine.Data.Register;
using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Tests.Calendar;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Dashboard;

/// <summary>Every version of a return's figures is kept, whoever changed them and however, and the return's page shows what changed.</summary>
[Category(Categories.Process)]
public sealed class FigureVersionTests(string store) : StoreTest(store)
{
    [Test]
    public async Task Submit_return_edit_resubmit_and_an_upload_each_keep_a_version_and_the_page_shows_the_changes()
    {
        var seed = await new Seed(Database).BasicsAsync();
        var unit = await seed.UnitCreatedAsync("23000009", new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), products: ["2394-01"]);
        var schedule = CalendarFixtures.Create().For(new JalaliPeriod(1405, 8));
        await new PeriodStore(Database).OpenAsync(new JalaliPeriod(1405, 8), schedule.OpensAt.UtcDateTime, schedule.LateFrom.UtcDateTime, schedule.OpensAt.UtcDateTime);
        var accounts = new UserAccounts(Database);
        await accounts.CreateAsync(new User { UserName = "tehran-expert", DisplayName = "کارشناس تهران", Role = Role.ProvincialExpert, ProvinceCode = "tehran" }, DashboardClient.Password);

        var returns = new ReturnStore(Database);
        var liaison = Actor.Liaison("رابط نمونه", unit);
        var at = CliRunner.DemoNow.UtcDateTime.AddDays(-1);
        ReturnFigures Figures(decimal production) => new(40, [new ReturnLine { ProductCode = "2394-01", Production = production, Sales = 90m }]);
        var submitted = await returns.SaveAsync(unit, new JalaliPeriod(1405, 8), Figures(100m), liaison, submit: true, null, at);
        var sentBack = await returns.TransitionAsync(submitted.Id, submitted.Version, ReturnState.ReturnedByProvince,
            Actor.ProvincialExpert("کارشناس تهران", "tehran"), "تولید را بررسی کنید", at);
        await returns.SaveAsync(unit, new JalaliPeriod(1405, 8), Figures(5m), liaison, submit: false, sentBack.Version, at);
        await returns.SaveAsync(unit, new JalaliPeriod(1405, 8), Figures(5m), liaison, submit: true, null, at);
        var file = Path.Combine(TempDirectory, "correction.csv");
        File.WriteAllText(file, "unit_id,period,product_code,production,sales,export_qty,export_value_usd,employees\n23000009,1405-08,2394-01,7,90,,,40\n",
            new UTF8Encoding(false));
        var upload = await CliRunner.RunAsync("import", file, "--province", "tehran", "--db", DatabaseSetting, "--data", TempDirectory);
        Assert.That(upload.ExitCode, Is.Zero, upload.Output + upload.Error);

        var versions = (await new FigureVersions(Database).OfAsync(submitted.Id)).GroupBy(v => v.Version).Select(g => g.ToList()).ToList();
        Assert.That(versions.Select(v => (v[0].Production, v[0].ActorRole, v[0].Source)), Is.EqualTo(new[]
        {
            (100m, ActorRole.Liaison, FigureVersions.Form), (5m, ActorRole.Liaison, FigureVersions.Form), (5m, ActorRole.Liaison, FigureVersions.Form),
            (7m, ActorRole.ProvincialOffice, versions[^1][0].Source),
        }));
        Assert.That(versions[^1][0].Source, Does.StartWith("upload "));
        Assert.That(FigureVersions.Diff(versions[0], versions[1]), Is.EqualTo(new[] { new FigureChange("2394-01", "production", 100m, 5m) }));
        Assert.That(FigureVersions.Diff(versions[1], versions[2]), Is.Empty);

        await using var factory = new DashboardFactory(TempDirectory, DatabaseSetting);
        using var expert = await DashboardClient.SignedInAsync(factory, "tehran-expert");
        var page = await expert.GetStringAsync($"/returns/{submitted.Id}");
        Assert.That(page, Does.Contain("نسخه‌های ارقام").And.Contain("تولید: از ۱۰۰ به ۵").And.Contain("تولید: از ۵ به ۷")
            .And.Contain("بدون تغییر در ارقام").And.Contain("بارگذاری فایل").And.Contain("فرم رابط"));
    }
}
