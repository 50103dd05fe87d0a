using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Periods;
using BatchEngine.Data.Register;

namespace BatchEngine.Tests.Infrastructure;

/// <summary>A small register for data tests: three products, units on demand (in the migrations' provinces), open periods.</summary>
public sealed class Seed(Database database)
{
    public static readonly DateTime Opens = new(2025, 9, 21, 20, 30, 0, DateTimeKind.Utc);
    public static readonly DateTime LateFrom = new(2025, 10, 2, 20, 30, 0, DateTimeKind.Utc);

    public RegisterStore Register { get; } = new(database);

    public RegisterSeed Units { get; } = new(database);

    public async Task<Seed> BasicsAsync()
    {
        await Register.UpsertProductsAsync([
            new Product { Code = "2394-01", Name = "سیمان", UnitOfMeasure = "تن", Isic = "2394" },
            new Product { Code = "2410-02", Name = "میلگرد", UnitOfMeasure = "تن", Isic = "2410" },
            new Product { Code = "1050-01", Name = "شیر", UnitOfMeasure = "تن", Isic = "1050" },
        ]);
        return this;
    }

    public Task<long> UnitAsync(string licence, string province = "tehran", UnitStatus status = UnitStatus.Active, params string[] products) =>
        UnitCreatedAsync(licence, Opens.AddYears(-1), province, status, products);

    public Task<long> UnitCreatedAsync(string licence, DateTime createdAt, string province = "tehran", UnitStatus status = UnitStatus.Active, params string[] products) =>
        Units.AddUnitAsync(
            new Unit { LicenceNo = licence, Name = "واحد " + licence, ProvinceCode = province, Isic = "2394", Status = status, CreatedAt = createdAt },
            products.Length == 0 ? ["2394-01", "2410-02"] : products);

    public Task<long> LiaisonAsync(long unitId, string name, string? email, string? mobile) =>
        Units.AddLiaisonAsync(new Liaison { UnitId = unitId, Name = name, Email = email, Mobile = mobile });

    /// <summary>Opens a period whose deadline is <see cref="LateFrom"/> shifted by whole months.</summary>
    public Task OpenPeriodAsync(JalaliPeriod period, int monthsLater = 0) =>
        new PeriodStore(database).OpenAsync(period, Opens.AddMonths(monthsLater), LateFrom.AddMonths(monthsLater), Opens.AddMonths(monthsLater));
}
