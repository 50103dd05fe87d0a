using System.Net;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Dashboard;

/// <summary>Sign-in, throttling, anti-forgery, and the Hangfire dashboard for admins only.</summary>
[Category(Categories.Process)]
public sealed class SignInTests(string store) : StoreTest(store)
{
    private DashboardFactory _factory = null!;

    [SetUp]
    public void Start() => _factory = new DashboardFactory(TempDirectory, DatabaseSetting, demoUnits: 60);

    [TearDown]
    public async Task StopAsync() => await _factory.DisposeAsync();

    private HttpClient Client() => DashboardClient.Create(_factory);

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string user, string password, bool withToken = true) =>
        DashboardClient.SignInAsync(client, user, password, withToken);

    [Test]
    public async Task The_hangfire_dashboard_is_for_signed_in_admins_only()
    {
        using var anonymous = Client();
        Assert.That((await anonymous.GetAsync("/hangfire")).Headers.Location?.AbsolutePath, Is.EqualTo("/signin"), "signed out: to the sign-in page");

        using var liaison = Client();
        Assert.That((await SignInAsync(liaison, "tehran-liaison", "demo1404")).StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That((await liaison.GetAsync("/hangfire")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        using var expert = Client();
        await SignInAsync(expert, "ministry", "demo1404");
        Assert.That((await expert.GetAsync("/hangfire")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        using var admin = Client();
        var signedIn = await SignInAsync(admin, "admin", "demo1404");
        Assert.That(signedIn.Headers.Location?.ToString(), Is.EqualTo("/"));
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("batchengine=", StringComparison.Ordinal));
        Assert.That(cookie, Does.Contain("httponly").IgnoreCase.And.Contain("samesite=strict").IgnoreCase);
        var dashboard = await admin.GetAsync("/hangfire");
        Assert.That(dashboard.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await dashboard.Content.ReadAsStringAsync(), Does.Contain("Hangfire"));
    }

    [Test]
    public async Task Unknown_names_wrong_passwords_and_a_throttled_address_get_one_answer_and_the_owner_is_not_locked_out()
    {
        using var client = Client();
        async Task<string> RefusalAsync(string user, string password)
        {
            var response = await SignInAsync(client, user, password);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{user} refused");
            var page = await response.Content.ReadAsStringAsync();
            return page.Contains(BatchEngine.Dashboard.Pages.SignInModel.Refused, StringComparison.Ordinal) ? "the one answer" : page;
        }

        Assert.That(await RefusalAsync("nobody-by-this-name", "guess"), Is.EqualTo("the one answer"));
        Assert.That(await RefusalAsync("isfahan-expert", "guess"), Is.EqualTo("the one answer"));
        for (var i = 0; i < 4; i++)
        {
            await RefusalAsync("isfahan-expert", "guess");
        }

        Assert.That(await RefusalAsync("isfahan-expert", "demo1404"), Is.EqualTo("the one answer"), "this address is throttled for this name, even with the right password");
        Assert.That((await SignInAsync(Client(), "tehran-expert", "demo1404")).StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "other names are not affected");
    }

    [Test]
    public async Task An_unknown_name_costs_the_same_time_as_a_wrong_password()
    {
        var accounts = new BatchEngine.Data.Register.UserAccounts(Database);
        using (await DashboardClient.SignedInAsync(_factory, "admin"))
        {
        }

        // Interleaved, so that whatever else the machine does weighs on both alike.
        var times = new Dictionary<string, List<double>> { ["isfahan-expert"] = [], ["nobody-by-this-name"] = [] };
        for (var i = 0; i < 11; i++)
        {
            foreach (var (user, list) in times)
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                Assert.That((await accounts.SignInAsync(user, "guess")).User, Is.Null);
                list.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        double Median(string user) => times[user].Order().ElementAt(times[user].Count / 2);
        var known = Median("isfahan-expert");
        var unknown = Median("nobody-by-this-name");
        TestContext.Out.WriteLine($"median: known {known:F1} ms, unknown {unknown:F1} ms");
        // Without the check against a hash of nothing an unknown name answered ~20 times faster; noise stays well within 2×.
        Assert.That(unknown / known, Is.InRange(0.5, 2.0));
    }

    [Test]
    public async Task A_sign_in_without_the_anti_forgery_token_is_refused()
    {
        using var client = Client();
        Assert.That((await SignInAsync(client, "admin", "demo1404", withToken: false)).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }
}
