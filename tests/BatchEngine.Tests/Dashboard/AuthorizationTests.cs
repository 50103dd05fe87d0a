using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Returns;
using BatchEngine.Tests.Infrastructure;
using Dapper;

namespace BatchEngine.Tests.Dashboard;

/// <summary>
/// Every page and action against every role, own scope and another scope, and signed out; forged or missing
/// anti-forgery tokens. One demo database for the fixture; each test changes at most returns it chose.
/// </summary>
[Category(Categories.Process)]
public sealed class AuthorizationTests
{
    private static readonly string[] Users = ["anonymous", "tehran-liaison", "tehran-expert", "isfahan-expert", "ministry", "admin"];
    private string _folder = "";
    private DashboardFactory _factory = null!;
    private Database _database = null!;
    private readonly Dictionary<string, HttpClient> _clients = [];
    private long _ownUnit, _otherTehranUnit, _isfahanUnit, _ownReturn, _otherTehranReturn, _isfahanReturn;
    private string _period = "";

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _folder = Directory.CreateTempSubdirectory("batchengine-auth-").FullName;
        var db = Path.Combine(_folder, "batchengine.db");
        _factory = new DashboardFactory(_folder, db, demoUnits: 200);
        foreach (var user in Users)
        {
            _clients[user] = user == "anonymous" ? DashboardClient.Create(_factory) : await DashboardClient.SignedInAsync(_factory, user);
        }

