using BatchEngine.Data.Calendar;
using BatchEngine.Data.Flags;
using BatchEngine.Data.Periods;
using BatchEngine.Data.Register;
using BatchEngine.Data.Returns;
using BatchEngine.Tests.Infrastructure;
using Dapper;

namespace BatchEngine.Tests.Data;

/// <summary>Every table written and read back through the product's own queries, on both stores.</summary>
public sealed class RoundTripTests(string store) : StoreTest(store)
{
    [Test]
    public async Task Register_tables_round_trip()
    {
        var seed = await new Seed(Database).BasicsAsync();
        var unitId = await seed.UnitAsync("23000001", products: ["2394-01", "1050-01"]);
        var liaisonId = await seed.LiaisonAsync(unitId, "علی رضایی", "a@example.com", "09121234567");
        await seed.LiaisonAsync(unitId, "سارا نوری", null, "09351234567");

        var provinces = await seed.Register.ProvincesAsync();
        Assert.That(provinces, Has.Count.EqualTo(31), "the migrations' provinces");
        Assert.That(provinces.Where(p => p.Code is "isfahan" or "ilam").Select(p => (p.Code, p.Name)),
            Is.EqualTo(new[] { ("ilam", "ایلام"), ("isfahan", "اصفهان") }));
        var products = await seed.Register.ProductsAsync();
        Assert.That(products.Single(p => p.Code == "2394-01"), Has.Property("Name").EqualTo("سیمان").And.Property("UnitOfMeasure").EqualTo("تن").And.Property("Isic").EqualTo("2394"));

        var unit = (await seed.Register.FindUnitAsync(unitId))!;
        Assert.That(unit.LicenceNo, Is.EqualTo("23000001"));
        Assert.That(unit.Name, Is.EqualTo("واحد 23000001"));
        Assert.That(unit.ProvinceCode, Is.EqualTo("tehran"));
        Assert.That(unit.Status, Is.EqualTo(UnitStatus.Active));
        Assert.That(unit.CreatedAt, Is.EqualTo(Seed.Opens.AddYears(-1)));
        Assert.That(unit.CreatedAt.Kind, Is.EqualTo(DateTimeKind.Utc));
        Assert.That((await seed.Register.FindUnitByLicenceAsync("23000001"))!.Id, Is.EqualTo(unitId));
        Assert.That((await seed.Register.UnitProductsAsync(unitId)).Select(p => p.Code), Is.EqualTo(new[] { "1050-01", "2394-01" }));

        var liaisons = await seed.Register.LiaisonsAsync(unitId);
        Assert.That(liaisons, Has.Count.EqualTo(2));
        Assert.That(liaisons[0], Has.Property("Id").EqualTo(liaisonId).And.Property("Email").EqualTo("a@example.com").And.Property("Mobile").EqualTo("09121234567"));
        Assert.That(liaisons[1].Email, Is.Null);
    }

    [Test]
    public async Task A_unit_licence_is_unique()
    {
        var seed = await new Seed(Database).BasicsAsync();
        await seed.UnitAsync("23000001");
        var error = Assert.ThrowsAsync(Is.InstanceOf<Exception>(), () => seed.UnitAsync("23000001"))!;
        Assert.That(Database.Dialect.IsUniqueViolation(error), Is.True);
    }

    [Test]
    public async Task Users_keep_only_a_hash_that_verifies_the_password()
    {
        var seed = await new Seed(Database).BasicsAsync();
        var unitId = await seed.UnitAsync("23000001");
        var accounts = new UserAccounts(Database);
        await accounts.CreateAsync(new User { UserName = "liaison", DisplayName = "رابط", Role = Role.Liaison, UnitId = unitId }, "s3cret-pass");
        await accounts.CreateAsync(new User { UserName = "expert", DisplayName = "کارشناس", Role = Role.ProvincialExpert, ProvinceCode = "tehran" }, "another-pass");

        var user = (await accounts.FindAsync("liaison"))!;
        Assert.That(user.Role, Is.EqualTo(Role.Liaison));
        Assert.That(user.UnitId, Is.EqualTo(unitId));
        Assert.That(user.PasswordHash, Does.Not.Contain("s3cret"));
        Assert.That(user.PasswordHash.Length, Is.GreaterThan(40));
        Assert.That(await accounts.VerifyAsync("liaison", "s3cret-pass"), Is.Not.Null);
        Assert.That(await accounts.VerifyAsync("liaison", "wrong"), Is.Null);
        Assert.That(await accounts.VerifyAsync("nobody", "s3cret-pass"), Is.Null);
        Assert.That((await accounts.FindAsync("expert"))!.ProvinceCode, Is.EqualTo("tehran"));
    }

