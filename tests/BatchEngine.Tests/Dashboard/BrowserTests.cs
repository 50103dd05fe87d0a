using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Returns;
using BatchEngine.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BatchEngine.Tests.Dashboard;

/// <summary>
/// The service card's six steps and an office's upload, in a real browser: Debian's Chromium driven by Playwright,
/// against the dashboard on a loopback port. A screenshot of each main page goes to the test output.
/// </summary>
[NonParallelizable]
[Category(Categories.Browser)]
public sealed class BrowserTests
{
    private string _folder = "";
    private DashboardFactory _factory = null!;
    private Database _database = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private string _baseUrl = "";
    private string _screenshots = "";
    private readonly List<string> _violations = [];

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        if (!File.Exists("/usr/bin/chromium"))
        {
            Assert.Fail("/usr/bin/chromium is missing: the browser tests need Debian's chromium (.ci/run installs it).");
        }

        _folder = Directory.CreateTempSubdirectory("batchengine-browser-").FullName;
        var db = Path.Combine(_folder, "batchengine.db");
        _factory = new DashboardFactory(_folder, db, demoUnits: 150, demoPeriods: 25);
        _factory.UseKestrel(PostgresServer.FreePort());
        _factory.StartServer();
        _baseUrl = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _database = Database.FromSetting(db);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
        _screenshots = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");
        Directory.CreateDirectory(_screenshots);
    }

    [TearDown]
    public void NothingWasBlocked()
    {
        lock (_violations)
        {
            Assert.That(_violations, Is.Empty, "script errors or Content-Security-Policy violations in the browser console");
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A fresh browser context signed in as the user, on the page the sign-in leads to.</summary>
    /// <summary>A phone's screen: 390 CSS pixels wide.</summary>
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private async Task<IPage> SignInAsync(string user, ViewportSize? viewport = null)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _baseUrl, Locale = "fa-IR", AcceptDownloads = true, ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 720 },
        });
        // Generous: two cores run the host's engine, the browser and the tests at once.
        context.SetDefaultTimeout(90_000);
        var page = await context.NewPageAsync();
        // The pages run under a Content-Security-Policy without inline script: anything it blocks fails the test.
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                lock (_violations)
                {
                    _violations.Add($"{page.Url}: {message.Text}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_violations)
            {
                _violations.Add($"{page.Url}: {error}");
            }
        };
        await page.GotoAsync("/signin");
        await page.FillAsync("input[name=UserName]", user);
        await page.FillAsync("input[name=Password]", DashboardClient.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));
        return page;
    }

    private async Task ShotAsync(IPage page, string name)
    {
        var path = Path.Combine(_screenshots, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path, name);
    }

    [Test]
    public async Task A_return_goes_through_all_six_steps_of_the_service_card_in_the_browser()
    {
        // The liaison's unit starts the current period without a return.
        await using var connection = await _database.OpenAsync();
        var unit = await connection.ExecuteScalarAsync<long>("SELECT unit_id FROM users WHERE user_name = 'tehran-liaison'");
        var period = await connection.ExecuteScalarAsync<string>("SELECT MAX(code) FROM periods");
        await connection.ExecuteAsync(
            """
            DELETE FROM return_lines WHERE return_id IN (SELECT id FROM returns WHERE unit_id = @unit AND period = @period);
            DELETE FROM return_history WHERE return_id IN (SELECT id FROM returns WHERE unit_id = @unit AND period = @period);
            DELETE FROM outlier_marks WHERE return_id IN (SELECT id FROM returns WHERE unit_id = @unit AND period = @period);
            DELETE FROM returns WHERE unit_id = @unit AND period = @period;
            """,
            new { unit, period });

        var liaison = await SignInAsync("tehran-liaison");
        Assert.That(liaison.Url, Does.EndWith("/liaison"));
        await ShotAsync(liaison, "1-liaison-periods");
        await liaison.GotoAsync($"/liaison/return/{period}");
        var production = liaison.Locator("input[name$='.Production']");
        await production.First.FillAsync("۱۲٬۵۰۰");
        await liaison.FillAsync("input[name=Employees]", "۴۲");
        await ShotAsync(liaison, "2-liaison-form");
        await liaison.ClickAsync("#submit-return");
        await liaison.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.That(liaison.Url, Does.EndWith("/liaison"), await liaison.InnerTextAsync("main"));
        Assert.That(await liaison.TextContentAsync(".message"), Does.Contain("ارسال شد"));
        var id = await connection.ExecuteScalarAsync<long>("SELECT id FROM returns WHERE unit_id = @unit AND period = @period", new { unit, period });

        var expert = await SignInAsync("tehran-expert");
        await expert.GotoAsync("/queue");
        await ShotAsync(expert, "3-province-queue");
        await expert.ClickAsync($"a[href='/returns/{id}']");
        await expert.FillAsync("#reason", "فروش داخلی وارد نشده است");
        await ShotAsync(expert, "4-return-detail");
        await expert.ClickAsync("button:has-text('برگشت به رابط واحد')");
        await expert.WaitForURLAsync("**/queue");

        await liaison.GotoAsync($"/liaison/return/{period}");
        Assert.That(await liaison.TextContentAsync("#return-reason"), Does.Contain("فروش داخلی وارد نشده است"));
        await liaison.Locator("input[name$='.Sales']").First.FillAsync("۱۱۰۰۰");
        await liaison.ClickAsync("#submit-return");
        await liaison.WaitForURLAsync("**/liaison");

        await expert.GotoAsync($"/returns/{id}");
        await expert.ClickAsync("button:has-text('تأیید و ارجاع به وزارت')");
        await expert.WaitForURLAsync("**/queue");

        var ministry = await SignInAsync("ministry");
        await ministry.GotoAsync("/queue");
        await ShotAsync(ministry, "5-ministry-queue");
        await ministry.GotoAsync($"/returns/{id}");
        await ministry.ClickAsync("button:has-text('ثبت نهایی')");
        await ministry.WaitForURLAsync("**/queue");

        await ministry.GotoAsync($"/returns/{id}");
        Assert.That(await ministry.TextContentAsync("#state"), Is.EqualTo("ثبت نهایی"));
        var steps = await ministry.Locator("#history tbody tr td:nth-child(4)").AllTextContentsAsync();
        Assert.That(steps, Is.EqualTo(new[]
        {
            "پیش‌نویس", "ارسال‌شده به کارشناس استان", "برگشت از استان برای اصلاح", "ارسال‌شده به کارشناس استان", "ارجاع به کارشناس وزارت", "ثبت نهایی",
        }), "created, then the five steps of the review");
        await ShotAsync(ministry, "6-registered-history");
        await ministry.GotoAsync($"/units/{unit}");
        await ministry.WaitForFunctionAsync("() => document.querySelector('#production-chart').width > 0");
        await ShotAsync(ministry, "7-unit-page");
        Assert.That((await new ReturnStore(_database).LinesAsync(id)).First().Sales, Is.EqualTo(11000m));
    }

    [Test]
    public async Task An_expert_acts_on_a_whole_page_only_after_confirming_how_many_and_a_refusal_keeps_the_ticks()
    {
        await using var connection = await _database.OpenAsync();
        // A period whose queue holds only submitted returns: forwarding them needs no reason.
        var period = await connection.ExecuteScalarAsync<string>(
            """
            SELECT r.period FROM returns r JOIN units u ON u.id = r.unit_id WHERE u.province_code = 'tehran' AND r.state IN ('Submitted', 'ReturnedByMinistry')
            GROUP BY r.period HAVING SUM(CASE WHEN r.state = 'ReturnedByMinistry' THEN 1 ELSE 0 END) = 0 AND COUNT(*) > 1 ORDER BY COUNT(*) LIMIT 1
            """);
        var expert = await SignInAsync("tehran-expert");
        await expert.GotoAsync($"/queue?period={period}");
        var boxes = expert.Locator("#queue tbody input[name=Selected]");
        var count = await boxes.CountAsync();
        Assert.That(count, Is.GreaterThan(1));
        Assert.That(await expert.InputValueAsync("#bulk-to"), Is.Empty, "no action is chosen by default");

        // A return to the liaison without a reason is refused, and the ticks stay.
        await boxes.Nth(0).CheckAsync();
        await boxes.Nth(1).CheckAsync();
        await expert.SelectOptionAsync("#bulk-to", nameof(ReturnState.ReturnedByProvince));
        await expert.ClickAsync("#bulk-action");
        await expert.WaitForSelectorAsync(".errors, #confirm-text, h1");
        Assert.That(await expert.Locator(".errors").CountAsync(), Is.EqualTo(1), await expert.InnerTextAsync("main"));
        Assert.That(await expert.TextContentAsync(".errors"), Does.Contain("نوشتن دلیل لازم است"));
        Assert.That(await boxes.Nth(0).IsCheckedAsync() && await boxes.Nth(1).IsCheckedAsync(), Is.True, "the ticks survive the refusal");

        await expert.CheckAsync("#select-page");
        await expert.SelectOptionAsync("#bulk-to", nameof(ReturnState.ForwardedToMinistry));
        await expert.ClickAsync("#bulk-action");
        await expert.WaitForSelectorAsync("#confirm-text");
        await ShotAsync(expert, "10-bulk-confirmation");
        var asked = await expert.TextContentAsync("#confirm-text");
        Assert.That(asked, Does.Contain($"{BatchEngine.Data.Calendar.PersianText.Number(count)} اظهارنامه «تأیید و ارجاع به وزارت» خواهند شد"));
        var before = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM returns WHERE period = @period AND state = 'ForwardedToMinistry'", new { period });
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM returns WHERE period = @period AND state = 'ForwardedToMinistry'", new { period }),
            Is.EqualTo(before), "nothing happens before the confirmation");

        await expert.ClickAsync("#confirm-action");
        await expert.WaitForSelectorAsync(".message, .errors, #confirm-text");
        Assert.That(await expert.Locator(".message").CountAsync(), Is.EqualTo(1), await expert.InnerTextAsync("main"));
        Assert.That(await expert.TextContentAsync(".message"), Does.Contain($"انجام شد: {BatchEngine.Data.Calendar.PersianText.Number(count)} اظهارنامه"));
        Assert.That(expert.Url, Does.Contain($"period={period}"), "the filter survives the action");
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM returns WHERE period = @period AND state = 'ForwardedToMinistry'", new { period }),
            Is.EqualTo(before + count));
    }

    [Test]
    public async Task An_expert_follows_a_home_count_to_its_units_reminds_the_page_and_a_wrong_address_is_a_Persian_page_with_a_way_back()
    {
        var expert = await SignInAsync("tehran-expert");
        // The units to follow up: those past their deadline if any, else those whose deadline is still ahead.
        var missing = expert.Locator("a[href*='list=Missing']");
        var link = await missing.TextContentAsync() is "۰" ? expert.Locator("a[href*='list=NotYetDue']") : missing;
        var count = await link.TextContentAsync();
        Assert.That(count, Is.Not.EqualTo("۰"), "the demo has units to follow up");
        await link.ClickAsync();
        await expert.WaitForSelectorAsync("#units");
        Assert.That(await expert.TextContentAsync("main h2"), Does.Contain($"({count} واحد)"), "the list holds what the count said");

        await expert.CheckAsync("#select-page");
        var boxes = expert.Locator("#units tbody input[name=Chosen]");
        Assert.That(await boxes.CountAsync(), Is.GreaterThan(0));
        for (var i = 0; i < await boxes.CountAsync(); i++)
        {
            Assert.That(await boxes.Nth(i).IsCheckedAsync(), Is.True, "the page's box ticks every unit of the page");
        }

        await expert.ClickAsync("#remind-now");
        await expert.WaitForSelectorAsync(".message, .errors");
        await ShotAsync(expert, "14-follow-up-reminded");
        Assert.That(await expert.TextContentAsync(".message"), Does.Contain("یادآوری").And.Contain("واحد برگزیده"));
        Assert.That(expert.Url, Does.Contain("list="), "back on the same list");

        var response = await expert.GotoAsync("/no-such-page");
        Assert.That(response!.Status, Is.EqualTo(404));
        Assert.That(await expert.TextContentAsync("main"), Does.Contain("صفحه پیدا نشد").And.Not.Contain("Not Found"));
        await expert.ClickAsync("main a[href='/']");
        await expert.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
    }

    [Test]
    public async Task The_ministry_pages_through_the_registered_returns_and_every_page_says_which_rows_of_how_many()
    {
        await using var connection = await _database.OpenAsync();
        var total = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM returns WHERE state = 'Registered'");
        Assume.That(total, Is.GreaterThan(100), "the demo registers more returns than one page holds");
        var ministry = await SignInAsync("ministry");
        await ministry.GotoAsync("/queue?registered=true");
        var all = BatchEngine.Data.Calendar.PersianText.Number(total);
        Assert.That(await ministry.TextContentAsync(".list-total"), Does.Contain($"ردیف‌های ۱ تا ۱۰۰ از {all}"));

        await ministry.ClickAsync(".pager a[rel=next]");
        await ministry.WaitForURLAsync(url => url.Contains("pageNumber=2", StringComparison.Ordinal));
        Assert.That(await ministry.TextContentAsync(".list-total"), Does.Contain($"ردیف‌های ۱۰۱ تا").And.Contain($"از {all}"));
        Assert.That(ministry.Url, Does.Contain("registered=true"), "the list's filter goes with the page");
        Assert.That(await ministry.Locator("#queue tbody tr").CountAsync(), Is.EqualTo(Math.Min(100, total - 100)));
    }

    [Test]
    public async Task The_ministry_reads_the_statistics_table_with_its_charts_drills_into_a_province_and_publishes_it()
    {
        var ministry = await SignInAsync("ministry");
        await ministry.GotoAsync("/statistics");

        Assert.That(await ministry.Locator("#statistics tbody tr").CountAsync(), Is.EqualTo(30), "one row per selected product of config/");
        Assert.That(await ministry.TextContentAsync("#statistics caption"), Does.Contain("مهر ۱۴۰۵"), "the newest period past its deadline");
        var cement = ministry.Locator("#statistics tr[data-product=cement]");
        Assert.That(await cement.TextContentAsync(), Does.Contain("سیمان").And.Match("[۰-۹]").And.Not.Match("[0-9]"), "Persian digits only");
        await ministry.WaitForFunctionAsync("() => document.querySelector('#trend-chart').getBoundingClientRect().height > 50 && window.Chart && Chart.getChart('trend-chart') && Chart.getChart('growth-chart')");
        Assert.That(await ministry.EvaluateAsync<int>("() => Chart.getChart('trend-chart').data.labels.length"), Is.EqualTo(13), "a 13-month trend");
        await ShotAsync(ministry, "statistics");

        await cement.Locator("a").ClickAsync();
        await ministry.WaitForURLAsync(url => url.Contains("product=cement", StringComparison.Ordinal));
        Assert.That(await ministry.TextContentAsync("#trend"), Does.Contain("سیمان"));
        await ministry.Locator("#statistics-provinces a", new() { HasText = "تهران" }).ClickAsync();
        await ministry.WaitForURLAsync(url => url.Contains("province=tehran", StringComparison.Ordinal));
        Assert.That(await ministry.TextContentAsync("h1"), Does.Contain("استان تهران"));

        await ministry.GotoAsync("/statistics");
        await ministry.ClickAsync("form[action*=publish] button");
        await ministry.WaitForURLAsync(url => url.Contains("publication=1", StringComparison.Ordinal));
        Assert.That(await ministry.TextContentAsync("#statistics-basis"), Does.Contain("انتشار شمارهٔ ۱"));
        Assert.That(await ministry.Locator("#publications li").CountAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task On_a_phone_the_liaison_form_is_a_card_per_product_and_the_queue_needs_no_sideways_scrolling()
    {
        await using var connection = await _database.OpenAsync();
        var period = await connection.ExecuteScalarAsync<string>("SELECT MAX(code) FROM periods");
        var liaison = await SignInAsync("tehran-liaison", Phone);
        await liaison.GotoAsync($"/liaison/return/{period}");
        await ShotAsync(liaison, "11-phone-liaison-form");
        var fields = liaison.Locator("#figures tbody tr").First.Locator("input:not([type=hidden])");
        Assert.That(await fields.CountAsync(), Is.EqualTo(4));
        for (var i = 0; i < 4; i++)
        {
            var box = (await fields.Nth(i).BoundingBoxAsync())!;
            Assert.That((box.X >= 0, box.X + box.Width <= Phone.Width), Is.EqualTo((true, true)), $"field {i} of the first product is on the screen");
        }

        Assert.That(await liaison.EvaluateAsync<int>("() => document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(Phone.Width));

        var expert = await SignInAsync("tehran-expert", Phone);
        foreach (var (address, shot) in new[] { ("/queue", "12-phone-queue"), ("/uploads", "13-phone-uploads") })
        {
            await expert.GotoAsync(address);
            await ShotAsync(expert, shot);
            Assert.That(await expert.EvaluateAsync<int>("() => document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(Phone.Width), address);
        }
    }

    [Test]
    public async Task An_office_uploads_a_file_with_errors_and_downloads_the_error_report()
    {
        await using var connection = await _database.OpenAsync();
        var licence = await connection.ExecuteScalarAsync<string>("SELECT MIN(licence_no) FROM units WHERE province_code = 'tehran'");
        var period = await connection.ExecuteScalarAsync<string>("SELECT MAX(code) FROM periods");
        var file = Path.Combine(_folder, "returns-with-errors.csv");
        await File.WriteAllTextAsync(file, $"unit_id,period,product_code,production\n{licence},{period},0000-00,12\n99999999,{period},2394-01,-5\n");

        var office = await SignInAsync("tehran-expert");
        await office.GotoAsync("/uploads");
        await office.SetInputFilesAsync("input[type=file]", file);
        await office.ClickAsync("#upload");
        await office.WaitForURLAsync("**/uploads");
        var report = office.Locator("#uploads a.report").First;
        await report.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        await ShotAsync(office, "8-uploads");
        var download = await office.RunAndWaitForDownloadAsync(() => report.ClickAsync());
        var saved = Path.Combine(_folder, "report.csv");
        await download.SaveAsAsync(saved);

        var lines = await File.ReadAllLinesAsync(saved);
        Assert.That(lines[0], Does.EndWith("سطر,ستون,مقدار,خطا"));
        Assert.That(lines, Has.Some.StartsWith("2,product_code,0000-00,"));
        Assert.That(lines, Has.Some.StartsWith("3,unit_id,99999999,"));
        Assert.That(lines, Has.Some.StartsWith("3,production,'-5,"));

        await office.GotoAsync("/compliance?list=Missing");
        await office.WaitForFunctionAsync("() => document.querySelector('#compliance-chart').width > 0");
        await ShotAsync(office, "9-compliance");
        var admin = await SignInAsync("admin");
        await admin.GotoAsync("/admin/schedule");
        await ShotAsync(admin, "10-admin-schedule");
        Assert.That(await admin.Locator("#instants tbody tr").CountAsync(), Is.GreaterThan(10), "the planned instants");
        var schedule = await admin.TextContentAsync("main");
        Assert.That(schedule, Does.Not.Match("[0-9]{4}-[0-9]{2}/(reminder|open|deadline)").And.Not.Contain("nothing was due").And.Not.Contain("quartz"),
            "no internal keys or English outcomes on the admin's page");
        Assert.That(await admin.Locator("#runs tbody tr").First.TextContentAsync(), Does.Match("دوره|یادآوری|کاری سررسید نشده|علامت|ارسال"));
        Assert.That(await admin.TextContentAsync("#first-collected"), Does.Contain("آبان ۱۴۰۳"), "the demo's oldest period (of 25) is the first collected");
        await admin.GotoAsync("/admin/deliveries");
        await ShotAsync(admin, "11-admin-deliveries");
    }

    [Test]
    public async Task A_provincial_expert_resets_a_liaisons_password_and_the_liaison_must_choose_a_new_one()
    {
        try
        {
            await ResetAndChooseAsync();
        }
        finally
        {
            // The other tests of this fixture sign in with the demo password, whatever happened here.
            var accounts = new BatchEngine.Data.Register.UserAccounts(_database);
            var oneTime = await accounts.ResetPasswordAsync("tehran-liaison", "test", CliRunner.DemoNow.UtcDateTime);
            Assert.That(await accounts.ChangePasswordAsync("tehran-liaison", oneTime, DashboardClient.Password), Is.Not.Null);
        }
    }

    private async Task ResetAndChooseAsync()
    {
        var expert = await SignInAsync("tehran-expert");
        await expert.GotoAsync("/register/users");
        var row = expert.Locator("#users tbody tr", new PageLocatorOptions { HasText = "tehran-liaison" });
        await row.Locator("button.reset").ClickAsync();
        // The reset comes back to the same address: wait for its message, not for a change of address.
        await expert.Locator("p.message").WaitForAsync();
        var message = await expert.TextContentAsync("p.message");
        var password = System.Text.RegularExpressions.Regex.Match(message!, "tehran-liaison: (\\S+)").Groups[1].Value;
        Assert.That(password, Has.Length.EqualTo(12), message);
        await ShotAsync(expert, "12-password-reset");

        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _baseUrl, Locale = "fa-IR" });
        var liaison = await context.NewPageAsync();
        await liaison.GotoAsync("/signin");
        await liaison.FillAsync("input[name=UserName]", "tehran-liaison");
        await liaison.FillAsync("input[name=Password]", password);
        await liaison.ClickAsync("button[type=submit]");
        await liaison.WaitForURLAsync("**/account/password");
        await liaison.FillAsync("input[name=Current]", password);
        await liaison.FillAsync("input[name=Replacement]", "password123");
        await liaison.FillAsync("input[name=Confirmation]", "password123");
        await liaison.ClickAsync("form.stack button[type=submit]");
        Assert.That(await liaison.TextContentAsync("p.errors"), Does.Contain("رایج"), "a common password is refused");
        await liaison.FillAsync("input[name=Current]", password);
        await liaison.FillAsync("input[name=Replacement]", "zard-alu-1405");
        await liaison.FillAsync("input[name=Confirmation]", "zard-alu-1405");
        await liaison.ClickAsync("form.stack button[type=submit]");
        await liaison.GotoAsync("/liaison");
        Assert.That(liaison.Url, Does.EndWith("/liaison"), "signed in with a password of their own");
    }
}
