using System.Text;
using BatchEngine.Data.Register;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Register;

/// <summary>A database as the migrations leave it, before any demo: the reference data is there and a real register loads.</summary>
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

    private string Write(string name, string text)
    {
        var path = Path.Combine(TempDirectory, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }
}