    [Test]
    public async Task A_user_must_have_the_scope_of_their_role()
    {
        await new Seed(Database).BasicsAsync();
        var accounts = new UserAccounts(Database);
        Assert.That(() => accounts.CreateAsync(new User { UserName = "x", DisplayName = "x", Role = Role.ProvincialExpert }, "p"),
            Throws.InstanceOf<System.Data.Common.DbException>());
        Assert.That(() => accounts.CreateAsync(new User { UserName = "y", DisplayName = "y", Role = Role.Liaison, ProvinceCode = "tehran" }, "p"),
            Throws.InstanceOf<System.Data.Common.DbException>());
    }

    [Test]
    public async Task Periods_returns_lines_history_and_flags_round_trip_with_exact_decimals()
    {
        var seed = await new Seed(Database).BasicsAsync();
        var unitId = await seed.UnitAsync("23000001");
        await seed.OpenPeriodAsync(new JalaliPeriod(1404, 6));
        Assert.That(await new PeriodStore(Database).OpenAsync(new JalaliPeriod(1404, 6), Seed.Opens, Seed.LateFrom, Seed.Opens), Is.False, "opening twice changes nothing");
        var period = (await new PeriodStore(Database).FindAsync(new JalaliPeriod(1404, 6)))!;
        Assert.That((period.OpensAt, period.LateFrom), Is.EqualTo((Seed.Opens, Seed.LateFrom)));

        var figures = new ReturnFigures(312, [
            new ReturnLine { ProductCode = "2394-01", Production = 1234567890123.4567m, Sales = 0.0001m, ExportQty = 12.5m, ExportValueUsd = 99999999.99m },
            new ReturnLine { ProductCode = "2410-02", Production = 0m },
        ]);
        var at = Seed.Opens.AddDays(3).AddMilliseconds(123);
        var saved = await new ReturnStore(Database).SaveAsync(unitId, new JalaliPeriod(1404, 6), figures, Actor.Liaison("علی", unitId), submit: true, null, at);

        var store = new ReturnStore(Database);
        var read = (await store.GetAsync(saved.Id))!;
        Assert.That(read.State, Is.EqualTo(ReturnState.Submitted));
        Assert.That(read.Employees, Is.EqualTo(312));
        Assert.That(read.SubmittedAt, Is.EqualTo(at));
        Assert.That(read.Late, Is.False);
        Assert.That(read.Version, Is.EqualTo(1));
        var lines = await store.LinesAsync(saved.Id);
        Assert.That(lines[0].Production, Is.EqualTo(1234567890123.4567m));
        Assert.That(lines[0].Sales, Is.EqualTo(0.0001m));
        Assert.That(lines[0].ExportValueUsd, Is.EqualTo(99999999.99m));
        Assert.That(lines[1].Production, Is.EqualTo(0m));
        Assert.That(lines[1].Sales, Is.Null);

        var history = await store.HistoryAsync(saved.Id);
        Assert.That(history.Select(h => (h.FromState, h.ToState, h.Version)),
            Is.EqualTo(new (ReturnState?, ReturnState, int)[] { (null, ReturnState.Draft, 0), (ReturnState.Draft, ReturnState.Submitted, 1) }));
        Assert.That(history[1].Actor, Is.EqualTo("علی"));
        Assert.That(history[1].ActorRole, Is.EqualTo(ActorRole.Liaison));
        Assert.That(history[1].At, Is.EqualTo(at));

        var other = await seed.UnitAsync("23000002");
        Assert.That(await new MissedDeadlines(Database).FlagAsync(new JalaliPeriod(1404, 6), Seed.LateFrom), Is.EqualTo(1));
        await using var connection = await Database.OpenAsync();
        var flag = await connection.QuerySingleAsync<(long UnitId, string Period)>("SELECT unit_id, period FROM missed_deadline_flags");
        Assert.That(flag, Is.EqualTo((other, "1404-06")));
    }
}
