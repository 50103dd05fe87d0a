using System.Text;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Register;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Register;

/// <summary>A database as the migrations leave it, before any demo: the reference data is there and a real register loads.</summary>
[Category(Categories.Process)]
public sealed class FreshDatabaseTests(string store) : StoreTest(store)
{
    [Test]
    public async Task A_fresh_database_has_the_31_provinces_and_takes_a_register_with_no_demo_step()
    {
        var provinces = await new RegisterStore(Database).ProvincesAsync();
        Assert.That(provinces, Has.Count.EqualTo(31));
        Assert.That(provinces.Single(p => p.Code == "sistan-baluchestan").Name, Is.EqualTo("سیستان و بلوچستان"));

        var products = Write("products.csv", "code,name,unit_of_measure,isic\n2394-01,سیمان پرتلند,تن,2394\n");
        var units = Write("units.csv", "licence_no,name,isic,products\n17000001,سیمان نمونه کرمان,2394,2394-01\n");
        var loadedProducts = await CliRunner.RunAsync("register", "import", products, "--kind", "products", "--db", DatabaseSetting, "--data", TempDirectory);
        var loadedUnits = await CliRunner.RunAsync("register", "import", units, "--kind", "units", "--province", "kerman", "--db", DatabaseSetting, "--data", TempDirectory);

        Assert.That(loadedProducts.ExitCode, Is.Zero, loadedProducts.Output + loadedProducts.Error);
        Assert.That(loadedUnits.ExitCode, Is.Zero, loadedUnits.Output + loadedUnits.Error);
        Assert.That((await new RegisterStore(Database).FindUnitByLicenceAsync("17000001"))!.ProvinceCode, Is.EqualTo("kerman"));
        Assert.That(await new RegisterStore(Database).CountUnitsAsync(), Is.EqualTo(1), "no demo units");
    }

    [Test]
    public async Task Going_live_from_nothing_first_admin_register_files_and_a_first_tick_mid_period()
    {
        Task<CliResult> Cli(params string[] args) => CliRunner.RunAsync([.. args, "--db", DatabaseSetting, "--data", TempDirectory]);

        Assert.That((await Cli("migrate")).ExitCode, Is.Zero);
        var admin = await Cli("users", "add", "it-admin", "--role", "admin", "--display-name", "مدیر فناوری");
        Assert.That(admin.ExitCode, Is.Zero, admin.Error);
        var password = admin.Output.Split("One-time password: ")[1].Split(' ')[0];
        var account = await new UserAccounts(Database).VerifyAsync("it-admin", password);
        Assert.That(account, Has.Property("Role").EqualTo(Role.Admin).And.Property("MustChangePassword").True);
        var again = await Cli("users", "add", "it-admin", "--role", "admin");
        Assert.That((again.ExitCode, again.Error), Is.EqualTo((2, "User it-admin already exists; an admin resets a password on the dashboard's users page.\n")));
        Assert.That((await Cli("users", "add", "x", "--role", "provincial-expert")).ExitCode, Is.EqualTo(2), "a provincial expert needs a province");

        foreach (var (kind, province, text) in new[]
        {
            ("products", null, "code,name,unit_of_measure,isic\n2394-01,سیمان پرتلند,تن,2394\n"),
            ("units", "kerman", "licence_no,name,isic,products\n17000001,سیمان نمونه کرمان,2394,2394-01\n17000002,سیمان دوم کرمان,2394,2394-01\n"),
            ("liaisons", "kerman", "licence_no,name,mobile,email\n17000001,رابط یکم,,one@example.com\n17000002,رابط دوم,,two@example.com\n"),
            ("users", "kerman", "user_name,display_name,role,province\nkerman-expert,کارشناس کرمان,ProvincialExpert,kerman\n"),
        })
        {
            string[] scope = province is null ? [] : ["--province", province];
            var loaded = await Cli(["register", "import", Write($"{kind}.csv", text), "--kind", kind, .. scope]);
            Assert.That(loaded.ExitCode, Is.Zero, kind + ": " + loaded.Output + loaded.Error);
        }

        // The register was loaded on 4 Azar (the command line's clock), while Aban was open: its units are expected from
        // Azar on. The engine's first tick, mid-period on 5 Dey: Azar is open, its first stage is due, nothing earlier exists.
        var tick = await Cli("tick", "--now", "1405-10-05T09:30");
        Assert.That(tick.ExitCode, Is.Zero, tick.Error);
        Assert.That(tick.Output, Does.Contain("opened period 1405-09").And.Contain("1405-09/reminder-1: 2 reminder(s) to send").And.Not.Contain("flagged"));
        Assert.That(await new BatchEngine.Data.Periods.PeriodStore(Database).FirstCollectedAsync(), Is.EqualTo(new JalaliPeriod(1405, 9)));
        Assert.That(await new RegisterStore(Database).CountUnitsAsync(), Is.EqualTo(2), "no demo anywhere");
        Assert.That((await new UserAccounts(Database).ListAsync(null)).Select(u => u.UserName).Order(), Is.EqualTo(new[] { "it-admin", "kerman-expert" }));
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(TempDirectory, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }
}
