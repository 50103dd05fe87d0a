using System.Globalization;
using System.Net;
using System.Text;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Register;
using BatchEngine.Tests.Infrastructure;
using Dapper;

namespace BatchEngine.Tests.Register;

/// <summary>A province's real register loaded and reminded; the same through the dashboard, and a unit closed there.</summary>
[Category(Categories.Process)]
public sealed class RegisterProcessTests(string store) : StoreTest(store)
{
    private Task<CliResult> CliAsync(params string[] args) => CliRunner.RunAsync([.. args, "--db", DatabaseSetting, "--data", TempDirectory]);

    [Test]
    public async Task A_register_of_1000_units_loads_in_seconds_and_the_next_tick_reminds_exactly_its_liaisons()
    {
        await new Seed(Database).BasicsAsync();
        var units = new StringBuilder("licence_no,name,isic,products\n");
        var liaisons = new StringBuilder("licence_no,name,mobile,email\n");
        for (var i = 0; i < 1000; i++)
        {
            var licence = (25_000_000 + i).ToString(CultureInfo.InvariantCulture);
            units.Append(CultureInfo.InvariantCulture, $"{licence},واحد {i},2394,2394-01 2410-02\n");
            liaisons.Append(CultureInfo.InvariantCulture, $"{licence},رابط {i},0912{i:D7},l{i}@example.ir\n");
        }

        var unitsFile = Path.Combine(TempDirectory, "units.csv");
        var liaisonsFile = Path.Combine(TempDirectory, "liaisons.csv");
        await File.WriteAllTextAsync(unitsFile, units.ToString());
        await File.WriteAllTextAsync(liaisonsFile, liaisons.ToString());

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var loadedUnits = await CliAsync("register", "import", unitsFile, "--kind", "units", "--province", "tehran");
        var loadedLiaisons = await CliAsync("register", "import", liaisonsFile, "--kind", "liaisons", "--province", "tehran");
        var loading = watch.Elapsed;
        // The period after the load: its first reminder stage.
        var tick = await CliAsync("tick", "--now", "1405-10-05T09:00");

        Assert.That(loadedUnits.Output, Does.Contain("created            1000"), loadedUnits.Output + loadedUnits.Error);
        Assert.That(loadedLiaisons.Output, Does.Contain("created            2000").Or.Contain("created            1000"));
        TestContext.Out.WriteLine($"1000 units and 1000 liaisons loaded in {loading.TotalSeconds:F1} s");
        Assert.That(tick.ExitCode, Is.Zero, tick.Error);
        await using var connection = await Database.OpenAsync();
        var reminded = (await connection.QueryAsync<string>(
            "SELECT recipients FROM reminders WHERE period = '1405-09' AND stage = 'reminder-1' AND channel = 'Email' AND status = 'Sent'")).ToList();
        Assert.That(reminded, Has.Count.EqualTo(1000));
        Assert.That(reminded.Order(), Is.EqualTo(Enumerable.Range(0, 1000).Select(i => $"l{i}@example.ir").Order()), "exactly the loaded liaisons");
    }

    /// <summary>A licence number of an Isfahan unit: a Tehran file may not take it over.</summary>
    private async Task<string> IsfahanLicenceAsync()
    {
        await using var connection = await Database.OpenAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT MIN(licence_no) FROM units WHERE province_code = 'isfahan'") ?? "";
    }

