using System.Net;
using BatchEngine.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace BatchEngine.Tests.Dashboard;

/// <summary>The security headers on every kind of response, and what changes when the request came over HTTPS.</summary>
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
