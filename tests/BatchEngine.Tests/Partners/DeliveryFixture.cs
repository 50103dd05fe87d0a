using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Register;
using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Partners;
using BatchEngine.Jobs.Statistics;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Partners;

/// <summary>Registered returns to deliver: Tehran units with cement, steel and a petroleum product; periods 1404-06 and 1404-07.</summary>
public sealed class DeliveryFixture(Database database, string folder)
{
    public static readonly DateTimeOffset Now = new(2025, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly ReturnStore _returns = new(database);
    private readonly Actor _expert = Actor.ProvincialExpert("کارشناس تهران", "tehran");
    private readonly Actor _ministry = Actor.MinistryExpert("کارشناس وزارت");

    public Seed Seed { get; } = new(database);
    /// <summary>The selected products of the statistics a partner may receive: cement alone.</summary>
    public static readonly StatisticsOptions Statistics = new()
    {
        Products = [new SelectedProduct { Code = "cement", Name = "سیمان", UnitOfMeasure = "تن", ProductCodes = ["2394-01"] }],
    };

    public PartnerDelivery Delivery { get; } = new(database, folder, Statistics);

    public async Task<DeliveryFixture> CreateAsync()
    {
        await Seed.BasicsAsync();
        await Seed.Register.UpsertProductsAsync([new Product { Code = "1920-03", Name = "قیر", UnitOfMeasure = "تن", Isic = "1920" }]);
        await Seed.OpenPeriodAsync(new JalaliPeriod(1404, 6));
        await Seed.OpenPeriodAsync(new JalaliPeriod(1404, 7), 1);
        return this;
    }

    public Task<long> UnitAsync(string licence, params string[] products) => Seed.UnitAsync(licence, products: products);

    /// <summary>Carries a return through submission, the province and the ministry to Registered.</summary>
    public async Task<Return> RegisterAsync(long unit, JalaliPeriod period, params (string Product, decimal Production)[] lines)
    {
        var figures = new ReturnFigures(50, lines.Select(l => new ReturnLine { ProductCode = l.Product, Production = l.Production, Sales = l.Production / 2 }).ToList());
        var current = await _returns.FindAsync(unit, period);
        var submitted = await _returns.SaveAsync(unit, period, figures, Actor.Liaison("رابط", unit), submit: true, current?.Version, Seed.Opens.AddDays(2));
        var forwarded = await _returns.TransitionAsync(submitted.Id, submitted.Version, ReturnState.ForwardedToMinistry, _expert, null, Seed.Opens.AddDays(3));
        return await _returns.TransitionAsync(forwarded.Id, forwarded.Version, ReturnState.Registered, _ministry, null, Seed.Opens.AddDays(4));
    }

    /// <summary>The ministry reopens a registered return, the province sends it back to the liaison, who corrects it; registered again.</summary>
    public async Task<Return> CorrectAsync(Return registered, params (string Product, decimal Production)[] lines)
    {
        var reopened = await _returns.TransitionAsync(registered.Id, registered.Version, ReturnState.ReturnedByMinistry, _ministry, "رقم تولید اشتباه است", Seed.Opens.AddDays(5));
        await _returns.TransitionAsync(reopened.Id, reopened.Version, ReturnState.ReturnedByProvince, _expert, "اصلاح شود", Seed.Opens.AddDays(5));
        return await RegisterAsync(registered.UnitId, registered.Period, lines);
    }

    public static PartnerOptions Partner(string name, DeliveryFormat format = DeliveryFormat.Csv, PartnerTransportOptions? transport = null) => new()
    {
        Name = name,
        Title = name,
        Format = format,
        Transport = transport ?? new PartnerTransportOptions(),
        RetryBaseSeconds = 1,
    };
}
