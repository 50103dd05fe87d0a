using System.Globalization;
using System.Text;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Imports;
using BatchEngine.Data.Register;
using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Import;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Import;

/// <summary>
/// Files as Excel, Word and copy-paste write them (issue #16): whatever a file holds, no return goes in without all of
/// its rows, and no exception text reaches the office. Each case on each store, with the database checked afterwards.
/// </summary>
public sealed class MessyFilesTests(string store) : StoreTest(store)
{
    private const string Header = "unit_id,period,product_code,production,sales,export_qty,export_value_usd,employees";
    private ImportFixture _fixture = null!;

    [SetUp]
    public async Task SeedAsync() => _fixture = await new ImportFixture(Database, TempDirectory).CreateAsync();

    [TestCase("\u200B")]
    [TestCase("\u200D")]
    [TestCase("\u202C")]
    [TestCase("\u2069")]
    [TestCase("\u00A0")]
    [TestCase("\uFEFF")]
    public async Task An_invisible_format_character_in_an_identifier_is_removed_and_the_return_goes_in_whole(string invisible)
    {
        var path = _fixture.Write("invisible.csv", $"""
            {Header}
            23000001,1404-07,2394-01,100,,,,30
            2300{invisible}0001{invisible},1404-07{invisible},{invisible}{ImportFixture.PersianProduct},5{invisible}0,,,,3{invisible}0
            """);

        var result = await _fixture.ImportAsync(path);

        Assert.That(result.Summary!.Errors, Is.Zero, string.Join("\n", result.Summary.FirstErrors));
        Assert.That((await _fixture.LinesAsync(_fixture.Unit1, new JalaliPeriod(1404, 7))).Select(l => (l.ProductCode, l.Production)),
            Is.EquivalentTo(new[] { ("2394-01", 100m), (ImportFixture.PersianProduct, 50m) }));
    }

    [TestCase("1404–07")]
    [TestCase("1404—07")]
    [TestCase("1404−07")]
    [TestCase("1404‐07")]
    [TestCase("１４０４－０７")]
    public async Task A_period_written_with_a_dash_variant_reads_as_the_period(string period)
    {
        var path = _fixture.Write("dashes.csv", $"{Header}\n23000001,1404-07,2394-01,100,,,,\n23000001,{period},{ImportFixture.PersianProduct},50,,,,\n");

        var result = await _fixture.ImportAsync(path);

        if (period.StartsWith('１'))
        {
            // Fullwidth digits are not read; the unit's every return in the file is rejected with the reason.
            Assert.That(result.Upload.ReturnsApplied, Is.Zero);
            Assert.That(await _fixture.ReturnAsync(_fixture.Unit1, new JalaliPeriod(1404, 7)), Is.Null, "no return goes in with one of its two rows");
            return;
        }

        Assert.That(result.Summary!.Errors, Is.Zero, string.Join("\n", result.Summary.FirstErrors));
        Assert.That(await _fixture.LinesAsync(_fixture.Unit1, new JalaliPeriod(1404, 7)), Has.Count.EqualTo(2));
    }

    [TestCase("１４０５-０８", "１", "fullwidth")]
    [TestCase("१४०४-०७", "१", "Devanagari")]
    public async Task Digits_of_another_script_are_a_row_error_and_every_return_of_that_unit_is_rejected(string period, string digit, string script)
    {
        var path = _fixture.Write("digits.csv", $"""
            {Header}
            23000001,1404-07,2394-01,100,,,,
            23000001,{period},{ImportFixture.PersianProduct},50,,,,
            23000001,1404-06,2394-01,7,,,,
            23000002,1404-07,2394-01,9,,,,
            """);

        var result = await _fixture.ImportAsync(path);

        var errors = result.Summary!.FirstErrors;
        Assert.That((errors[0].Line, errors[0].Column, errors[0].Value, errors[0].Error), Is.EqualTo((3, "period", period,
            $"written with digits of another script ('{digit}'); expected Persian (۰–۹), Arabic-Indic (٠–٩) or ASCII (0–9) digits")), script);
        Assert.That(errors.Skip(1).Select(e => (e.Line, e.Column)), Is.EquivalentTo(new[] { (2, "period"), (4, "period") }));
        Assert.That(errors[1].Error, Does.Contain("line 3").And.Contain("period that cannot be read"));
        Assert.That(await _fixture.ReturnAsync(_fixture.Unit1, new JalaliPeriod(1404, 7)), Is.Null);
        Assert.That(await _fixture.ReturnAsync(_fixture.Unit1, new JalaliPeriod(1404, 6)), Is.Null);
        Assert.That((await _fixture.LinesAsync(_fixture.Unit2, new JalaliPeriod(1404, 7))).Single().Production, Is.EqualTo(9m), "other units go in");
        Assert.That(result.Upload.State, Is.EqualTo(UploadState.Completed));
    }

