using System.Text;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Notifications;
using BatchEngine.Data.Register;
using BatchEngine.Data.Returns;
using BatchEngine.Data.Status;
using BatchEngine.Jobs.Register;
using BatchEngine.Tests.Import;
using BatchEngine.Tests.Infrastructure;
using Dapper;

namespace BatchEngine.Tests.Register;

/// <summary>Register files through the command line on each store: first load, the same again, changes, errors, partial files, closing.</summary>
[Category(Categories.Process)]
public sealed class RegisterImportTests(string store) : StoreTest(store)
{
    private Seed _seed = null!;

    [SetUp]
    public async Task SeedAsync() => _seed = await new Seed(Database).BasicsAsync();

    private Task<CliResult> CliAsync(params string[] args) => CliRunner.RunAsync([.. args, "--db", DatabaseSetting, "--data", TempDirectory]);

    private string Write(string name, string text, Encoding? encoding = null)
    {
        var path = Path.Combine(TempDirectory, name);
        File.WriteAllText(path, text, encoding ?? new UTF8Encoding(false));
        return path;
    }

    private async Task<int> CountAsync(string sql)
    {
        await using var connection = await Database.OpenAsync();
        return await connection.ExecuteScalarAsync<int>(sql);
    }

    [Test]
    public async Task A_units_file_loads_once_updates_what_changed_and_lists_but_keeps_units_it_leaves_out()
    {
        var first = Write("units.csv", """
            licence_no,name,isic,products
            24000001,سیمان نمونه,2394,2394-01
            24000002,فولاد نمونه,2410,2410-02 2394-01
            24000003,لبنیات نمونه,1050,1050-01
            """);
        var loaded = await CliAsync("register", "import", first, "--kind", "units", "--province", "tehran");
        var again = await CliAsync("register", "import", first, "--kind", "units", "--province", "tehran");
        var changed = Write("units-changed.csv", """
            licence_no;name;isic;products
            24000001;سیمان نمونه شمال;2394;2394-01
            24000002;فولاد نمونه;2410;2410-02 2394-01
            """);
        var partial = await CliAsync("register", "import", changed, "--kind", "units", "--province", "tehran");

        Assert.That(loaded.ExitCode, Is.Zero, loaded.Output + loaded.Error);
        Assert.That(loaded.Output, Does.Contain("created            3"));
        Assert.That(again.Output, Does.Contain("created            0").And.Contain("updated            0").And.Contain("unchanged          3"));
        Assert.That(partial.Output, Does.Contain("updated            1").And.Contain("not in the file (kept; close them if they no longer exist): 24000003"));
        var unit = (await _seed.Register.FindUnitByLicenceAsync("24000001"))!;
        Assert.That(unit.Name, Is.EqualTo("سیمان نمونه شمال"));
        Assert.That(await _seed.Register.FindUnitByLicenceAsync("24000003"), Is.Not.Null, "never deleted");
        Assert.That((await _seed.Register.UnitProductsAsync((await _seed.Register.FindUnitByLicenceAsync("24000002"))!.Id)).Select(p => p.Code),
            Is.EquivalentTo(new[] { "2410-02", "2394-01" }));
        var history = await new RegisterHistory(Database).OfAsync("Unit", "24000001");
        Assert.That(history.Select(h => h.Action), Is.EqualTo(new[] { "Created", "Updated" }), "the second, unchanged load recorded nothing");
        Assert.That(history[1].Details, Is.EqualTo("name: سیمان نمونه → سیمان نمونه شمال"));
        Assert.That(history[1].Actor, Is.EqualTo("command line"));
    }

    [Test]
    public async Task A_units_file_gives_licensed_annual_capacities_and_a_bad_one_is_named()
    {
        var file = Write("capacities.csv", """
            licence_no,name,isic,products
            24000011,سیمان نمونه,2394,2394-01=۷۲۰٬۰۰۰ 2410-02
            24000012,فولاد نمونه,2410,2410-02=-5
            """);
        var changed = Write("capacities-changed.csv", """
            licence_no,name,isic,products
            24000011,سیمان نمونه,2394,2394-01=800000 2410-02
            """);

        var first = await CliAsync("register", "import", file, "--kind", "units", "--province", "tehran");
        var unit = (await _seed.Register.FindUnitByLicenceAsync("24000011"))!;
        var loaded = await Capacities.OfUnitsAsync(Database, [unit.Id]);
        await CliAsync("register", "import", changed, "--kind", "units", "--province", "tehran");
        var after = await Capacities.OfUnitsAsync(Database, [unit.Id]);

        Assert.That(first.Output, Does.Contain("2410-02=-5").And.Contain("not a positive number"));
        Assert.That(loaded, Is.EqualTo(new Dictionary<(long, string), decimal> { [(unit.Id, "2394-01")] = 720_000m }), "Persian digits and separators read; no capacity, none kept");
        Assert.That(after[(unit.Id, "2394-01")], Is.EqualTo(800_000m));
        var history = await new RegisterHistory(Database).OfAsync("Unit", "24000011");
        Assert.That(history.Select(h => h.Details), Is.EqualTo(new[] { "products: 2394-01=720000 2410-02", "products: 2394-01=720000 2410-02 → 2394-01=800000 2410-02" }));
    }

