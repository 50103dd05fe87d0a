using System.Net;
using System.Text;
using BatchEngine.Data;
using BatchEngine.Data.Register;
using BatchEngine.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BatchEngine.Tests.Dashboard;

/// <summary>
/// The escalations a hostile provincial expert tried, through every path: the users file in the dashboard and on the
/// command line, the users page. Refused rows change nothing.
/// </summary>
[Category(Categories.Process)]
public sealed class AccountManagementTests
{
    private string _folder = "";
    private DashboardFactory _factory = null!;
    private UserAccounts _accounts = null!;
    private string _db = "";

    [SetUp]
    public async Task StartAsync()
    {
        _folder = Directory.CreateTempSubdirectory("batchengine-accounts-").FullName;
        _db = Path.Combine(_folder, "batchengine.db");
        _factory = new DashboardFactory(_folder, _db, demoUnits: 40);
        using (await DashboardClient.SignedInAsync(_factory, "admin"))
        {
        }

        _accounts = new UserAccounts(Database.FromSetting(_db));
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<string> UploadUsersAsync(HttpClient client, string csv)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(await DashboardClient.TokenAsync(client, "/register")), "__RequestVerificationToken" },
            { new StringContent("Users"), "Kind" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "Upload", "users.csv" },
        };
        var response = await client.PostAsync("/register", form);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<(Role Role, string? Province, bool Disabled)> StateAsync(string user)
    {
        var scope = (await _accounts.ScopeAsync(user))!;
        return (scope.Role, scope.ProvinceCode, scope.Disabled);
    }

    [Test]
    public async Task A_provincial_experts_users_file_cannot_re_role_the_admin_or_another_provinces_expert()
    {
        using var expert = await DashboardClient.SignedInAsync(_factory, "tehran-expert");
        var before = (await StateAsync("admin"), await StateAsync("isfahan-expert"), await StateAsync("ministry"));

        var page = await UploadUsersAsync(expert,
            "user_name,display_name,role,province\nadmin,مدیر,ProvincialExpert,tehran\nisfahan-expert,کارشناس,ProvincialExpert,tehran\nministry,وزارت,ProvincialExpert,tehran\ntehran.new,کارشناس تازه,ProvincialExpert,tehran\n");

        Assert.That(page, Does.Contain("این حساب در حوزهٔ شما نیست").And.Contain("شما نمی‌توانید این نقش یا استان را به حسابی بدهید"), "in Persian on the page");
        Assert.That((await StateAsync("admin"), await StateAsync("isfahan-expert"), await StateAsync("ministry")), Is.EqualTo(before), "nothing changed");
        Assert.That(await _accounts.ScopeAsync("tehran.new"), Is.Null, "a provincial expert creates liaisons only");
    }

    [Test]
    public async Task The_users_page_lets_nobody_disable_an_account_outside_their_authority()
    {
        using var expert = await DashboardClient.SignedInAsync(_factory, "tehran-expert");
        using var ministry = await DashboardClient.SignedInAsync(_factory, "ministry");
        using var admin = await DashboardClient.SignedInAsync(_factory, "admin");

        async Task<HttpStatusCode> DisableAsync(HttpClient client, string user) =>
            (await DashboardClient.PostFormAsync(client, "/register/users", new() { ["userName"] = user, ["disable"] = "true" })).StatusCode;

        Assert.That(await DisableAsync(expert, "admin"), Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await DisableAsync(expert, "isfahan-expert"), Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await DisableAsync(ministry, "admin"), Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await DisableAsync(admin, "admin"), Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That((await StateAsync("admin")).Disabled, Is.False, "nobody disables their own account");
        Assert.That(await DisableAsync(expert, "tehran-liaison"), Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That((await StateAsync("tehran-liaison")).Disabled, Is.True, "a provincial expert manages the liaisons of the province");
        Assert.That(await DisableAsync(ministry, "isfahan-expert"), Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That((await StateAsync("isfahan-expert")).Disabled, Is.True, "the ministry manages provincial experts");
    }

    [Test]
    public async Task The_command_lines_users_file_cannot_turn_the_ministry_into_a_liaison()
    {
        var file = Path.Combine(_folder, "users.csv");
        var licence = (await new RegisterStore(Database.FromSetting(_db)).UnitScopesAsync()).First().LicenceNo;
        await File.WriteAllTextAsync(file, $"user_name,display_name,role,licence_no\nministry,وزارت,Liaison,{licence}\nadmin,مدیر,Liaison,{licence}\n");

        var result = await CliRunner.RunAsync("register", "import", file, "--kind", "users", "--db", _db, "--data", _folder);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Output + result.Error);
        Assert.That(result.Output, Does.Contain("this account is not one you may change"));
        Assert.That((await StateAsync("ministry")).Role, Is.EqualTo(Role.MinistryExpert));
        Assert.That((await StateAsync("admin")).Role, Is.EqualTo(Role.Admin));
    }

    private static async Task<bool> StandsAsync(HttpClient client, string page) => (await client.GetAsync(page)).StatusCode == HttpStatusCode.OK;

    [Test]
    public async Task A_session_taken_before_a_disable_a_sign_out_or_a_role_change_is_dead_on_its_next_request()
    {
        using var expert = await DashboardClient.SignedInAsync(_factory, "tehran-expert");
        using var ministry = await DashboardClient.SignedInAsync(_factory, "ministry");
        using var liaison = await DashboardClient.SignedInAsync(_factory, "tehran-liaison");
        using var isfahan = await DashboardClient.SignedInAsync(_factory, "isfahan-expert");
        using var ministryElsewhere = await DashboardClient.SignedInAsync(_factory, "ministry");
        Assert.That(await StandsAsync(liaison, "/liaison") && await StandsAsync(isfahan, "/queue") && await StandsAsync(ministryElsewhere, "/queue"));

        await DashboardClient.PostFormAsync(expert, "/register/users", new() { ["userName"] = "tehran-liaison", ["disable"] = "true" });
        Assert.That(await StandsAsync(liaison, "/liaison"), Is.False, "a disabled user's open session");

        await UploadUsersAsync(ministry, "user_name,display_name,role,province\nisfahan-expert,کارشناس,ProvincialExpert,tehran\n");
        Assert.That((await StateAsync("isfahan-expert")).Province, Is.EqualTo("tehran"));
        Assert.That(await StandsAsync(isfahan, "/queue"), Is.False, "a session issued for the old province");

        await DashboardClient.PostFormAsync(ministry, "/signin?handler=SignOut", [], tokenFrom: "/queue");
        Assert.That(await StandsAsync(ministryElsewhere, "/queue"), Is.False, "signing out ends the user's other sessions too");
        using var again = await DashboardClient.SignedInAsync(_factory, "ministry");
        Assert.That(await StandsAsync(again, "/queue"), "a new sign-in works");
    }

    [Test]
    public async Task A_password_reset_is_for_whoever_manages_the_user_and_ends_the_users_sessions()
    {
        using var expert = await DashboardClient.SignedInAsync(_factory, "tehran-expert");
        using var liaison = await DashboardClient.SignedInAsync(_factory, "tehran-liaison");

        async Task<HttpResponseMessage> ResetAsync(HttpClient client, string user) =>
            await DashboardClient.PostFormAsync(client, "/register/users?handler=Reset", new() { ["userName"] = user }, tokenFrom: "/register/users");

        Assert.That((await ResetAsync(expert, "admin")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await ResetAsync(expert, "isfahan-expert")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await StandsAsync(liaison, "/liaison"));
        Assert.That((await ResetAsync(expert, "tehran-liaison")).StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(await StandsAsync(liaison, "/liaison"), Is.False, "the reset ended the liaison's open session");
        Assert.That((await _accounts.FindAsync("tehran-liaison"))!.MustChangePassword, Is.True);
    }

    [Test]
    public async Task Error_reports_are_served_only_within_the_viewers_scope_whatever_the_name_asked_for()
    {
        using var tehran = await DashboardClient.SignedInAsync(_factory, "tehran-expert");
        using var isfahan = await DashboardClient.SignedInAsync(_factory, "isfahan-expert");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(await DashboardClient.TokenAsync(tehran, "/register")), "__RequestVerificationToken" },
            { new StringContent("Units"), "Kind" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes("licence_no,name,isic\n99000009,واحد,23\n")), "Upload", "units.csv" },
        };
        var page = await (await tehran.PostAsync("/register", form)).Content.ReadAsStringAsync();
        var link = System.Text.RegularExpressions.Regex.Match(page, "href=\"(/register\\?handler=Report[^\"]+)\"").Groups[1].Value.Replace("&amp;", "&");
        Assert.That(link, Is.Not.Empty, page);
        Assert.That((await tehran.GetAsync(link)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the loader gets the report");
        Assert.That((await isfahan.GetAsync(link)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "another province's expert does not, by name");

        var import = _factory.Services.GetRequiredService<BatchEngine.Jobs.Import.UploadImport>();
        var file = Path.Combine(_folder, "returns.csv");
        await File.WriteAllTextAsync(file, "unit_id,period,product_code,production\n");
        var (upload, _) = await import.RegisterAsync(file, "returns.csv", "tehran", false, "office:tehran");
        Assert.That((await isfahan.GetAsync($"/uploads?handler=Report&id={upload.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
