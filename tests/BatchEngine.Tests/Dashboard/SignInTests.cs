using System.Net;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Dashboard;

/// <summary>Sign-in, lockout, anti-forgery, and the Hangfire dashboard for admins only.</summary>
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
    public async Task A_wrong_password_is_refused_and_repeated_failures_lock_the_account()
    {
        using var client = Client();
        var wrong = await SignInAsync(client, "isfahan-expert", "guess");
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await wrong.Content.ReadAsStringAsync(), Does.Contain("نام کاربری یا گذرواژه نادرست است."));
        for (var i = 0; i < 4; i++)
        {
            await SignInAsync(client, "isfahan-expert", "guess");
        }

        var locked = await SignInAsync(client, "isfahan-expert", "demo1404");
        Assert.That(locked.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the right password does not open a locked account");
        Assert.That(await locked.Content.ReadAsStringAsync(), Does.Contain("قفل است"));
        Assert.That((await SignInAsync(Client(), "tehran-expert", "demo1404")).StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "other accounts are not affected");
    }

    [Test]
    public async Task A_sign_in_without_the_anti_forgery_token_is_refused()
    {
        using var client = Client();
        Assert.That((await SignInAsync(client, "admin", "demo1404", withToken: false)).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }
}