        _database = Database.FromSetting(db);
        await using var connection = await _database.OpenAsync();
        _ownUnit = await connection.ExecuteScalarAsync<long>("SELECT unit_id FROM users WHERE user_name = 'tehran-liaison'");
        _otherTehranUnit = await connection.ExecuteScalarAsync<long>(
            "SELECT MIN(r.unit_id) FROM returns r JOIN units u ON u.id = r.unit_id WHERE u.province_code = 'tehran' AND u.id <> @_ownUnit", new { _ownUnit });
        _isfahanUnit = await connection.ExecuteScalarAsync<long>(
            "SELECT MIN(r.unit_id) FROM returns r JOIN units u ON u.id = r.unit_id WHERE u.province_code = 'isfahan'");
        _ownReturn = await connection.ExecuteScalarAsync<long>("SELECT MIN(id) FROM returns WHERE unit_id = @_ownUnit", new { _ownUnit });
        _otherTehranReturn = await connection.ExecuteScalarAsync<long>("SELECT MIN(id) FROM returns WHERE unit_id = @_otherTehranUnit", new { _otherTehranUnit });
        _isfahanReturn = await connection.ExecuteScalarAsync<long>("SELECT MIN(id) FROM returns WHERE unit_id = @_isfahanUnit", new { _isfahanUnit });
        _period = await connection.ExecuteScalarAsync<string>("SELECT MAX(code) FROM periods") ?? "";
    }

    [Test]
    public async Task The_missing_units_list_shows_contacts_and_its_CSV_holds_the_whole_list_under_Persian_headers()
    {
        await using var connection = await _database.OpenAsync();
        var period = await PreviousPeriodAsync(connection);
        var page = await _clients["ministry"].GetStringAsync($"/compliance?period={period}&list=Missing");
        var csv = await _clients["ministry"].GetStringAsync($"/compliance?handler=Csv&period={period}&list=Missing");
        var home = await _clients["tehran-expert"].GetStringAsync("/");

        var total = int.Parse(BatchEngine.Data.Calendar.PersianText.ToAsciiDigits(
            System.Text.RegularExpressions.Regex.Match(page, @"\(([۰-۹٬]+) واحد\)").Groups[1].Value.Replace("٬", "")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(total, Is.GreaterThan(0));
        Assert.That(page, Does.Contain("href=\"tel:").And.Contain("آخرین دوره گزارش‌شده"));
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Does.StartWith("شماره پروانه,نام واحد,استان").And.Contain("تلفن همراه").And.Contain("رایانامه"));
        Assert.That(lines, Has.Length.EqualTo(total + 1), "every unit of the list, not a page of it");
        Assert.That(home, Does.Contain("href=\"/compliance?period=").And.Contain("list=Missing"), "the home counts lead to their lists");
        Assert.That(home, Does.Not.Match(@"\d{4}-\d{2}/(reminder|open|deadline)"), "no internal job keys");
    }

    [Test]
    public async Task Pages_go_compressed_with_a_skip_link_and_the_menu_marking_the_current_page()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/compliance");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        using var response = await _clients["ministry"].SendAsync(request);
        await using var body = new System.IO.Compression.GZipStream(await response.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress);
        var html = await new StreamReader(body).ReadToEndAsync();

        Assert.That(response.Content.Headers.ContentEncoding, Is.EqualTo(new[] { "gzip" }));
        Assert.That(html, Does.Contain("class=\"skip-link\" href=\"#main\"").And.Contain("<main id=\"main\""));
        Assert.That(html, Does.Contain("href=\"/compliance\" aria-current=\"page\"").And.Not.Contain("href=\"/queue\" aria-current"));
    }

    [Test]
    public async Task The_ministry_works_by_province_and_reads_compliance_in_Persian_order_with_the_country_total()
    {
        var isfahanQueue = await _clients["ministry"].GetStringAsync("/queue?province=isfahan");
        var compliance = await _clients["ministry"].GetStringAsync($"/compliance?period={_period}");

        Assert.That(isfahanQueue, Does.Contain("data-label=\"استان\">اصفهان</td>").And.Not.Contain("data-label=\"استان\">تهران</td>"));
        Assert.That(compliance.IndexOf("<td>اصفهان</td>", StringComparison.Ordinal), Is.LessThan(compliance.IndexOf("<td>تهران</td>", StringComparison.Ordinal)),
            "Persian alphabetical order");
        Assert.That(compliance, Does.Contain("id=\"compliance-total\"><th>کل کشور</th>"));
    }

    [Test]
    public async Task The_queue_marks_outliers_with_their_direction_and_keeps_only_them_when_asked()
    {
        var all = await _clients["tehran-expert"].GetStringAsync("/queue");
        var up = await _clients["tehran-expert"].GetStringAsync("/queue?outlier=Up");
        var down = await _clients["tehran-expert"].GetStringAsync("/queue?outlier=Down");

        Assert.That(all, Does.Contain("<th>نامتعارف</th>").And.Contain("<th>مهلت بررسی</th>"));
        Assert.That(all, Does.Contain("class=\"badge late review-overdue\">گذشته</span>"), "the demo's queue holds returns of earlier periods, past their review day");
        var upRows = Regex.Matches(up, "<td data-label=\"دوره\">").Count;
        Assert.That(upRows, Is.GreaterThan(0), "the demo's figures have outliers");
        Assert.That(Regex.Matches(up, "class=\"badge flag outlier-mark\"[^>]*>↑ ").Count, Is.EqualTo(upRows), "every row kept rises beyond the threshold");
        Assert.That(down, Does.Not.Contain("outlier-mark\" title=\"نسبت به میانگین ماه‌های قبل\">↑").And.Not.Contain("همان ماه سال قبل\">↑"));
        Assert.That(up, Does.Contain("name=\"outlier\"").And.Contain("<option value=\"Up\" selected=\"selected\">"), "the filter survives");
    }

    [Test]
    public async Task An_expert_reminds_chosen_missing_units_now_and_only_those_of_their_province()
    {
        await using var connection = await _database.OpenAsync();
        var period = await PreviousPeriodAsync(connection);
        var silent = await connection.ExecuteScalarAsync<long>(
            """
            SELECT MIN(u.id) FROM units u WHERE u.province_code = 'tehran' AND u.status <> 'Closed'
              AND u.id IN (SELECT unit_id FROM liaisons WHERE active_to IS NULL)
              AND u.id NOT IN (SELECT unit_id FROM returns WHERE period = @period AND state <> 'Draft')
            """, new { period });
        var before = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM reminders WHERE stage LIKE 'manual-%'");

        var response = await DashboardClient.PostFormAsync(_clients["tehran-expert"], $"/compliance?handler=Remind&period={period}&list=Missing",
            new() { ["Chosen"] = $"{silent}" }, tokenFrom: $"/compliance?period={period}&list=Missing");
        var refused = await DashboardClient.PostFormAsync(_clients["tehran-expert"], $"/compliance?handler=Remind&period={period}&list=Missing",
            new() { ["Chosen"] = $"{_isfahanUnit}" }, tokenFrom: $"/compliance?period={period}&list=Missing");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(DISTINCT unit_id) FROM reminders WHERE stage LIKE 'manual-%'"), Is.EqualTo(1));
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT MIN(unit_id) FROM reminders WHERE stage LIKE 'manual-%'"), Is.EqualTo(silent));
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM reminders WHERE stage LIKE 'manual-%'"), Is.GreaterThan(before));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "another province's unit is passed over, not an error");
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM reminders WHERE stage LIKE 'manual-%' AND unit_id = @_isfahanUnit", new { _isfahanUnit }), Is.Zero);
    }

    [Test]
    public async Task The_liaison_form_shows_the_deadline_and_last_months_figures_beside_each_product()
    {
        await using var connection = await _database.OpenAsync();
        // The month after one the liaison's unit reported: its form shows that month's production.
        var reported = await connection.ExecuteScalarAsync<string>(
            "SELECT MAX(period) FROM returns WHERE unit_id = @_ownUnit AND period < @_period AND state <> 'Draft'", new { _ownUnit, _period });
        var production = await connection.ExecuteScalarAsync<decimal>(
            "SELECT MIN(l.production) FROM returns r JOIN return_lines l ON l.return_id = r.id WHERE r.unit_id = @_ownUnit AND r.period = @reported",
            new { _ownUnit, reported });
        var period = BatchEngine.Data.Calendar.JalaliPeriod.Parse(reported!).Next.ToString();

        var page = await _clients["tehran-liaison"].GetStringAsync($"/liaison/return/{period}");

        Assert.That(page, Does.Contain("id=\"deadline\">مهلت ثبت:").And.Contain("تولید ماه قبل"));
        Assert.That(page, Does.Contain($"earlier\">{BatchEngine.Data.Calendar.PersianText.Number(production)}</td>"));
    }

    [Test]
    public async Task The_ministry_finds_registered_returns_in_a_list_and_reopens_one_with_a_reason()
    {
        await using var connection = await _database.OpenAsync();
        var (id, version, licence) = await connection.QuerySingleAsync<(long, int, string)>(
            "SELECT r.id, r.version, u.licence_no FROM returns r JOIN units u ON u.id = r.unit_id WHERE r.state = 'Registered' ORDER BY r.id LIMIT 1");

        var list = await _clients["ministry"].GetStringAsync($"/queue?registered=true&licence={licence}");
        var province = await _clients["tehran-expert"].GetStringAsync("/queue?registered=true");
        var reopen = await DashboardClient.PostFormAsync(_clients["ministry"], $"/queue?registered=true&licence={licence}",
            new() { ["Selected"] = $"{id}:{version}", ["To"] = nameof(ReturnState.ReturnedByMinistry), ["Reason"] = "ارقام صادرات نادرست ثبت شده",
                ["Confirmed"] = $"1:{nameof(ReturnState.ReturnedByMinistry)}:ارقام صادرات نادرست ثبت شده" });

        Assert.That(list, Does.Contain($"value=\"{id}:{version}\"").And.Contain("بازگشایی برای اصلاح"));
        Assert.That(province, Does.Not.Contain("data-label=\"وضعیت\">ثبت نهایی"), "only the ministry lists registered returns");
        Assert.That(reopen.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That((await new ReturnStore(_database).GetAsync(id))!.State, Is.EqualTo(ReturnState.ReturnedByMinistry));
    }

    [Test]
    public async Task A_provincial_expert_extends_chosen_units_deadlines_to_the_end_of_a_day_and_the_ministry_may_not()
    {
        await using var connection = await _database.OpenAsync();
        var period = await PreviousPeriodAsync(connection);
        var unit = await connection.ExecuteScalarAsync<long>(
            """
            SELECT MAX(u.id) FROM units u WHERE u.province_code = 'tehran' AND u.status <> 'Closed'
              AND u.id NOT IN (SELECT unit_id FROM returns WHERE period = @period AND state <> 'Draft')
            """, new { period });
        var form = new Dictionary<string, string> { ["Chosen"] = $"{unit}", ["ExtendUntil"] = "۱۴۰۷/۰۱/۱۵", ["ExtendReason"] = "قطعی برق شهرک صنعتی" };

        var ministry = await DashboardClient.PostFormAsync(_clients["ministry"], $"/compliance?handler=Extend&period={period}&list=Missing", new(form),
            tokenFrom: $"/compliance?period={period}&list=Missing");
        var expert = await DashboardClient.PostFormAsync(_clients["tehran-expert"], $"/compliance?handler=Extend&period={period}&list=Missing", new(form),
            tokenFrom: $"/compliance?period={period}&list=Missing");

        Assert.That(ministry.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "extensions are the province's");
        Assert.That(expert.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var granted = (await new BatchEngine.Data.Periods.DeadlineExtensions(_database).HistoryAsync(unit, JalaliPeriod.Parse(period!))).Single();
        Assert.That(granted.Reason, Is.EqualTo("قطعی برق شهرک صنعتی"));
        Assert.That(granted.LateFrom, Is.EqualTo(BatchEngine.Data.Calendar.TehranClock.FromOperatingSystem().After(new BatchEngine.Data.Calendar.JalaliDate(1407, 1, 15)).UtcDateTime));
    }

    [Test]
    public async Task A_follow_up_action_on_all_matching_units_takes_the_whole_list_and_is_refused_if_it_changed()
    {
        await using var connection = await _database.OpenAsync();
        // The newest period, not yet due at the demo's instant, and the Tehran units whose licences share the last one's
        // first seven digits: not the liaison's own unit, which other tests read.
        var period = _period;
        var prefix = (await connection.ExecuteScalarAsync<string>("SELECT MAX(licence_no) FROM units WHERE province_code = 'tehran'"))![..7];
        Assume.That(await connection.ExecuteScalarAsync<string>("SELECT licence_no FROM units WHERE id = @_ownUnit", new { _ownUnit }), Does.Not.StartWith(prefix));
        var list = $"/compliance?period={period}&list=NotYetDue&search={prefix}";
        var page = await _clients["tehran-expert"].GetStringAsync(list + "&pageNumber=1");
        var total = int.Parse(BatchEngine.Data.Calendar.PersianText.ToAsciiDigits(Regex.Match(page, @"\(([۰-۹٬]+) واحد\)").Groups[1].Value.Replace("٬", "")),
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(total, Is.GreaterThan(1));
        var form = new Dictionary<string, string> { ["AllMatching"] = "true", ["ExtendUntil"] = "1407/01/20", ["ExtendReason"] = "سیل" };
        var extended = "SELECT COUNT(*) FROM deadline_extensions WHERE period = @period";

        var changed = await DashboardClient.PostFormAsync(_clients["tehran-expert"], $"{list}&handler=Extend", new(form) { ["MatchingCount"] = $"{total + 1}" }, tokenFrom: list);
        Assert.That(await connection.ExecuteScalarAsync<int>(extended, new { period }), Is.Zero, "a count that is not the list's refuses the whole action");
        var done = await DashboardClient.PostFormAsync(_clients["tehran-expert"], $"{list}&handler=Extend", new(form) { ["MatchingCount"] = $"{total}" }, tokenFrom: list);

        Assert.That((changed.StatusCode, done.StatusCode), Is.EqualTo((HttpStatusCode.Redirect, HttpStatusCode.Redirect)));
        Assert.That(await connection.ExecuteScalarAsync<int>(extended, new { period }), Is.EqualTo(total), "every unit of the list, none ticked");
        Assert.That(await connection.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM deadline_extensions e JOIN units u ON u.id = e.unit_id WHERE e.period = @period AND u.licence_no NOT LIKE @like", new { period, like = prefix + "%" }), Is.Zero);
    }

    /// <summary>The period before the newest: its deadline has passed at the demo's instant, so it has missing units.</summary>
    private Task<string?> PreviousPeriodAsync(System.Data.Common.DbConnection connection) =>
        connection.ExecuteScalarAsync<string>("SELECT MAX(code) FROM periods WHERE code < @_period", new { _period });

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        await _factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The status each user gets for each page: 200 allowed, 302 to the sign-in page (or the liaison's home), 401/403 refused.</summary>
    [Test]
    public async Task Every_page_answers_each_role_and_scope_as_the_rules_say()
    {
        //                                             anonymous liaison tehran isfahan ministry admin
        var expected = new (string Path, int[] Codes)[]
        {
            ("/", [302, 302, 200, 200, 200, 200]),
            ("/liaison", [302, 200, 403, 403, 403, 403]),
            ($"/liaison/return/{_period}", [302, 200, 403, 403, 403, 403]),
            ("/queue", [302, 403, 200, 200, 200, 403]),
            ("/compliance", [302, 403, 200, 200, 200, 200]),
            ("/compliance?handler=Csv&list=Missing", [302, 403, 200, 200, 200, 200]),
            ("/uploads", [302, 403, 200, 200, 403, 200]),
            ("/admin/schedule", [302, 403, 403, 403, 403, 200]),
            ("/closures", [302, 403, 200, 200, 200, 200]),
            ("/register", [302, 403, 200, 200, 200, 200]),
            ("/register/users", [302, 403, 200, 200, 200, 200]),
            ("/account/password", [302, 200, 200, 200, 200, 200]),
            ("/admin/deliveries", [302, 403, 403, 403, 403, 200]),
            ("/hangfire", [302, 403, 403, 403, 403, 200]),
            ($"/units/{_ownUnit}", [302, 200, 200, 403, 200, 200]),
            ($"/units/{_otherTehranUnit}", [302, 403, 200, 403, 200, 200]),
            ($"/units/{_isfahanUnit}", [302, 403, 403, 200, 200, 200]),
            ($"/returns/{_ownReturn}", [302, 200, 200, 403, 200, 200]),
            ($"/returns/{_otherTehranReturn}", [302, 403, 200, 403, 200, 200]),
            ($"/returns/{_isfahanReturn}", [302, 403, 403, 200, 200, 200]),
            ("/api/queue", [401, 403, 200, 200, 200, 403]),
            ($"/api/returns/{_otherTehranReturn}", [401, 403, 200, 403, 200, 200]),
            ($"/api/compliance?period={_period}", [401, 403, 200, 200, 200, 200]),
        };

        var wrong = new List<string>();
        foreach (var (path, codes) in expected)
        {
            for (var i = 0; i < Users.Length; i++)
            {
                var status = (int)(await _clients[Users[i]].GetAsync(path)).StatusCode;
                if (status != codes[i])
                {
                    wrong.Add($"{Users[i]} GET {path}: {status}, expected {codes[i]}");
                }
            }
        }

        Assert.That(wrong, Is.Empty);
    }

    [Test]
    public async Task A_provincial_expert_records_closures_of_their_own_province_only_and_an_admin_of_any()
    {
        var form = new Dictionary<string, string> { ["Day"] = "۱۴۰۵-۰۹-۱۰", ["Province"] = "tehran", ["Reason"] = "آلودگی هوا" };
        var expert = await DashboardClient.PostFormAsync(_clients["isfahan-expert"], "/closures", new Dictionary<string, string>(form));
        Assert.That((int)expert.StatusCode, Is.EqualTo(302));
        var closures = new BatchEngine.Data.Periods.ProvinceClosures(_database);
        Assert.That((await closures.AllAsync()).Select(c => (c.ProvinceCode, c.Day)), Is.EqualTo(new[] { ("isfahan", "1405-09-10") }),
            "the form cannot widen an expert's scope: their own province");

        var admin = await DashboardClient.PostFormAsync(_clients["admin"], "/closures", new Dictionary<string, string>(form));
        Assert.That((int)admin.StatusCode, Is.EqualTo(302));
        Assert.That((await closures.AllAsync("tehran")).Single().AddedBy, Does.Contain("admin"));

        var wrong = await DashboardClient.PostFormAsync(_clients["admin"], "/closures", new Dictionary<string, string>(form) { ["Day"] = "1405-13-40" });
        Assert.That(await wrong.Content.ReadAsStringAsync(), Does.Contain("تاریخ شمسی نیست"));
        var liaison = await _clients["tehran-liaison"].PostAsync("/closures", new FormUrlEncodedContent(form));
        Assert.That((int)liaison.StatusCode, Is.AnyOf(400, 403));
        Assert.That(await closures.AllAsync(), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_provincial_expert_sees_only_their_province_in_queues_and_compliance()
    {
        var page = await _clients["isfahan-expert"].GetFromJsonAsync<System.Text.Json.JsonElement>("/api/queue");
        var queue = page.GetProperty("rows").EnumerateArray().ToList();
        Assert.That(queue, Is.Not.Empty);
        Assert.That(page.GetProperty("total").GetInt32(), Is.GreaterThanOrEqualTo(queue.Count));
        Assert.That(queue.Select(r => r.GetProperty("provinceCode").GetString()), Has.All.EqualTo("isfahan"));
        var html = await _clients["isfahan-expert"].GetStringAsync("/queue");
        Assert.That(html, Does.Contain($"از {BatchEngine.Data.Calendar.PersianText.Number(page.GetProperty("total").GetInt32())}</p>"), "the page says how many there are");
        var register = await _clients["ministry"].GetStringAsync("/register");
        Assert.That(register, Does.Contain("ردیف‌های ۱ تا ۱۰۰ از ۲۰۰</p>").And.Contain("href=\"?pageNumber=2\" rel=\"next\""), "200 units: two pages, the total said");
        var second = await _clients["ministry"].GetStringAsync("/register?pageNumber=2");
        Assert.That(second, Does.Contain("ردیف‌های ۱۰۱ تا ۲۰۰ از ۲۰۰</p>").And.Contain("rel=\"prev\""));
        var compliance = await _clients["isfahan-expert"].GetStringAsync($"/compliance?period={_period}&province=tehran&list=Missing");
        Assert.That(compliance, Does.Contain("استان اصفهان").And.Not.Contain("<td>تهران</td>"), "the address cannot widen the scope");
    }

    [Test]
    public async Task A_period_filter_is_read_as_a_period_and_one_that_cannot_be_read_lists_and_moves_nothing()
    {
        var expert = _clients["tehran-expert"];
        var page = await expert.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/queue?period={_period.Replace('-', '/')}");
        var rows = page.GetProperty("rows").EnumerateArray().ToList();
        Assert.That(rows, Is.Not.Empty);
        Assert.That(rows.Select(r => r.GetProperty("period").GetString()), Has.All.EqualTo(_period), "a period travels as its text");

        var unread = await expert.GetAsync("/api/queue?period=1404-XX");
        Assert.That(unread.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var error = await unread.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.That((error.GetProperty("field").GetString(), error.GetProperty("error").GetString()), Is.EqualTo(("period", "دورهٔ «1404-XX» خوانده نشد؛ سال و ماه شمسی مانند ۱۴۰۵-۰۸ لازم است.")));

        var html = await expert.GetStringAsync("/queue?period=1404-XX");
        Assert.That(html, Does.Contain("دورهٔ «1404-XX» خوانده نشد").And.Not.Contain("name=\"Selected\""), "no row of every period instead");
        // Confirmed for every return of the expert's queue: were the unread period taken as no filter, all of them would move.
        var queue = ReturnWorkflow.AwaitingReviewBy(ActorRole.ProvincialExpert);
        var waiting = (await new ReviewQueries(_database).QueueAsync(new QueueFilter(queue, "tehran", null, null, null, null))).Total;
        var count = waiting.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var moved = await DashboardClient.PostFormAsync(expert, "/queue?period=1404-XX",
            new()
            {
                ["AllMatching"] = "true", ["MatchingCount"] = count, ["To"] = nameof(ReturnState.ForwardedToMinistry), ["Reason"] = "بررسی شد",
                ["Confirmed"] = $"{count}:{nameof(ReturnState.ForwardedToMinistry)}:بررسی شد",
            },
            tokenFrom: "/queue");
        Assert.That(moved.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the page again, with its error");
        Assert.That((await new ReviewQueries(_database).QueueAsync(new QueueFilter(queue, "tehran", null, null, null, null))).Total, Is.EqualTo(waiting), "nothing moved");
    }

    [Test]
    public async Task Actions_outside_the_role_or_scope_are_refused_and_change_nothing()
    {
        var target = await SubmittedReturnAsync("tehran");
        var before = (await new ReturnStore(_database).GetAsync(target.Id))!.Version;
        var move = new Dictionary<string, string> { ["To"] = nameof(ReturnState.ForwardedToMinistry), ["Version"] = before.ToString(System.Globalization.CultureInfo.InvariantCulture) };

        // Other province, a liaison of another unit, the ministry (wrong role for this move): no change.
        var isfahan = await DashboardClient.PostFormAsync(_clients["isfahan-expert"], $"/returns/{target.Id}", new(move), tokenFrom: "/queue");
        var liaison = await DashboardClient.PostFormAsync(_clients["tehran-liaison"], $"/returns/{target.Id}", new(move), tokenFrom: "/liaison");
        var ministry = await DashboardClient.PostFormAsync(_clients["ministry"], $"/returns/{target.Id}", new(move));
        var bulk = await DashboardClient.PostFormAsync(_clients["isfahan-expert"], "/queue",
            new() { ["Selected"] = $"{target.Id}:{before}", ["To"] = nameof(ReturnState.ForwardedToMinistry), ["Confirmed"] = $"1:{nameof(ReturnState.ForwardedToMinistry)}:" });
        var noToken = await DashboardClient.PostFormAsync(_clients["tehran-expert"], $"/returns/{target.Id}", new(move), withToken: false);
        var forged = await DashboardClient.PostFormAsync(_clients["tehran-expert"], $"/returns/{target.Id}",
            new(move) { ["__RequestVerificationToken"] = "CfDJ8forged" }, withToken: false);
        var stolen = await DashboardClient.PostFormAsync(_clients["tehran-expert"], $"/returns/{target.Id}", new(move),
            tokenFrom: null, withToken: false);

        Assert.That((isfahan.StatusCode, liaison.StatusCode), Is.EqualTo((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)));
        Assert.That(await ministry.Content.ReadAsStringAsync(), Does.Contain("انجام نشد"), "the ministry cannot forward for a province");
        Assert.That(await bulk.Content.ReadAsStringAsync(), Does.Contain("انجام نشد"), "the queue refuses a return of another province");
        Assert.That((noToken.StatusCode, forged.StatusCode, stolen.StatusCode), Is.EqualTo((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest)));
        Assert.That((await new ReturnStore(_database).GetAsync(target.Id))!.Version, Is.EqualTo(before), "nothing changed");

        var done = await DashboardClient.PostFormAsync(_clients["tehran-expert"], $"/returns/{target.Id}", new(move));
        Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That((await new ReturnStore(_database).GetAsync(target.Id))!.State, Is.EqualTo(ReturnState.ForwardedToMinistry));
    }

    [Test]
    public async Task The_API_takes_actions_only_with_its_anti_forgery_header_and_in_scope()
    {
        var target = await SubmittedReturnAsync("tehran");
        var client = _clients["tehran-expert"];
        var body = JsonContent.Create(new { targets = new[] { new { id = target.Id, version = target.Version } }, to = "ReturnedByProvince", reason = "ارقام فروش ناقص است" });

        var withoutHeader = await client.PostAsync("/api/returns/actions", body);
        var token = (await client.GetFromJsonAsync<Dictionary<string, string>>("/api/antiforgery"))!["token"];
        var isfahan = _clients["isfahan-expert"];
        var isfahanToken = (await isfahan.GetFromJsonAsync<Dictionary<string, string>>("/api/antiforgery"))!["token"];
        using var outOfScope = new HttpRequestMessage(HttpMethod.Post, "/api/returns/actions") { Content = body };
        outOfScope.Headers.Add("RequestVerificationToken", isfahanToken);
        var refused = await isfahan.SendAsync(outOfScope);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/returns/actions") { Content = body };
        request.Headers.Add("RequestVerificationToken", token);
        var accepted = await client.SendAsync(request);

        Assert.That(withoutHeader.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await accepted.Content.ReadAsStringAsync());
        var history = await new ReturnStore(_database).HistoryAsync(target.Id);
        Assert.That((history[^1].ToState, history[^1].Reason), Is.EqualTo((ReturnState.ReturnedByProvince, "ارقام فروش ناقص است")));
    }

    [Test]
    public async Task Uploads_and_deliveries_are_refused_to_roles_that_do_not_have_them()
    {
        using var ministryUpload = new MultipartFormDataContent { { new StringContent("x"), "__RequestVerificationToken", await DashboardClient.TokenAsync(_clients["ministry"], "/queue") } };
        Assert.That((await _clients["ministry"].PostAsync("/uploads", ministryUpload)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var deliver = await DashboardClient.PostFormAsync(_clients["tehran-expert"], "/admin/deliveries?handler=Deliver", new() { ["partner"] = "customs" }, tokenFrom: "/queue");
        Assert.That(deliver.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task A_liaison_typing_a_figure_that_is_not_a_number_is_told_which_product_field_and_value()
    {
        var client = _clients["tehran-liaison"];
        var path = $"/liaison/return/{_period}";
        var page = await client.GetStringAsync(path);
        var product = System.Text.RegularExpressions.Regex.Match(page, "name=\"Figures\\[0\\].ProductCode\" value=\"([^\"]+)\"").Groups[1].Value;

        var response = await DashboardClient.PostFormAsync(client, path + "?handler=Submit",
            new() { ["Figures[0].ProductCode"] = product, ["Figures[0].Production"] = "۱۲abc", ["Employees"] = "-3" }, tokenFrom: path);

        var html = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("تولید: «۱۲abc» پذیرفته نیست").And.Contain("تعداد کارکنان «-3»"));
    }

    /// <summary>A submitted return of the province's units that no other test of this fixture uses.</summary>
    private async Task<Return> SubmittedReturnAsync(string province)
    {
        await using var connection = await _database.OpenAsync();
        var id = await connection.ExecuteScalarAsync<long>(
            """
            SELECT r.id FROM returns r JOIN units u ON u.id = r.unit_id
            WHERE u.province_code = @province AND r.state = 'Submitted' AND r.id NOT IN (SELECT return_id FROM return_history WHERE actor LIKE '%(tehran-expert)%')
            ORDER BY r.id LIMIT 1
            """,
            new { province });
        return (await new ReturnStore(_database).GetAsync(id))!;
    }
}
