using System.Net;
using BatchEngine.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BatchEngine.Tests.Dashboard;

/// <summary>The security headers on every kind of response, and what changes when the request came over HTTPS.</summary>
[Category(Categories.Process)]
public sealed class SecurityHeadersTests
{
    private string _folder = "";
    private DashboardFactory _factory = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _folder = Directory.CreateTempSubdirectory("batchengine-headers-").FullName;
        _factory = new DashboardFactory(_folder, Path.Combine(_folder, "batchengine.db"), demoUnits: 40);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task Pages_files_and_error_responses_all_carry_the_headers()
    {
        using var liaison = await DashboardClient.SignedInAsync(_factory, "tehran-liaison");
        foreach (var (path, status) in new[] { ("/liaison", 200), ("/css/site.css", 200), ("/js/charts.js", 200), ("/no-such-page", 404), ("/queue", 403) })
        {
            var response = await liaison.GetAsync(path);
            Assert.That((int)response.StatusCode, Is.EqualTo(status), path);
            Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Is.EqualTo(BatchEngine.Dashboard.SecurityHeaders.Policy), path);
            Assert.That(response.Headers.GetValues("X-Frame-Options").Single(), Is.EqualTo("DENY"), path);
            Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"), path);
            Assert.That(response.Headers.GetValues("Referrer-Policy").Single(), Is.EqualTo("same-origin"), path);
            Assert.That(response.Headers.Contains("Strict-Transport-Security"), Is.False, "no HSTS over plain HTTP");
        }

        Assert.That(BatchEngine.Dashboard.SecurityHeaders.Policy, Does.Contain("script-src 'self';").And.Not.Contain("unsafe-inline"));
    }

    [Test]
    public async Task Over_https_the_cookie_is_secure_and_hsts_is_sent()
    {
        using var client = _factory.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = false,
        });
        var page = await client.GetAsync("/signin");
        Assert.That(page.Headers.GetValues("Strict-Transport-Security").Single(), Does.StartWith("max-age="));
        var antiforgery = page.Headers.GetValues("Set-Cookie").ToList();
        var token = System.Text.RegularExpressions.Regex.Match(await page.Content.ReadAsStringAsync(), "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["UserName"] = "ministry", ["Password"] = DashboardClient.Password, ["__RequestVerificationToken"] = token,
            }),
        };
        request.Headers.Add("Cookie", string.Join("; ", antiforgery.Select(c => c.Split(';')[0])));
        var signIn = await client.SendAsync(request);

        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var session = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("batchengine=", StringComparison.Ordinal));
        Assert.That(session, Does.Contain("secure").IgnoreCase.And.Contain("httponly").IgnoreCase.And.Contain("samesite=strict").IgnoreCase);
    }
}

/// <summary>Error statuses as a person sees them: a Persian page inside the layout, never an exception's text.</summary>
[Category(Categories.Process)]
public sealed class ErrorPageTests
{
    [Test]
    public async Task Unknown_pages_forbidden_actions_and_oversized_uploads_answer_in_persian()
    {
        var folder = Directory.CreateTempSubdirectory("batchengine-errors-").FullName;
        try
        {
            // On Kestrel: its request size limit is what an oversized upload meets.
            await using var factory = new DashboardFactory(folder, Path.Combine(folder, "batchengine.db"), demoUnits: 40);
            factory.UseKestrel(PostgresServer.FreePort());
            factory.StartServer();
            var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var expert = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(address) };
            Assert.That((await DashboardClient.SignInAsync(expert, "tehran-expert")).StatusCode, Is.EqualTo(HttpStatusCode.Redirect));

            var missing = await expert.GetAsync("/no-such-page");
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(await missing.Content.ReadAsStringAsync(), Does.Contain("صفحه پیدا نشد").And.Contain("بازگشت به صفحهٔ نخست"));

            var forbidden = await expert.GetAsync("/admin/schedule");
            Assert.That(forbidden.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await forbidden.Content.ReadAsStringAsync(), Does.Contain("دسترسی ندارید"));

            using var form = new MultipartFormDataContent
            {
                { new StringContent(await DashboardClient.TokenAsync(expert, "/register")), "__RequestVerificationToken" },
                { new StringContent("Units"), "Kind" },
                { new ByteArrayContent(new byte[31 * 1024 * 1024]), "Upload", "units.csv" },
            };
            // As a browser's upload would be answered: the refusal comes before the body is sent (Expect: 100-continue).
            using var request = new HttpRequestMessage(HttpMethod.Post, "/register") { Content = form };
            request.Headers.ExpectContinue = true;
            var tooBig = await expert.SendAsync(request);
            var page = await tooBig.Content.ReadAsStringAsync();
            Assert.That((int)tooBig.StatusCode, Is.AnyOf(400, 413), page);
            Assert.That(page, Does.Contain("بیش از اندازه بزرگ").And.Contain("بازگشت به صفحهٔ نخست").And.Not.Contain("Exception"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
