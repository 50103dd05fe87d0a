using BatchEngine.Data.Calendar;
using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Statistics;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Statistics;

/// <summary>Publications of the monthly table (issue #19): numbered, frozen, and a later one lists what it revised.</summary>
public sealed class PublicationTests(string store) : StoreTest(store)
{
    private static readonly JalaliPeriod Period = new(1404, 7);
    private static readonly DateTime Now = new(2025, 11, 5, 8, 0, 0, DateTimeKind.Utc);
    private static readonly StatisticsOptions Options = new()
    {
        Products = [new SelectedProduct { Code = "cement", Name = "سیمان", UnitOfMeasure = "تن", ProductCodes = ["2394-01"] }],
    };

    private ReturnStore _returns = null!;
    private long _first, _second;

    [SetUp]
    public async Task SeedAsync()
    {
        var seed = await new Seed(Database).BasicsAsync();
        _returns = new ReturnStore(Database);
        await seed.OpenPeriodAsync(new JalaliPeriod(1404, 7));
        _first = await seed.UnitAsync("30000001");
        _second = await seed.UnitAsync("30000002");
        await RegisterAsync(_first, 100m);
    }

    [Test]
    public async Task A_publication_stays_as_published_and_the_next_lists_its_revisions()
    {
        var publishing = new StatisticsPublishing(Database, Options);
        var first = await publishing.PublishAsync(Period, provisional: false, "وزارت", Now);

        await RegisterAsync(_second, 40m);
        var second = await publishing.PublishAsync(Period, provisional: false, "وزارت", Now.AddDays(3));
        var firstAgain = await publishing.ReadAsync(first.Publication);

        Assert.That((first.Publication.Number, second.Publication.Number), Is.EqualTo((1, 2)));
        Assert.That(firstAgain.Table.National.Single().Month.Value, Is.EqualTo(100m), "a published table never changes");
        Assert.That(firstAgain.Table.National.Single().Expected, Is.EqualTo(2));
        Assert.That(first.Revisions, Is.Empty, "the first publication revises nothing");
        Assert.That(second.Table.National.Single().Month.Value, Is.EqualTo(140m));
        var revised = second.Revisions.Where(r => r.Measure == "PRODUCTION").Select(r => (r.Province, r.Before, r.After, r.Change)).ToList();
        Assert.That(revised, Is.EquivalentTo(new (string?, decimal?, decimal?, decimal?)[] { (null, 100m, 140m, 40m), ("tehran", 100m, 140m, 40m) }));
        Assert.That(second.Revisions.Where(r => r.Measure == "PRODUCTION_YTD").Select(r => r.After), Is.EquivalentTo(new decimal?[] { 140m, 140m }));
        Assert.That((await publishing.OfPeriodAsync(Period)).Select(p => (p.Number, p.PublishedBy, p.PublishedAt)),
            Is.EqualTo(new[] { (1, "وزارت", Now), (2, "وزارت", Now.AddDays(3)) }));
    }

    [Test]
    public async Task Publishing_again_with_nothing_new_revises_nothing()
    {
        var publishing = new StatisticsPublishing(Database, Options);
        await publishing.PublishAsync(Period, provisional: false, "وزارت", Now);

        var again = await publishing.PublishAsync(Period, provisional: false, "وزارت", Now.AddHours(1));

        Assert.That((again.Publication.Number, again.Revisions.Count), Is.EqualTo((2, 0)));
    }

    private async Task RegisterAsync(long unit, decimal cement)
    {
        var saved = await _returns.SaveAsync(unit, new JalaliPeriod(1404, 7), new ReturnFigures(5, [new ReturnLine { ProductCode = "2394-01", Production = cement }]),
            Actor.Liaison("رابط", unit), submit: true, null, Seed.LateFrom.AddDays(-1));
        var forwarded = await _returns.TransitionAsync(saved.Id, saved.Version, ReturnState.ForwardedToMinistry, Actor.ProvincialExpert("کارشناس", "tehran"), null,
            Seed.LateFrom);
        await _returns.TransitionAsync(forwarded.Id, forwarded.Version, ReturnState.Registered, Actor.MinistryExpert("وزارت"), null, Seed.LateFrom.AddHours(1));
    }
}
