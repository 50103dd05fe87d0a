using System.Globalization;
using System.Text;
using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Imports;
using BatchEngine.Data.Register;
using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Demo;
using BatchEngine.Jobs.Import;
using BatchEngine.Tests.Infrastructure;
using Dapper;

namespace BatchEngine.Tests.Import;

/// <summary>
/// A small province for import tests: Tehran units 23000001 (two products, one with a Persian code) and 23000002,
/// a closed Tehran unit 23000003, an Isfahan unit 31000001; periods 1404-06 (deadline passed at <see cref="Now"/>)
/// and 1404-07 (not yet).
/// </summary>
public sealed class ImportFixture(Database database, string folder)
{
    public const string PersianProduct = "کاشی-01";
    public static readonly DateTime Now = Seed.LateFrom.AddDays(3);

    public static Encoding Windows1256
    {
        get
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding(1256);
        }
    }

    public long Unit1 { get; private set; }
    public long Unit2 { get; private set; }
    public Seed Seed { get; } = new(database);

    public async Task<ImportFixture> CreateAsync()
    {
        await Seed.BasicsAsync();
        await Seed.Register.UpsertProductsAsync([new Product { Code = PersianProduct, Name = "کاشی", UnitOfMeasure = "متر مربع", Isic = "2392" }]);
        Unit1 = await Seed.UnitAsync("23000001", products: ["2394-01", PersianProduct]);
        Unit2 = await Seed.UnitAsync("23000002", products: ["2394-01"]);
        await Seed.UnitAsync("23000003", status: UnitStatus.Closed);
        await Seed.UnitAsync("31000001", province: "isfahan");
        await Seed.OpenPeriodAsync(new JalaliPeriod(1404, 6));
        await Seed.OpenPeriodAsync(new JalaliPeriod(1404, 7), 1);
        return this;
    }

    /// <summary>Adds <paramref name="count"/> Tehran units with two products each, at bulk speed.</summary>
    public async Task<IReadOnlyList<FileUnit>> ManyUnitsAsync(int count)
    {
        var units = Enumerable.Range(0, count)
            .Select(i => new FileUnit((24_000_000 + i).ToString(CultureInfo.InvariantCulture), ["2394-01", "2410-02"]))
            .ToList();
        await Seed.Units.AddUnitsAsync(units.Select(u => (new Unit
        {
            LicenceNo = u.LicenceNo, Name = "واحد " + u.LicenceNo, ProvinceCode = "tehran", Isic = "2394", Status = UnitStatus.Active,
            CreatedAt = Seed.Opens.AddYears(-1),
        }, u.Products)).ToList());
        return units;
    }

    public string WriteReturns(string name, IEnumerable<FileUnit> units, IReadOnlyList<string> periods, double errorShare = 0)
    {
        var path = Path.Combine(folder, name);
        using var writer = new StreamWriter(path);
        DemoReturnsFile.Write(writer, units, periods, errorShare, seed: 7);
        return path;
    }

    public string Write(string name, string text, Encoding? encoding = null)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text, encoding ?? new UTF8Encoding(false));
        return path;
    }

    public UploadImport Importer(ImportOptions? options = null) =>
        new(database, options ?? new ImportOptions(), Path.Combine(folder, "uploads"), new FixedTime(new DateTimeOffset(Now, TimeSpan.Zero)));

    public Task<UploadResult> ImportAsync(string path, ImportOptions? options = null) =>
        Importer(options).ImportAsync(path, "tehran", dryRun: false, "office:tehran");

    public async Task<ImportSummary> DryRunAsync(string path, string? report = null)
    {
        var file = await CsvFile.ScanAsync(path, new ImportOptions().MaxFileBytes);
        return await new ReturnsImport(database, new ImportOptions(), new FixedTime(new DateTimeOffset(Now, TimeSpan.Zero)))
            .RunAsync(file, "tehran", null, dryRun: true, report, Actor.ProvincialOffice("office:tehran", "tehran"));
    }

    public async Task<Return?> ReturnAsync(long unit, JalaliPeriod period) => await new ReturnStore(database).FindAsync(unit, period);

    public async Task<IReadOnlyList<ReturnLine>> LinesAsync(long unit, JalaliPeriod period) =>
        await ReturnAsync(unit, period) is { } r ? await new ReturnStore(database).LinesAsync(r.Id) : [];

    public async Task<int> CountAsync(string sql, object? parameters = null)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<int>(sql, parameters);
    }
}