    [Test]
    public async Task A_period_that_cannot_be_read_rejects_every_return_of_its_unit_in_the_file()
    {
        var path = _fixture.Write("typo.csv", $"{Header}\n23000001,1404-07,2394-01,100,,,,\n23000001,14o4-07,{ImportFixture.PersianProduct},50,,,,\n");

        var result = await _fixture.ImportAsync(path);

        Assert.That(result.Summary!.FirstErrors.Select(e => (e.Line, e.Column)), Is.EqualTo(new[] { (3, "period"), (2, "period") }));
        Assert.That((result.Upload.ReturnsApplied, result.Upload.ReturnsRejected), Is.EqualTo((0, 2)));
        Assert.That(await _fixture.ReturnAsync(_fixture.Unit1, new JalaliPeriod(1404, 7)), Is.Null);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task A_control_character_refuses_the_file_with_or_without_a_byte_order_mark(bool bom)
    {
        var text = $"{Header}\n23000001,1404-07,2394-01,100,,,,\n23000001\0,1404-07,{ImportFixture.PersianProduct},50,,,,\n";
        var path = _fixture.Write("nul.csv", text, new UTF8Encoding(bom));

        var message = await RefusalAsync(path);

        Assert.That(message, Does.Contain("Line 3"));
        Assert.That(await _fixture.CountAsync("SELECT COUNT(*) FROM returns"), Is.Zero);
    }

    [Test]
    public async Task A_control_character_in_a_UTF_16_file_refuses_it()
    {
        var path = _fixture.Write("bell.csv", $"{Header}\n23000001\a,1404-07,2394-01,100,,,,\n", new UnicodeEncoding(false, true));

        Assert.That(await RefusalAsync(path), Does.Contain("Line 2 holds the control character 0x07"));
        Assert.That(await _fixture.CountAsync("SELECT COUNT(*) FROM returns"), Is.Zero);
    }

    [Test]
    public async Task A_UTF_8_file_with_one_invalid_byte_is_refused_at_that_byte_not_read_as_Windows_1256()
    {
        var head = Encoding.UTF8.GetBytes($"{Header},unit_name\n23000001,1404-07,2394-01,100,,,,,کاشی تهران\n23000002,1404-07,2394-01,");
        var path = _fixture.Write("damaged.csv", "");
        await File.WriteAllBytesAsync(path, [.. head, 0xFF, .. "5,,,,,سیمان\n"u8]);

        var message = await RefusalAsync(path);

        Assert.That(message, Does.Contain("line 3").And.Contain($"byte {head.Length:N0}").And.Contain("not UTF-8"));
        Assert.That(await _fixture.CountAsync("SELECT COUNT(*) FROM returns"), Is.Zero);
    }

    [Test]
    public async Task A_Windows_1256_file_whose_letters_happen_to_pair_as_UTF_8_is_still_read_as_Windows_1256()
    {
        // "عکس" in Windows-1256 is DA 98 D3: the first two bytes are a valid UTF-8 letter (ژ), the third is not.
        var path = _fixture.Write("aks.csv", $"{Header},note\r\n23000002,1404-07,2394-01,5,,,,,عکس و شرح\r\n", ImportFixture.Windows1256);

        var result = await _fixture.ImportAsync(path);

        Assert.That(result.Summary!.Encoding, Is.EqualTo("Windows-1256"));
        Assert.That(result.Upload.ReturnsApplied, Is.EqualTo(1));
    }

    [Test]
    public async Task An_unterminated_quote_refuses_the_file_naming_the_line_where_it_opened()
    {
        var path = _fixture.Write("quote.csv", $"""
            {Header}
            23000002,1404-07,2394-01,5,,,,
            23000001,1404-07,2394-01,"100,,,,
            23000001,1404-07,{ImportFixture.PersianProduct},50,,,,
            23000001,1404-06,2394-01,7,,,,
            """);

        var message = await RefusalAsync(path);

        Assert.That(message, Does.Contain("line 3").And.Contain("quote").And.Contain("never closed"));
        Assert.That(await _fixture.CountAsync("SELECT COUNT(*) FROM returns"), Is.Zero, "nothing of a refused file is applied");
    }

    [Test]
    public async Task Too_large_whole_numbers_long_values_blank_lines_and_quoted_carriage_returns_are_reported_as_they_are()
    {
        var huge = new string('9', 1_000_000);
        var path = _fixture.Write("small.csv",
            $"{Header},note\n23000001,1404-07,2394-01,100,,,,3000000000,\n   \n,,,,,,,,\n23000002,1404-07,2394-01,{huge},,,,,\n" +
            $"23000002,1404-06,2394-01,1,,,,,\"one\rtwo\"\n23000001,1404-06,2394-01,x,,,,,\n");
        var report = Path.Combine(TempDirectory, "report.csv");

        var summary = await _fixture.DryRunAsync(path, report);

        Assert.That(summary.RowsRead, Is.EqualTo(4), "blank lines are not rows");
        Assert.That(summary.FirstErrors.Select(e => (e.Line, e.Column)), Is.EqualTo(new[] { (2, "employees"), (5, "production"), (8, "production") }), "a CR in a quoted value breaks the line, as editors show it");
        Assert.That(summary.FirstErrors[0].Error, Does.StartWith("too large"));
        Assert.That(summary.FirstErrors[1].Error, Does.StartWith("too long (1,000,000 characters)"));
        Assert.That(summary.FirstErrors[1].Value, Has.Length.LessThan(120).And.EndsWith("… (1,000,000 characters)"));
        Assert.That(new FileInfo(report).Length, Is.LessThan(2_000), "the report echoes a cut value");
        Assert.That(summary.ReturnsRejected, Is.EqualTo(3));
    }

    [Test]
    public async Task Upload_numbers_have_no_gaps_and_a_province_sees_only_its_own_earlier_uploads()
    {
        var path = _fixture.Write("once.csv", $"{Header}\n23000002,1404-07,2394-01,5,,,,\n");
        var first = await _fixture.ImportAsync(path);
        var again = await _fixture.ImportAsync(path);
        var isfahan = await _fixture.Importer().ImportAsync(path, "isfahan", dryRun: false, "office:isfahan");
        var other = await _fixture.ImportAsync(_fixture.Write("other.csv", $"{Header}\n23000001,1404-07,2394-01,5,,,,\n"));

        Assert.That(again.AlreadyImported, Is.True);
        Assert.That(isfahan.AlreadyImported, Is.False, "the same bytes are another province's own upload");
        Assert.That(isfahan.Upload.ReturnsApplied, Is.Zero, "Tehran's unit is not Isfahan's");
        Assert.That(new[] { first.Upload.Id, isfahan.Upload.Id, other.Upload.Id }, Is.EqualTo(new long[] { 1, 2, 3 }));
    }

    [Test]
    public async Task A_unit_closed_during_an_open_period_still_files_that_period_by_upload_and_by_form_but_not_later_ones()
    {
        // Closed after 1404-06 opened and before 1404-07 did: it owes 1404-06 only.
        await new UnitLifecycle(Database).CloseAsync(_fixture.Unit2, Seed.Opens.AddDays(10), "ورشکستگی", Actor.MinistryExpert("مدیر"), Seed.Opens.AddDays(10));
        var path = _fixture.Write("closed.csv", $"{Header}\n23000002,1404-06,2394-01,5,,,,\n23000002,1404-07,2394-01,6,,,,\n");

        var result = await _fixture.ImportAsync(path);

        Assert.That((await _fixture.LinesAsync(_fixture.Unit2, new JalaliPeriod(1404, 6))).Single().Production, Is.EqualTo(5m));
        var refusal = result.Summary!.FirstErrors.Single();
        Assert.That((refusal.Line, refusal.Column, refusal.Value, refusal.Error), Is.EqualTo((3, "unit_id", "23000002",
            "Unit 23000002 was closed before period 1404-07 opened and does not report it; expected an active unit, or a period it still owes")));
        Assert.That(refusal.Persian, Does.Contain("پیش از آغاز دورهٔ ۱۴۰۴-۰۷ بسته شده است"));
        var returns = new ReturnStore(Database);
        var liaison = Actor.Liaison("رابط", _fixture.Unit2);
        var figures = new ReturnFigures(3, [new ReturnLine { ProductCode = "2394-01", Production = 8m }]);
        var byForm = await returns.SaveAsync(_fixture.Unit2, new JalaliPeriod(1404, 6), figures, liaison, submit: true, null, ImportFixture.Now);
        Assert.That(byForm.State, Is.EqualTo(ReturnState.Submitted));
        Assert.That(async () => await returns.SaveAsync(_fixture.Unit2, new JalaliPeriod(1404, 7), figures, liaison, submit: true, null, ImportFixture.Now),
            Throws.TypeOf<WorkflowException>().With.Message.Contains("closed before period 1404-07 opened"));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public async Task Random_files_written_every_way_people_write_them_import_exactly_what_was_meant(int seed)
    {
        var random = new Random(seed);
        var units = await _fixture.ManyUnitsAsync(30);
        var meant = new Dictionary<(string Unit, string Period), (int Employees, Dictionary<string, decimal> Lines)>();
        var rows = new List<string>();
        foreach (var unit in units)
        {
            foreach (var period in new[] { "1404-06", "1404-07" }.Where(_ => random.Next(3) > 0))
            {
                var employees = random.Next(0, 5000);
                var lines = new Dictionary<string, decimal>();
                foreach (var product in unit.Products.Where(_ => random.Next(4) > 0).DefaultIfEmpty(unit.Products[0]))
                {
                    var production = Math.Round((decimal)(random.NextDouble() * 2_000_000), random.Next(0, 5));
                    lines[product] = production;
                    rows.Add(string.Join(',', Messy(random, unit.LicenceNo), MessyPeriod(random, period), Messy(random, product),
                        MessyNumber(random, production), "", "", "", Messy(random, employees.ToString(CultureInfo.InvariantCulture))));
                }

                meant[(unit.LicenceNo, period)] = (employees, lines);
            }
        }

        var shuffled = rows.OrderBy(_ => random.Next()).ToList();
        var path = _fixture.Write($"random-{seed}.csv", Header + "\n" + string.Join(random.Next(2) == 0 ? "\n" : "\r\n", shuffled) + "\n");

        var result = await _fixture.ImportAsync(path);

        Assert.That(result.Summary!.FirstErrors, Is.Empty, File.ReadAllText(path));
        Assert.That(result.Upload.ReturnsApplied, Is.EqualTo(meant.Count));
        var unitIds = await new ImportQueries(Database).UnitsAsync();
        foreach (var ((licence, period), (employees, lines)) in meant)
        {
            var unitId = unitIds.Single(u => u.LicenceNo == licence).Id;
            Assert.That((await _fixture.ReturnAsync(unitId, JalaliPeriod.Parse(period)))!.Employees, Is.EqualTo(employees));
            Assert.That((await _fixture.LinesAsync(unitId, JalaliPeriod.Parse(period))).ToDictionary(l => l.ProductCode, l => l.Production), Is.EquivalentTo(lines),
                $"{licence} {period}");
        }
    }

    private static readonly string[] Invisibles = ["\u200B", "\u200C", "\u200D", "\u200E", "\u200F", "\u202A", "\u202B", "\u202C", "\u202D", "\u202E",
        "\u2066", "\u2067", "\u2068", "\u2069", "\uFEFF", "\u00A0"];

    /// <summary>A value as an RTL editor leaves it: its digits in any of the three families, invisible characters anywhere, spaces around, maybe quoted.</summary>
    private static string Messy(Random random, string value)
    {
        var text = new StringBuilder();
        foreach (var c in value)
        {
            if (random.Next(6) == 0)
            {
                text.Append(Invisibles[random.Next(Invisibles.Length)]);
            }

            text.Append(c is >= '0' and <= '9' ? random.Next(3) switch { 0 => c, 1 => (char)('۰' + (c - '0')), _ => (char)('٠' + (c - '0')) } : c);
        }

        var decorated = (random.Next(4) == 0 ? " " : "") + text + (random.Next(4) == 0 ? Invisibles[random.Next(Invisibles.Length)] : "");
        return random.Next(3) == 0 ? "\"" + decorated + "\"" : decorated;
    }

    private static string MessyPeriod(Random random, string period)
    {
        var month = period[5..];
        var separator = new[] { "-", "/", "–", "—", "−", "‐", "－" }[random.Next(7)];
        return Messy(random, period[..4] + separator + (random.Next(2) == 0 ? month.TrimStart('0') : month));
    }

    /// <summary>A quantity with or without thousands separators, with the Latin or the Persian decimal point.</summary>
    private static string MessyNumber(Random random, decimal value)
    {
        var grouped = random.Next(3) switch
        {
            0 => value.ToString("0.####", CultureInfo.InvariantCulture),
            1 => value.ToString("#,0.####", CultureInfo.InvariantCulture),
            _ => value.ToString("#,0.####", CultureInfo.InvariantCulture).Replace(',', '٬').Replace('.', '٫'),
        };
        var messy = Messy(random, grouped);
        return messy.Contains(',') && !messy.StartsWith('"') ? "\"" + messy + "\"" : messy;
    }

    private async Task<string> RefusalAsync(string path)
    {
        try
        {
            var result = await _fixture.ImportAsync(path);
            Assert.That(result.Upload.State, Is.EqualTo(UploadState.Refused), path);
            Assert.That(result.Upload.PersianMessage, Does.Match("[\u0600-\u06FF]"), "the office reads why in Persian");
            return result.Upload.Message!;
        }
        catch (ImportRefusedException e)
        {
            return e.Message;
        }
    }
}
