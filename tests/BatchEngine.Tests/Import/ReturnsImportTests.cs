using System.Text;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Imports;
using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Import;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Import;

/// <summary>The rules of csv-returns.md, each proven with a real file on each store.</summary>
public sealed class ReturnsImportTests(string store) : StoreTest(store)
{
    private const string Header = "unit_id,period,product_code,production,sales,export_qty,export_value_usd,employees";
    private ImportFixture _fixture = null!;

    [SetUp]
    public async Task SeedAsync() => _fixture = await new ImportFixture(Database, TempDirectory).CreateAsync();

    [Test]
    public async Task A_clean_file_submits_each_return_in_full_with_its_history_and_the_late_mark_of_its_period()
    {
        var path = _fixture.Write("clean.csv", $"""
            {Header}
            23000001,1404-06,2394-01,1200,1100,50,15500,41
            23000002,1404-07,2394-01,300.25,,,,
            23000001,1404-06,{ImportFixture.PersianProduct},80,70,0,0,41
            """);

        var result = await _fixture.ImportAsync(path);

        Assert.That(result.Summary!.RowsRead, Is.EqualTo(3));
        Assert.That(result.Upload.ReturnsApplied, Is.EqualTo(2));
        Assert.That(result.Upload.State, Is.EqualTo(UploadState.Completed));
        var first = (await _fixture.ReturnAsync(_fixture.Unit1, new JalaliPeriod(1404, 6)))!;
        Assert.That(first.State, Is.EqualTo(ReturnState.Submitted));
        Assert.That(first.Employees, Is.EqualTo(41));
        Assert.That(first.Late, Is.True, "1404-06's deadline passed before the upload");
        Assert.That(first.SubmittedAt, Is.EqualTo(ImportFixture.Now));
        var lines = await _fixture.LinesAsync(_fixture.Unit1, new JalaliPeriod(1404, 6));
        Assert.That(lines.Select(l => (l.ProductCode, l.Production, l.Sales, l.ExportQty, l.ExportValueUsd)), Is.EquivalentTo(new[]
        {
            ("2394-01", 1200m, (decimal?)1100m, (decimal?)50m, (decimal?)15500m),
            (ImportFixture.PersianProduct, 80m, 70m, 0m, 0m),
        }));
        var second = (await _fixture.ReturnAsync(_fixture.Unit2, new JalaliPeriod(1404, 7)))!;
        Assert.That(second.Late, Is.False);
        Assert.That(second.Employees, Is.Null);
        Assert.That((await _fixture.LinesAsync(_fixture.Unit2, new JalaliPeriod(1404, 7))).Single().Production, Is.EqualTo(300.25m));

        var history = await new ReturnStore(Database).HistoryAsync(first.Id);
        Assert.That(history.Single().ToState, Is.EqualTo(ReturnState.Submitted));
        Assert.That(history.Single().ActorRole, Is.EqualTo(ActorRole.ProvincialOffice));
        Assert.That(history.Single().Reason, Is.EqualTo($"upload {result.Upload.Id}"));
    }

