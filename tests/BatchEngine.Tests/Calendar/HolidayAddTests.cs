using BatchEngine.Data.Calendar;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Calendar;

/// <summary>An announced holiday added from the command line or the admin's page: into the holiday file, with who and when.</summary>
[Category(Categories.Process)]
public sealed class HolidayAddTests(string store) : StoreTest(store)
{
    private string _holidays = "";

    [SetUp]
    public void CopyHolidayFile()
    {
        _holidays = Path.Combine(TempDirectory, "holidays.json");
        File.Copy(CalendarFixtures.FindConfig("holidays.json"), _holidays);
    }

    [Test]
    public async Task The_command_line_adds_a_holiday_keeps_the_files_comments_and_refuses_a_second_or_a_wrong_date()
    {
        var environment = new Dictionary<string, string> { ["BATCHENGINE_Holidays__File"] = _holidays };
        Task<CliResult> Cli(params string[] args) => CliRunner.RunProcessAsync(environment, [.. args, "--db", DatabaseSetting, "--data", TempDirectory]);

        var added = await Cli("holidays", "add", "1405-12-10", "--name", "تعطیل آزمایشی");
        Assert.That(added.ExitCode, Is.Zero, added.Error);
        Assert.That(added.Output, Does.StartWith("Added 1405-12-10 (تعطیل آزمایشی)"));
        Assert.That(HolidayCalendar.Load(_holidays).NameOf(new JalaliDate(1405, 12, 10)), Is.EqualTo("تعطیل آزمایشی"));
        var text = File.ReadAllText(_holidays);
        Assert.That(text, Does.StartWith("// Official holidays of Iran").And.Contain("\"addedBy\": \"command line (").And.Contain("\"addedAt\": \""));

        var again = await Cli("holidays", "add", "1405-12-10", "--name", "دوباره");
        Assert.That((again.ExitCode, again.Error.Trim()), Is.EqualTo((2, "1405-12-10 is already a holiday (تعطیل آزمایشی); nothing was added.")));
        var wrong = await Cli("holidays", "add", "1405-13-01", "--name", "x");
        Assert.That((wrong.ExitCode, wrong.Error.Trim()), Is.EqualTo((2, "'1405-13-01' is not a Jalali date; expected YYYY-MM-DD such as 1405-12-10.")));
        Assert.That(File.ReadAllText(_holidays), Is.EqualTo(text), "a refused holiday changes nothing");
    }

    [Test]
    public async Task An_admin_adds_a_holiday_on_the_schedule_page_with_persian_answers()
    {
        await using var factory = new DashboardFactory(TempDirectory, DatabaseSetting, engineSettings: new Dictionary<string, string> { ["Holidays:File"] = _holidays });
        using var admin = await DashboardClient.SignedInAsync(factory, "admin");

        var wrong = await DashboardClient.PostFormAsync(admin, "/admin/schedule?handler=Holiday",
            new Dictionary<string, string> { ["HolidayDate"] = "۱۴۰۵-۱۳-۰۱", ["HolidayName"] = "x" }, tokenFrom: "/admin/schedule");
        Assert.That(await wrong.Content.ReadAsStringAsync(), Does.Contain("تاریخ شمسی نیست"));

        var added = await DashboardClient.PostFormAsync(admin, "/admin/schedule?handler=Holiday",
            new Dictionary<string, string> { ["HolidayDate"] = "۱۴۰۵-۱۲-۱۰", ["HolidayName"] = "تعطیل آزمایشی" }, tokenFrom: "/admin/schedule");
        Assert.That((int)added.StatusCode, Is.EqualTo(302));
        Assert.That(HolidayCalendar.Load(_holidays).NameOf(new JalaliDate(1405, 12, 10)), Is.EqualTo("تعطیل آزمایشی"));
        Assert.That(File.ReadAllText(_holidays), Does.Contain("\"addedBy\": \"admin\""));

        var again = await DashboardClient.PostFormAsync(admin, "/admin/schedule?handler=Holiday",
            new Dictionary<string, string> { ["HolidayDate"] = "1405-12-10", ["HolidayName"] = "دوباره" }, tokenFrom: "/admin/schedule");
        Assert.That(await again.Content.ReadAsStringAsync(), Does.Contain("از پیش تعطیل است (تعطیل آزمایشی)"));

        using var expert = await DashboardClient.SignedInAsync(factory, "tehran-expert");
        var refused = await expert.PostAsync("/admin/schedule?handler=Holiday", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.That((int)refused.StatusCode, Is.AnyOf(400, 403), "only an admin");
    }
}