    [Test]
    public async Task The_dashboard_checks_and_loads_a_register_file_and_a_provincial_expert_closes_a_unit()
    {
        await using var factory = new DashboardFactory(TempDirectory, DatabaseSetting, demoUnits: 60);
        using var expert = await DashboardClient.SignedInAsync(factory, "tehran-expert");
        var foreignLicence = await IsfahanLicenceAsync();
        var file = Encoding.UTF8.GetBytes($"licence_no,name,isic\n99000001,واحد تازه,2394\n99000002,آیسیک بد,23\n{foreignLicence},واحد اصفهان,2394\n");

        async Task<string> UploadAsync(bool checkOnly)
        {
            using var form = new MultipartFormDataContent
            {
                { new StringContent(await DashboardClient.TokenAsync(expert, "/register")), "__RequestVerificationToken" },
                { new StringContent("Units"), "Kind" },
                { new ByteArrayContent(file), "Upload", "units.csv" },
            };
            if (checkOnly)
            {
                form.Add(new StringContent("true"), "CheckOnly");
            }

            var response = await expert.PostAsync("/register", form);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            return await response.Content.ReadAsStringAsync();
        }

        var checkedOnly = await UploadAsync(checkOnly: true);
        var register = new RegisterStore(Database);
        Assert.That(checkedOnly, Does.Contain("فقط بررسی شد").And.Contain("ستون isic").And.Contain("از واحدهای استان شما نیست").And.Not.Contain("isfahan"));
        Assert.That(await register.FindUnitByLicenceAsync("99000001"), Is.Null, "a check changes nothing");
        var loaded = await UploadAsync(checkOnly: false);
        Assert.That(loaded, Does.Contain("تازه: ۱"));
        var unit = (await register.FindUnitByLicenceAsync("99000001"))!;
        Assert.That(unit.ProvinceCode, Is.EqualTo("tehran"), "a provincial expert loads for their own province");

        var close = await DashboardClient.PostFormAsync(expert, $"/units/{unit.Id}?handler=Close", new() { ["Reason"] = "پروانه باطل شد" }, tokenFrom: $"/units/{unit.Id}");
        Assert.That(close.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That((await register.FindUnitByLicenceAsync("99000001"))!.Status, Is.EqualTo(UnitStatus.Closed));
        using var isfahan = await DashboardClient.SignedInAsync(factory, "isfahan-expert");
        var foreign = await DashboardClient.PostFormAsync(isfahan, $"/units/{unit.Id}?handler=Reopen", new() { ["Reason"] = "x" }, tokenFrom: "/register");
        Assert.That(foreign.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await expert.GetStringAsync($"/units/{unit.Id}"), Does.Contain("پروانه باطل شد"), "the closing and its reason in the unit's history");

        var period = (await new BatchEngine.Data.Periods.PeriodStore(Database).LatestAsync())!;
        // "To the end of 15 Dey 1408" as people write it; sent twice, as a double click does.
        HttpResponseMessage extended = null!;
        for (var click = 0; click < 2; click++)
        {
            extended = await DashboardClient.PostFormAsync(expert, $"/units/{unit.Id}?handler=Extend",
                new() { ["ExtendPeriod"] = period.Code.ToString(), ["ExtendUntil"] = "۱۴۰۸/۱۰/۱۵", ["Reason"] = "سیل" }, tokenFrom: $"/units/{unit.Id}");
        }

        Assert.That(extended.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await extended.Content.ReadAsStringAsync());
        var granted = (await new BatchEngine.Data.Periods.DeadlineExtensions(Database).HistoryAsync(unit.Id, period.Code)).Single();
        Assert.That(granted.Reason, Is.EqualTo("سیل"));
        var clock = BatchEngine.Data.Calendar.TehranClock.FromOperatingSystem();
        Assert.That(granted.LateFrom, Is.EqualTo(clock.At(new BatchEngine.Data.Calendar.JalaliDate(1408, 10, 16), TimeOnly.MinValue).UtcDateTime),
            "late from the start of the next day: the liaison reads 15 Dey");
        var foreignExtension = await DashboardClient.PostFormAsync(isfahan, $"/units/{unit.Id}?handler=Extend",
            new() { ["ExtendPeriod"] = period.Code.ToString(), ["ExtendUntil"] = "1408/10/20", ["Reason"] = "x" }, tokenFrom: "/register");
        Assert.That(foreignExtension.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "another province's expert may not");

        var badEdit = await DashboardClient.PostFormAsync(expert, $"/units/{unit.Id}?handler=Edit",
            new() { ["EditName"] = "واحد تازه شمال", ["EditIsic"] = "23", ["EditProducts"] = "2394-01" }, tokenFrom: $"/units/{unit.Id}");
        Assert.That(await badEdit.Content.ReadAsStringAsync(), Does.Contain("isic «23»"), "the register file's rules, named");
        var edit = await DashboardClient.PostFormAsync(expert, $"/units/{unit.Id}?handler=Edit",
            new() { ["EditName"] = "واحد تازه شمال", ["EditIsic"] = "2394", ["EditProducts"] = "2394-01" }, tokenFrom: $"/units/{unit.Id}");
        Assert.That(edit.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That((await register.FindUnitByLicenceAsync("99000001"))!.Name, Is.EqualTo("واحد تازه شمال"));
        Assert.That((await new RegisterHistory(Database).OfAsync("Unit", "99000001")).Last().Details, Does.Contain("name: واحد تازه → واحد تازه شمال"));
    }

    [Test]
    public async Task A_user_with_a_first_password_can_only_change_it_until_it_is_changed()
    {
        await using var factory = new DashboardFactory(TempDirectory, DatabaseSetting, demoUnits: 40);
        using (await DashboardClient.SignedInAsync(factory, "admin"))
        {
        }

        var users = Path.Combine(TempDirectory, "users.csv");
        await File.WriteAllTextAsync(users, "user_name,display_name,role,province\nnew.expert,کارشناس تازه,ProvincialExpert,tehran\n");
        var loaded = await CliAsync("register", "import", users, "--kind", "users");
        var password = loaded.Output.Split('\n').Single(l => l.Contains("first password of new.expert", StringComparison.Ordinal)).Split(": ")[1].Split(' ')[0];

        using var client = DashboardClient.Create(factory);
        var signIn = await DashboardClient.SignInAsync(client, "new.expert", password);
        var elsewhere = await client.GetAsync("/queue");
        var changed = await DashboardClient.PostFormAsync(client, "/account/password",
            new() { ["Current"] = password, ["Replacement"] = "tehran-1405-new", ["Confirmation"] = "tehran-1405-new" });
        var after = await client.GetAsync("/queue");

        Assert.That(signIn.Headers.Location?.ToString(), Is.EqualTo("/account/password"));
        Assert.That(elsewhere.Headers.Location?.ToString(), Is.EqualTo("/account/password"), "every page leads to the password change");
        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await new UserAccounts(Database).VerifyAsync("new.expert", "tehran-1405-new"))?.MustChangePassword, Is.False);
    }
}