    [Test]
    public async Task Every_error_is_reported_at_once_and_only_the_returns_with_errors_are_rejected()
    {
        var forwarded = await ForwardedReturnAsync(_fixture.Unit2, new JalaliPeriod(1404, 6));
        var path = _fixture.Write("errors.csv", $"""
            {Header}
            23000001,1404-07,2394-01,100,90,,,30
            23000002,1404-06,2394-01,5,,,,
            99999999,1404-07,2394-01,5,,,,
            31000001,1404-07,2394-01,5,,,,
            23000003,1404-07,2394-01,5,,,,
            23000001,1404-13,2394-01,5,,,,
            23000001,1405-01,2394-01,5,,,,
            23000001,1404-06,2410-02,5,,,,
            23000001,1404-06,2394-01,-3,abc,,,
            23000001,1404-06,{ImportFixture.PersianProduct},,1,,,
            23000001,1404-07,{ImportFixture.PersianProduct},7,,,,30.5
            23000001,1404-07,2394-01,8,,,,
            """);

        var result = await _fixture.ImportAsync(path);
        var report = await File.ReadAllLinesAsync(result.Upload.ErrorReport!);

        var errors = report.Skip(1).Select(l => string.Join(',', l.Split(',').Take(2))).ToList();
        Assert.That(errors, Is.EqualTo(new[]
        {
            "3,unit_id", "4,unit_id", "5,unit_id", "6,unit_id", "7,period", "8,period", "9,product_code",
            "10,production", "10,sales", "11,production", "12,employees", "13,product_code",
        }));
        // The summary (command line, logs) in English; the office's report in Persian, line for line.
        var english = result.Summary!.FirstErrors.Select(e => e.Error).ToList();
        Assert.That(english[0], Does.Contain("ForwardedToMinistry").And.Contain("may not change"));
        Assert.That(english[1], Does.Contain("99999999").And.Contain("no unit"));
        Assert.That(english[2], Does.Contain("no unit with licence number").And.Contain("in the register of province tehran").And.Not.Contain("isfahan"), "nothing of other provinces");
        Assert.That(english[3], Does.Contain("closed"));
        Assert.That(english[4], Does.Contain("expected a Jalali year and month"));
        Assert.That(english[5], Does.Contain("1405-01 is not open"));
        Assert.That(english[6], Does.Contain("2410-02").And.Contain("expected one of: 2394-01, " + ImportFixture.PersianProduct));
        Assert.That(english[7], Does.Contain("negative"));
        Assert.That(english[8], Does.StartWith("not a number"));
        Assert.That(english[9], Does.Contain("missing"));
        Assert.That(english[10], Does.Contain("whole number"));
        Assert.That(english[11], Does.Contain("appears twice").And.Contain("first on line 2"));
        Assert.That(report[0], Is.EqualTo("سطر,ستون,مقدار,خطا"));
        Assert.That(report[1], Does.Contain("ارجاع به کارشناس وزارت").And.Contain("دیگر تغییر نمی‌کند"));
        Assert.That(report[3], Does.Contain("در شناسنامهٔ واحدهای این استان نیست").And.Not.Contain("isfahan").And.Not.Contain("اصفهان"));
        Assert.That(report[5], Does.Contain("1404-13").And.Contain("دوره نیست"));
        Assert.That(report[8], Does.Contain("'-3").And.Contain("منفی است"));
        Assert.That(report[9], Does.Contain("abc,عدد نیست"));
        Assert.That(report.Skip(1), Has.All.Not.Match("[a-z]{3,} [a-z]{3,}"), "no English sentence in the office's report");

        Assert.That(result.Summary!.RowsInError, Is.EqualTo(11));
        Assert.That(result.Upload.ReturnsApplied, Is.Zero, "every return of the file has an error");
        Assert.That(await _fixture.ReturnAsync(_fixture.Unit1, new JalaliPeriod(1404, 7)), Is.Null, "a return with one bad row is rejected whole");
        Assert.That(await _fixture.ReturnAsync(_fixture.Unit1, new JalaliPeriod(1404, 6)), Is.Null);
        Assert.That((await _fixture.ReturnAsync(_fixture.Unit2, new JalaliPeriod(1404, 6)))!.Version, Is.EqualTo(forwarded.Version), "untouched");
    }

    [Test]
    public async Task The_returns_without_errors_are_applied_beside_a_rejected_one()
    {
        var path = _fixture.Write("mixed.csv", $"""
            {Header}
            23000001,1404-07,2394-01,100,,,,30
            23000002,1404-07,2394-01,-1,,,,
            23000001,1404-07,{ImportFixture.PersianProduct},10,,,,30
            """);

        var result = await _fixture.ImportAsync(path);

        Assert.That((result.Upload.ReturnsApplied, result.Upload.ReturnsRejected, result.Upload.RowsInError), Is.EqualTo((1, 1, 1)));
        Assert.That(await _fixture.LinesAsync(_fixture.Unit1, new JalaliPeriod(1404, 7)), Has.Count.EqualTo(2), "rows of one return need not be adjacent");
        Assert.That(await _fixture.ReturnAsync(_fixture.Unit2, new JalaliPeriod(1404, 7)), Is.Null);
    }