    [Test]
    public async Task Every_bad_row_is_named_and_the_good_rows_still_load()
    {
        await _seed.UnitAsync("31000001", province: "isfahan");
        var path = Write("bad.csv", """
            licence_no,name,isic,province,products
            24000001,خوب,2394,tehran,2394-01
            24000002,آیسیک بد,239,tehran,
            24000003,کالای ناشناخته,2394,tehran,9999-99
            24000004,استان دیگر,2394,isfahan,
            24000001,تکراری,2394,tehran,
            ,بی‌شماره,2394,tehran,
            """);
        var report = Path.Combine(TempDirectory, "errors.csv");

        var result = await CliAsync("register", "import", path, "--kind", "units", "--province", "tehran", "--report", report);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Output, Does.Contain("rows in error      5").And.Contain("created            1"));
        var lines = await File.ReadAllLinesAsync(report);
        Assert.That(lines.Skip(1).Select(l => string.Join(',', l.Split(',').Take(3))), Is.EqualTo(new[]
        {
            "3,isic,239", "4,products,9999-99", "5,province,isfahan", "6,licence_no,24000001", "7,licence_no,",
        }));
        Assert.That(lines[4], Does.Contain("نخستین بار در سطر ۲"));
        Assert.That(result.Output, Does.Contain("first on line 2"), "the command line says it in English");
    }

    [Test]
    public async Task A_Windows_1256_register_with_Arabic_letters_loads()
    {
        // Windows-1256 has Arabic letters (Excel on a Persian Windows writes ي and ك) but no Persian digits.
        var path = Write("excel.csv", "licence_no,name,isic\r\n24000009,شركت كاشي يزد,2392\r\n", ImportFixture.Windows1256);

        var result = await CliAsync("register", "import", path, "--kind", "units", "--province", "tehran");

        Assert.That(result.Output, Does.Contain("(Windows-1256)").And.Contain("created            1"), result.Output + result.Error);
        var unit = (await _seed.Register.FindUnitByLicenceAsync("24000009"))!;
        Assert.That((unit.Name, unit.Isic), Is.EqualTo(("شرکت کاشی یزد", "2392")), "Arabic ي/ك read as Persian ی/ک");
    }

    [Test]
    public async Task A_UTF_8_register_with_one_damaged_byte_is_refused_and_stores_no_garbled_name()
    {
        var path = Write("damaged.csv", "");
        await File.WriteAllBytesAsync(path, [.. "licence_no,name,isic\n24000009,شرکت کاشی یزد,2392\n24000010,"u8, 0xC0, .. "سیمان,2394\n"u8]);

        var result = await CliAsync("register", "import", path, "--kind", "units", "--province", "tehran");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output);
        Assert.That(result.Error, Does.Contain("line 3").And.Contain("not UTF-8"));
        Assert.That(await CountAsync("SELECT COUNT(*) FROM units"), Is.Zero);
    }

    [Test]
    public async Task Identifiers_lose_invisible_characters_names_keep_their_ZWNJ_and_values_have_maximum_lengths()
    {
        var path = Write("limits.csv", $"""
            licence_no,name,isic
            {"\u202B"}2400{"\u200B"}0011{"\u202C"},{"\u200F"}سیمان‌های نمونه{"\u00A0"},2394
            24000012,{new string('ن', 100_000)},2394
            {new string('7', 51)},کاشی,2394
            """);

        var result = await CliAsync("register", "import", path, "--kind", "units", "--province", "tehran");

        Assert.That(result.Output, Does.Contain("created            1"), result.Output + result.Error);
        Assert.That((await _seed.Register.FindUnitByLicenceAsync("24000011"))!.Name, Is.EqualTo("سیمان‌های نمونه"), "the ZWNJ inside the name stays");
        Assert.That(result.Output, Does.Contain("too long (100,000 characters); expected at most 200").And.Contain("too long (51 characters); expected at most 50"));
        Assert.That(await CountAsync("SELECT MAX(LENGTH(name)) FROM units"), Is.LessThanOrEqualTo(200));
    }

    [Test]
    public async Task A_liaison_who_leaves_is_kept_on_record_and_no_longer_reminded()
    {
        var unit = await _seed.UnitAsync("24000001");
        var first = Write("liaisons.csv", """
            licence_no,name,mobile,email,national_id
            24000001,رابط نخست,+98 912 345 6789,first@example.ir,0012345679
            24000001,رابط دوم,۰۹۱۲۰۰۰۰۰۰۱,,
            """);
        var second = Write("liaisons-2.csv", """
            licence_no,name,mobile,email
            24000001,رابط دوم,09120000001,
            24000001,رابط تازه,,new@example.ir
            """);
        var bad = Write("liaisons-bad.csv", """
            licence_no,name,mobile,email,national_id
            24000001,بد,0912,not-an-email,1234567890
            99999999,ناشناس,09120000002,,
            """);

        Assert.That((await CliAsync("register", "import", first, "--kind", "liaisons")).Output, Does.Contain("created            2"));
        var changed = await CliAsync("register", "import", second, "--kind", "liaisons");
        var refused = await CliAsync("register", "import", bad, "--kind", "liaisons");

        Assert.That(changed.Output, Does.Contain("created            1").And.Contain("unchanged          1").And.Contain("left their unit    1"));
        var liaisons = await _seed.Register.LiaisonsAsync(unit);
        Assert.That(liaisons.Select(l => (l.Name, l.Mobile, l.ActiveTo is null)), Is.EquivalentTo(new[]
        {
            ("رابط نخست", (string?)"09123456789", false), ("رابط دوم", "09120000001", true), ("رابط تازه", null, true),
        }), "the mobile normalised; the one who left kept");
        Assert.That(refused.Output, Does.Contain("line 2, mobile, '0912'").And.Contain("line 2, email, 'not-an-email'")
            .And.Contain("line 2, national_id, '1234567890'").And.Contain("line 3, licence_no, '99999999'"));

        await _seed.OpenPeriodAsync(new JalaliPeriod(1404, 6));
        var ledger = new ReminderLedger(Database);
        await ledger.CreateStageAsync(new JalaliPeriod(1404, 6), "reminder-1", Seed.Opens.AddDays(5), Seed.Opens.AddDays(5), Seed.Opens.AddDays(5));
        await using var connection = await Database.OpenAsync();
        await connection.ExecuteAsync("UPDATE reminders SET claim_token = 't'");
        var current = (await ledger.LiaisonsAsync("t"))[unit].Select(l => l.Name);
        Assert.That(current, Is.EquivalentTo(new[] { "رابط دوم", "رابط تازه" }), "reminders go to the liaisons current at sending time");
    }

    [Test]
    public async Task Users_get_a_first_password_to_change_and_a_disabled_user_cannot_sign_in()
    {
        await _seed.UnitAsync("24000001");
        var path = Write("users.csv", """
            user_name,display_name,role,province,licence_no,email,mobile,national_id
            tehran.expert2,کارشناس دوم,ProvincialExpert,tehran,,e2@example.ir,,
            unit.24000001,رابط واحد,liaison,,24000001,,09121111111,4987654326
            isfahan.x,کارشناس اصفهان,ProvincialExpert,isfahan,,,,
            """);

        var loaded = await CliAsync("register", "import", path, "--kind", "users", "--province", "tehran");
        var again = await CliAsync("register", "import", path, "--kind", "users", "--province", "tehran");

        Assert.That(loaded.Output, Does.Contain("created            2").And.Contain("line 4, role, 'ProvincialExpert': this file creates users of province tehran only"));
        Assert.That(again.Output, Does.Contain("unchanged          2").And.Not.Contain("first password"));
        var password = loaded.Output.Split('\n').Single(l => l.Contains("first password of tehran.expert2", StringComparison.Ordinal)).Split(": ")[1].Split(' ')[0];
        var accounts = new UserAccounts(Database);
        var signIn = await accounts.SignInAsync("tehran.expert2", password);
        Assert.That(signIn.User!.MustChangePassword, Is.True);
        Assert.That(await accounts.ChangePasswordAsync("tehran.expert2", password, "a-new-secret"), Is.Not.Null);
        Assert.That((await accounts.FindAsync("tehran.expert2"))!.MustChangePassword, Is.False);

        await accounts.SetDisabledAsync("tehran.expert2", true, "admin", new DateTime(2026, 11, 25, 0, 0, 0, DateTimeKind.Utc));
        var disabled = await accounts.SignInAsync("tehran.expert2", "a-new-secret");
        Assert.That((disabled.User, disabled.Disabled), Is.EqualTo(((User?)null, true)));
        Assert.That((await new RegisterHistory(Database).OfAsync("User", "tehran.expert2")).Select(h => h.Action), Is.EqualTo(new[] { "Created", "Disabled" }));
    }

    [Test]
    public async Task A_closed_unit_leaves_the_next_period_and_its_reminders_and_comes_back_when_reopened()
    {
        var staying = await _seed.UnitAsync("24000001");
        var closing = await _seed.UnitAsync("24000002");
        await _seed.LiaisonAsync(staying, "الف", "a@example.ir", null);
        await _seed.LiaisonAsync(closing, "ب", "b@example.ir", null);
        await _seed.OpenPeriodAsync(new JalaliPeriod(1404, 6));
        // Reported for 1404-06, then closed during it: it still owes 1404-06, not 1404-07.
        await new ReturnStore(Database).SaveAsync(closing, new JalaliPeriod(1404, 6), new ReturnFigures(3, [new ReturnLine { ProductCode = "2394-01", Production = 1m }]),
            Actor.Liaison("ب", closing), submit: true, null, Seed.Opens.AddDays(1));
        Assert.That((await CliAsync("register", "close", "--licence", "24000002", "--reason", "تعطیل شد", "--at", "2025-09-25T00:00:00Z")).ExitCode, Is.Zero);
        await _seed.OpenPeriodAsync(new JalaliPeriod(1404, 7), 1);

        var sixth = await new PeriodStatusQuery(Database).GetAsync(new JalaliPeriod(1404, 6), null, [new JalaliPeriod(1404, 6)], Seed.LateFrom.AddMonths(2));
        var seventh = await new PeriodStatusQuery(Database).GetAsync(new JalaliPeriod(1404, 7), null, [new JalaliPeriod(1404, 7)], Seed.LateFrom.AddMonths(2));
        var reminders = await new ReminderLedger(Database).CreateStageAsync(new JalaliPeriod(1404, 7), "reminder-1", Seed.Opens.AddMonths(1).AddDays(5), Seed.Opens.AddMonths(1).AddDays(5), Seed.Opens.AddMonths(1).AddDays(5));
        Assert.That((sixth.Expected, sixth.OnTime), Is.EqualTo((2, 1)));
        Assert.That(seventh.Expected, Is.EqualTo(1));
        Assert.That(reminders, Is.EqualTo(1), "only the open unit is reminded");

        var backdated = await CliAsync("register", "reopen", "--licence", "24000002", "--reason", "دوباره فعال شد");
        Assert.That(backdated.ExitCode, Is.Zero, backdated.Error);
        Assert.That((await _seed.Register.FindUnitByLicenceAsync("24000002"))!.Status, Is.EqualTo(UnitStatus.Active));
        await _seed.OpenPeriodAsync(new JalaliPeriod(1404, 8), 15);
        Assert.That((await new PeriodStatusQuery(Database).GetAsync(new JalaliPeriod(1404, 8), null, [new JalaliPeriod(1404, 8)], Seed.LateFrom.AddMonths(16))).Expected, Is.EqualTo(2), "expected again from a period that opens after the reopening");
        var compliance = await new Compliance(Database).ByProvinceAsync([new JalaliPeriod(1404, 6), new JalaliPeriod(1404, 7), new JalaliPeriod(1404, 8)], null, Seed.LateFrom.AddMonths(16));
        Assert.That(compliance, Has.All.Matches<ProvinceCompliance>(c => c.OnTime + c.Late <= c.Expected), "never over 100 %");
        var history = await new RegisterHistory(Database).OfAsync("Unit", "24000002");
        Assert.That(history.Select(h => (h.Action, h.Reason)), Is.EqualTo(new[] { ("Closed", (string?)"تعطیل شد"), ("Reopened", "دوباره فعال شد") }));
    }

    [TestCase("0012345679", true)]
    [TestCase("4987654326", true)]
    [TestCase("1234567890", false)]
    [TestCase("1111111111", false)]
    [TestCase("123456789", false)]
    public void A_national_ID_needs_ten_digits_and_its_check_digit(string id, bool valid) =>
        Assert.That(RegisterRows.IsNationalId(id), Is.EqualTo(valid));
}
