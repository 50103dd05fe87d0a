using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BatchEngine.Data.Register;
using BatchEngine.Tests.Infrastructure;
using Dapper;

namespace BatchEngine.Tests.Statistics;

/// <summary>
/// The reporting-status API for other agencies (issue #19): its answer against the database, and its keys — missing,
/// wrong, revoked, of another scope, over the rate — each refused and recorded with the key's name.
/// </summary>
[Category(Categories.Process)]
public sealed class ReportingStatusApiTests(string store) : StoreTest(store)
{
    private static readonly DateTime Now = CliRunner.DemoNow.UtcDateTime;

    [Test]
    public async Task A_valid_key_gets_a_units_status_and_every_kind_of_wrong_key_is_refused_and_recorded()
    {
        await using var factory = new DashboardFactory(TempDirectory, DatabaseSetting, demoUnits: 120);
        using var client = factory.CreateClient();
        var keys = new ApiKeys(Database);
        var (valid, record) = await keys.CreateAsync("بانک ملی", ApiKeys.ReportingStatus, "admin", Now);
        var (revoked, revokedRecord) = await keys.CreateAsync("سامانه قدیمی", ApiKeys.ReportingStatus, "admin", Now);
        await keys.RevokeAsync(revokedRecord.Id, "admin", Now);
        var (otherScope, _) = await keys.CreateAsync("آمار", "statistics", "admin", Now);
        await using var connection = await Database.OpenAsync();
        var (unitId, licence) = await connection.QueryFirstAsync<(long, string)>(
            "SELECT u.id, u.licence_no FROM units u WHERE EXISTS (SELECT 1 FROM missed_deadline_flags f WHERE f.unit_id = u.id AND NOT EXISTS " +
            "(SELECT 1 FROM returns r WHERE r.unit_id = f.unit_id AND r.period = f.period AND r.state <> 'Draft')) ORDER BY u.id");

        var answer = await GetAsync(client, licence, valid);

        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        var missing = await connection.QueryAsync<string>(
            "SELECT f.period FROM missed_deadline_flags f WHERE f.unit_id = @unitId AND NOT EXISTS (SELECT 1 FROM returns r WHERE r.unit_id = f.unit_id " +
            "AND r.period = f.period AND r.state <> 'Draft') ORDER BY f.period", new { unitId });
        Assert.That(json.GetProperty("missingPeriods").EnumerateArray().Select(p => p.GetString()), Is.EqualTo(missing));
        Assert.That(json.GetProperty("lastRegisteredPeriod").GetString(), Is.EqualTo(await connection.ExecuteScalarAsync<string?>(
            "SELECT MAX(period) FROM returns WHERE unit_id = @unitId AND state = 'Registered'", new { unitId })));
        Assert.That(json.GetProperty("possiblyInactive").GetBoolean(), Is.EqualTo(await connection.ExecuteScalarAsync<string>(
            "SELECT status FROM units WHERE id = @unitId", new { unitId }) == "PossiblyInactive"));
        Assert.That(json.GetProperty("asOf").GetDateTimeOffset(), Is.EqualTo(CliRunner.DemoNow).Within(TimeSpan.FromMinutes(5)), "the host's clock");

        Assert.That((await GetAsync(client, licence, null)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "no key");
        Assert.That((await GetAsync(client, licence, valid[..^2] + "xx")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "a wrong key");
        var wasRevoked = await GetAsync(client, licence, revoked);
        Assert.That(wasRevoked.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await wasRevoked.Content.ReadAsStringAsync(), Does.Contain("revoked"));
        Assert.That((await GetAsync(client, licence, otherScope)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "a key of another scope");
        Assert.That((await GetAsync(client, "00000000", valid)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        using var bearer = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/units/{licence}/reporting-status");
        bearer.Headers.Authorization = new("Bearer", valid);
        Assert.That((await client.SendAsync(bearer)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the key as a bearer token");

        var calls = (await connection.QueryAsync<(long?, int)>("SELECT key_id, status FROM api_key_calls ORDER BY id")).ToList();
        Assert.That(calls, Is.EqualTo(new (long?, int)[]
        {
            (record.Id, 200), (null, 401), (null, 401), (revokedRecord.Id, 401), (calls[4].Item1, 403), (record.Id, 404), (record.Id, 200),
        }));
        Assert.That(calls[4].Item1, Is.Not.Null, "a key of another scope is known by name");
        Assert.That((await keys.FindAsync(record.Id))!.Calls, Is.EqualTo(3));
    }

    [Test]
    public async Task Over_the_rate_a_key_is_refused_with_a_time_to_wait()
    {
        await using var factory = new DashboardFactory(TempDirectory, DatabaseSetting, demoUnits: 40,
            engineSettings: new Dictionary<string, string> { ["Api:RequestsPerMinute"] = "3" });
        using var client = factory.CreateClient();
        var (key, record) = await new ApiKeys(Database).CreateAsync("سوخت", ApiKeys.ReportingStatus, "admin", Now);
        await using var connection = await Database.OpenAsync();
        var licence = await connection.QueryFirstAsync<string>("SELECT licence_no FROM units ORDER BY id");

        // Ten at once: whatever minute boundary falls among them, at most 3 + 3 pass.
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 10; i++)
        {
            answers.Add(await GetAsync(client, licence, key));
        }

        var refused = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.That(refused, Has.Count.GreaterThanOrEqualTo(4));
        Assert.That(answers.Count(a => a.StatusCode == HttpStatusCode.OK), Is.EqualTo(10 - refused.Count));
        Assert.That(refused[0].Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(60)));
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM api_key_calls WHERE key_id = @id AND status = 429", new { id = record.Id }),
            Is.EqualTo(refused.Count), "refusals are recorded with the key");
    }

    [Test]
    public async Task The_api_is_described_by_OpenAPI_and_an_admin_creates_and_revokes_keys()
    {
        await using var factory = new DashboardFactory(TempDirectory, DatabaseSetting, demoUnits: 40);
        using var anonymous = factory.CreateClient();
        using var admin = await DashboardClient.SignedInAsync(factory, "admin");
        using var expert = await DashboardClient.SignedInAsync(factory, "tehran-expert");

        var openApi = JsonDocument.Parse(await anonymous.GetStringAsync("/api/v1/openapi.json")).RootElement;
        Assert.That(openApi.GetProperty("paths").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "/api/v1/units/{licence}/reporting-status" }));
        Assert.That(openApi.GetProperty("components").GetProperty("securitySchemes").GetProperty("apiKey").GetProperty("name").GetString(), Is.EqualTo("X-Api-Key"));

        var created = await DashboardClient.PostFormAsync(admin, "/admin/api-keys?handler=Create", new() { ["name"] = "بانک سپه" }, tokenFrom: "/admin/api-keys");
        var html = await created.Content.ReadAsStringAsync();
        var key = System.Text.RegularExpressions.Regex.Match(html, "bek_[A-Za-z0-9_-]{43}").Value;
        Assert.That(key, Is.Not.Empty, "the new key is shown once");
        Assert.That(await admin.GetStringAsync("/admin/api-keys"), Does.Not.Contain(key), "and never again");
        await using var connection = await Database.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM api_keys WHERE key_hash LIKE @key", new { key = "%" + key[12..] + "%" }), Is.Zero,
            "only its hash is kept");
        var licence = await connection.QueryFirstAsync<string>("SELECT licence_no FROM units ORDER BY id");
        Assert.That((await GetAsync(anonymous, licence, key)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var id = await connection.ExecuteScalarAsync<long>("SELECT id FROM api_keys WHERE name = 'بانک سپه'");
        var byExpert = await DashboardClient.PostFormAsync(expert, "/admin/api-keys?handler=Revoke", new() { ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, tokenFrom: "/queue");
        Assert.That(byExpert.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden).Or.EqualTo(HttpStatusCode.Redirect));
        Assert.That((await GetAsync(anonymous, licence, key)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "an expert cannot revoke");
        await DashboardClient.PostFormAsync(admin, "/admin/api-keys?handler=Revoke", new() { ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, tokenFrom: "/admin/api-keys");
        Assert.That((await GetAsync(anonymous, licence, key)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    private static Task<HttpResponseMessage> GetAsync(HttpClient client, string licence, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/units/{licence}/reporting-status");
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return client.SendAsync(request);
    }
}