    [Test]
    public async Task Persian_and_Arabic_digits_separators_letters_spaces_and_quoted_fields_are_read_as_meant()
    {
        // Persian digits, the Persian decimal point and thousands separator, Arabic ي/ك in the product code, a ZWNJ and
        // spaces at the ends, a quoted value with a comma, and a note with a line break that moves the next line numbers.
        var path = _fixture.Write("persian.csv", $"""
            unit_id,period,product_code,production,sales,note,employees
            ۲۳۰۰۰۰۰۱ ,۱۴۰۴/۷,كاشي-01,"۱٬۲۵۰٫۵","1,000","a note, with a comma
            and a second line",٤٢
            {"\u200C"}23000001,1404-7, 2394-01 ,"12,345.75",0,"",42
            23000002,1404-07,2394-01,1.5.5,,,
            """);

        var result = await _fixture.ImportAsync(path);

        Assert.That(result.Summary!.IgnoredColumns, Is.EqualTo(new[] { "note" }));
        var lines = (await _fixture.LinesAsync(_fixture.Unit1, new JalaliPeriod(1404, 7))).ToDictionary(l => l.ProductCode);
        Assert.That(lines[ImportFixture.PersianProduct].Production, Is.EqualTo(1250.5m));
        Assert.That(lines[ImportFixture.PersianProduct].Sales, Is.EqualTo(1000m));
        Assert.That(lines["2394-01"].Production, Is.EqualTo(12345.75m));
        Assert.That((await _fixture.ReturnAsync(_fixture.Unit1, new JalaliPeriod(1404, 7)))!.Employees, Is.EqualTo(42));
        var error = result.Summary.FirstErrors.Single();
        Assert.That((error.Line, error.Column, error.Value, error.Error), Is.EqualTo((5, "production", "1.5.5",
            "not a number; expected a quantity ≥ 0 such as 1250 or 1250.5 (at most 4 decimals)")), "the quoted line break counts as a line");
    }

    [TestCase(";")]
    [TestCase("\t")]
    public async Task A_semicolon_or_tab_header_sets_the_delimiter(string delimiter)
    {
        var path = _fixture.Write("delimited.csv", string.Join(delimiter, "Unit_ID ", "PERIOD", "product_code", "production") + "\n"
            + string.Join(delimiter, "23000002", "1404-07", "2394-01", "1,5") + "\n");

        var result = await _fixture.ImportAsync(path);

        Assert.That(result.Summary!.Delimiter, Is.EqualTo(delimiter == ";" ? "semicolon" : "tab"));
        Assert.That(result.Summary.FirstErrors.Single().Error, Does.Contain("groups of three digits"), "1,5 is not a decimal comma");
    }

    [Test]
    public async Task A_Windows_1256_file_from_Persian_Excel_is_read_in_that_encoding()
    {
        var path = _fixture.Write("excel.csv", $"""
            {Header},unit_name
            23000001,1404-07,كاشي-01,15,,,,,شركت كاشي تهران
            """.Replace("\n", "\r\n"), ImportFixture.Windows1256);

        var result = await _fixture.ImportAsync(path);

        Assert.That(result.Summary!.Encoding, Is.EqualTo("Windows-1256"));
        Assert.That(result.Upload.ReturnsApplied, Is.EqualTo(1));
        Assert.That((await _fixture.LinesAsync(_fixture.Unit1, new JalaliPeriod(1404, 7))).Single().ProductCode, Is.EqualTo(ImportFixture.PersianProduct));
    }

    [TestCase("utf-16le")]
    [TestCase("utf-16be")]
    [TestCase("utf-8-bom")]
    public async Task UTF_16_and_UTF_8_files_with_a_byte_order_mark_are_read(string encoding)
    {
        var path = _fixture.Write("unicode.csv", $"""
            {Header}
            ۲۳۰۰۰۰۰۲,۱۴۰۴-۰۷,2394-01,۷۷,,,,
            """, encoding switch
        {
            "utf-16le" => new UnicodeEncoding(false, true),
            "utf-16be" => new UnicodeEncoding(true, true),
            _ => new UTF8Encoding(true),
        });

        var result = await _fixture.ImportAsync(path);

        Assert.That(result.Summary!.Encoding, Is.EqualTo(encoding switch { "utf-16le" => "UTF-16 LE", "utf-16be" => "UTF-16 BE", _ => "UTF-8" }));
        Assert.That((await _fixture.LinesAsync(_fixture.Unit2, new JalaliPeriod(1404, 7))).Single().Production, Is.EqualTo(77m));
    }

    [Test]
    public async Task A_file_that_cannot_be_read_whole_is_refused_with_one_message_and_changes_nothing()
    {
        var valid = $"{Header}\n23000002,1404-07,2394-01,5,,,,\n";
        var bomThenLatin1 = _fixture.Write("bad-utf8.csv", "");
        await File.WriteAllBytesAsync(bomThenLatin1, [0xEF, 0xBB, 0xBF, .. Encoding.ASCII.GetBytes("unit_id,period\n"), 0xE9, 0x0A]);
        var cases = new Dictionary<string, string>
        {
            [bomThenLatin1] = "line 2 holds bytes that are not valid",
            [_fixture.Write("no-bom.csv", valid, new UnicodeEncoding(false, false))] = "UTF-16 without a byte order mark",
            [_fixture.Write("missing.csv", "unit_id,period,product_code,sales\n23000002,1404-07,2394-01,5\n")] = "lacks the required column production",
            [_fixture.Write("twice.csv", "unit_id,period,product_code,production,Production\n")] = "names column production twice",
            [_fixture.Write("empty.csv", "")] = "The file is empty",
        };

        foreach (var (path, message) in cases)
        {
            Assert.That(await RefusalAsync(path), Does.Contain(message), path);
        }

        var large = _fixture.Write("large.csv", valid);
        Assert.That(await RefusalAsync(large, new ImportOptions { MaxFileBytes = 10 }), Does.Contain("over the limit of 10 bytes (Import:MaxFileBytes)"));
        Assert.That(await _fixture.CountAsync("SELECT COUNT(*) FROM returns"), Is.Zero);
    }

    [Test]
    public async Task The_same_file_again_is_already_imported_and_changes_nothing()
    {
        var path = _fixture.Write("once.csv", $"{Header}\n23000002,1404-07,2394-01,5,,,,\n");
        var first = await _fixture.ImportAsync(path);
        var copy = _fixture.Write("renamed-copy.csv", await File.ReadAllTextAsync(path));

        var again = await _fixture.ImportAsync(copy);

        Assert.That(again.AlreadyImported, Is.True);
        Assert.That(again.Upload.Id, Is.EqualTo(first.Upload.Id));
        Assert.That(await _fixture.CountAsync("SELECT COUNT(*) FROM return_history"), Is.EqualTo(1));
        Assert.That((await _fixture.ReturnAsync(_fixture.Unit2, new JalaliPeriod(1404, 7)))!.Version, Is.EqualTo(1));
    }

    [Test]
    public async Task A_dry_run_reports_what_the_import_would_do_and_changes_nothing()
    {
        var path = _fixture.Write("check.csv", $"{Header}\n23000002,1404-07,2394-01,5,,,,\n23000001,1404-07,2394-01,\"=HYPERLINK(\"\"x\"\")\",,,,\n");
        var report = Path.Combine(TempDirectory, "report.csv");

        var summary = await _fixture.DryRunAsync(path, report);

        Assert.That((summary.RowsRead, summary.ReturnsApplied, summary.ReturnsRejected, summary.RowsInError), Is.EqualTo((2, 1, 1, 1)));
        Assert.That(await _fixture.CountAsync("SELECT COUNT(*) FROM returns"), Is.Zero);
        Assert.That(await _fixture.CountAsync("SELECT COUNT(*) FROM uploads"), Is.Zero);
        var bytes = await File.ReadAllBytesAsync(report);
        Assert.That(bytes.Take(3), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "Excel reads Persian from a UTF-8 file with a BOM");
        Assert.That(Encoding.UTF8.GetString(bytes)[1..].Split("\r\n")[1], Does.StartWith("3,production,\"'=HYPERLINK(\"\"x\"\")\","),
            "a formula is written as text");
    }

    [Test]
    public async Task A_return_the_office_may_still_change_is_replaced_with_its_history_kept()
    {
        var returns = new ReturnStore(Database);
        var liaison = Actor.Liaison("رابط", _fixture.Unit1);
        var draft = await returns.SaveAsync(_fixture.Unit1, new JalaliPeriod(1404, 7), new ReturnFigures(9, [new ReturnLine { ProductCode = "2394-01", Production = 1m }]),
            liaison, submit: false, null, ImportFixture.Now.AddDays(-1));
        var path = _fixture.Write("replace.csv", $"{Header}\n23000001,1404-07,{ImportFixture.PersianProduct},64,,,,12\n");

        await _fixture.ImportAsync(path);

        var replaced = (await returns.GetAsync(draft.Id))!;
        Assert.That((replaced.State, replaced.Version, replaced.Employees), Is.EqualTo((ReturnState.Submitted, draft.Version + 1, (int?)12)));
        Assert.That((await returns.LinesAsync(draft.Id)).Select(l => l.ProductCode), Is.EqualTo(new[] { ImportFixture.PersianProduct }));
        var history = await returns.HistoryAsync(draft.Id);
        Assert.That(history.Select(h => (h.FromState, h.ToState)), Is.EqualTo(new (ReturnState?, ReturnState)[]
        {
            (null, ReturnState.Draft), (ReturnState.Draft, ReturnState.Submitted),
        }));
    }

    [Test]
    public async Task A_return_changed_by_someone_else_after_the_check_is_left_alone_and_unclaimed()
    {
        var returns = new ReturnStore(Database);
        var liaison = Actor.Liaison("رابط", _fixture.Unit2);
        var figures = new ReturnFigures(9, [new ReturnLine { ProductCode = "2394-01", Production = 1m }]);
        var seen = await returns.SaveAsync(_fixture.Unit2, new JalaliPeriod(1404, 7), figures, liaison, submit: false, null, ImportFixture.Now);
        var (upload, _) = await new Uploads(Database).RegisterAsync("tehran", "f.csv", "/f.csv", "abc", false, "office:tehran", ImportFixture.Now);
        var existing = (await new ImportQueries(Database).ReturnsAsync("tehran", new JalaliPeriod(1404, 7))).Single();
        await returns.SaveAsync(_fixture.Unit2, new JalaliPeriod(1404, 7), figures, liaison, submit: true, seen.Version, ImportFixture.Now);

        var conflicts = await new ReturnImportWriter(Database).ApplyAsync(upload.Id, Actor.ProvincialOffice("office:tehran", "tehran"),
            [new ImportedReturn(_fixture.Unit2, new JalaliPeriod(1404, 7), existing, 5, false, [new ImportLine("2394-01", 99m, null, null, null)], 2)],
            ImportFixture.Now);

        Assert.That(conflicts, Has.Count.EqualTo(1));
        Assert.That((await _fixture.LinesAsync(_fixture.Unit2, new JalaliPeriod(1404, 7))).Single().Production, Is.EqualTo(1m));
        Assert.That(await _fixture.CountAsync("SELECT COUNT(*) FROM upload_returns"), Is.Zero);
        Assert.That((await new Uploads(Database).GetAsync(upload.Id))!.ReturnsApplied, Is.Zero);
    }

    [Test]
    public async Task An_upload_resumed_after_an_interruption_applies_each_remaining_return_once()
    {
        var path = _fixture.Write("resume.csv", $"""
            {Header}
            23000001,1404-07,2394-01,1,,,,
            23000002,1404-07,2394-01,2,,,,
            23000001,1404-06,2394-01,3,,,,
            """);
        var import = _fixture.Importer();
        var (upload, _) = await import.RegisterAsync(path, "resume.csv", "tehran", false, "office:tehran");
        // As if a run had applied the first return and died: the claim and the return committed together.
        await new ReturnImportWriter(Database).ApplyAsync(upload.Id, Actor.ProvincialOffice("office:tehran", "tehran"),
            [new ImportedReturn(_fixture.Unit1, new JalaliPeriod(1404, 7), null, null, false, [new ImportLine("2394-01", 1m, null, null, null)], 2)], ImportFixture.Now);

        var result = await import.RunAsync(upload.Id);

        Assert.That(result.Summary!.ReturnsAppliedBefore, Is.EqualTo(1));
        Assert.That(result.Upload.ReturnsApplied, Is.EqualTo(3));
        Assert.That(await _fixture.CountAsync("SELECT COUNT(*) FROM return_history"), Is.EqualTo(3), "one entry per return");
        Assert.That(await _fixture.CountAsync("SELECT COUNT(*) FROM return_lines"), Is.EqualTo(3));
        Assert.That((await import.RunAsync(upload.Id)).Upload.ReturnsApplied, Is.EqualTo(3), "a finished upload runs no more");
    }

    /// <summary>A refusal comes before the upload is recorded (the bytes) or as its outcome (the header); either way one message.</summary>
    private async Task<string> RefusalAsync(string path, ImportOptions? options = null)
    {
        try
        {
            var result = await _fixture.ImportAsync(path, options);
            Assert.That(result.Upload.State, Is.EqualTo(UploadState.Refused), path);
            return result.Upload.Message!;
        }
        catch (ImportRefusedException e)
        {
            return e.Message;
        }
    }

    private async Task<Return> ForwardedReturnAsync(long unit, JalaliPeriod period)
    {
        var returns = new ReturnStore(Database);
        var submitted = await returns.SaveAsync(unit, period, new ReturnFigures(5, [new ReturnLine { ProductCode = "2394-01", Production = 1m }]),
            Actor.Liaison("رابط", unit), submit: true, null, ImportFixture.Now.AddDays(-2));
        return await returns.TransitionAsync(submitted.Id, submitted.Version, ReturnState.ForwardedToMinistry,
            Actor.ProvincialExpert("کارشناس", "tehran"), null, ImportFixture.Now.AddDays(-1));
    }
}
