using BatchEngine.Data.Calendar;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Import;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Import;

/// <summary>The field rules of the import, called directly.</summary>
[Category(Categories.Rules)]
public sealed class ReturnRowsTests
{
    [TestCase("1250", 1250)]
    [TestCase("1250.5", 1250.5)]
    [TestCase("1250٫5", 1250.5)]
    [TestCase("1,250", 1250)]
    [TestCase("1٬250٬000.25", 1250000.25)]
    [TestCase("0.0001", 0.0001)]
    [TestCase("12.50000", 12.5)]
    public void A_quantity_is_read_with_its_separators(string text, decimal expected)
    {
        Assert.That(ReturnRows.Number(PersianText.Clean(text), out var value), Is.Null);
        Assert.That(value, Is.EqualTo(expected));
    }

    [TestCase("-1", "negative")]
    [TestCase("1,5", "groups of three digits")]
    [TestCase("12,34,567", "groups of three digits")]
    [TestCase("1.23456", "more than 4 decimals")]
    [TestCase("1e5", "not a number")]
    [TestCase("12 kg", "not a number")]
    [TestCase("99999999999999999", "too large")]
    public void A_quantity_that_is_not_one_names_the_problem(string text, string problem) =>
        Assert.That(ReturnRows.Number(PersianText.Clean(text), out _), Does.Contain(problem));

    [Test]
    public void The_fast_reading_of_plain_quantities_gives_the_general_readers_answers()
    {
        var random = new Random(16);
        var cases = new List<string> { "0", "00", "0.0", "1.", ".5", "1.0000", "1.00000", "999999999999999999", "9999999999999999", "10000000000000000",
            "1234567890123456789", "12.3456", "12.34567", "007", "1..2", "1.2.3", "", "٫5", "5٫" };
        for (var i = 0; i < 2000; i++)
        {
            var digits = new string(Enumerable.Range(0, random.Next(1, 21)).Select(_ => "0123456789."[random.Next(random.Next(4) == 0 ? 11 : 10)]).ToArray());
            cases.Add(digits);
        }

        foreach (var text in cases)
        {
            var fast = ReturnRows.Number(text, out var fastValue);
            var general = ReturnRows.AnyQuantity(text, out var generalValue);
            Assert.That((fast, fast is null ? fastValue.ToString(System.Globalization.CultureInfo.InvariantCulture) : ""),
                Is.EqualTo((general, general is null ? generalValue.ToString(System.Globalization.CultureInfo.InvariantCulture) : "")), text);
        }
    }

    [Test]
    public void Cleaning_reads_what_a_person_meant() =>
        Assert.That(PersianText.Clean("\u200C ۱۲٣ كيك\u200F "), Is.EqualTo("123 کیک"));

    [TestCase("=SUM(A1)", "'=SUM(A1)")]
    [TestCase("+98912", "'+98912")]
    [TestCase("-5", "'-5")]
    [TestCase("@cmd", "'@cmd")]
    [TestCase("a,b", "\"a,b\"")]
    [TestCase("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [TestCase("۱۲۳", "۱۲۳")]
    public void An_error_report_field_is_safe_in_Excel(string value, string written) =>
        Assert.That(ErrorReport.Field(value), Is.EqualTo(written));

    [Test]
    public void A_header_with_every_column_maps_them_in_any_order_and_ignores_the_unknown()
    {
        var map = ReturnRows.MapHeader(["Production", " PERIOD ", "unit_id", "remarks", "product_code"]);
        Assert.That(map.Index["production"], Is.EqualTo(0));
        Assert.That(map.Index["period"], Is.EqualTo(1));
        Assert.That(map.Ignored, Is.EqualTo(new[] { "remarks" }));
    }

    [Test]
    public void Every_refusal_of_a_whole_file_reads_in_Persian_for_the_office_and_in_English_for_logs()
    {
        var samples = new Dictionary<Type, object>
        {
            [typeof(long)] = 12L, [typeof(int)] = 3, [typeof(string)] = "UTF-8", [typeof(string[])] = new[] { "unit_id", "period" },
            [typeof(IReadOnlyList<string>)] = new[] { "production" },
        };
        var factories = typeof(ImportRefusals).GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(m => m.ReturnType == typeof(ImportRefusedException)).ToList();

        Assert.That(factories, Has.Count.GreaterThanOrEqualTo(11));
        foreach (var factory in factories)
        {
            var refusal = (ImportRefusedException)factory.Invoke(null, factory.GetParameters().Select(p => samples[p.ParameterType]).ToArray())!;
            Assert.That(refusal.Message, Does.Match("^[A-Z]").And.EndWith("."), factory.Name);
            // Latin letters only in what the office must type or choose: encodings, column names, a byte's code.
            var words = System.Text.RegularExpressions.Regex.Replace(refusal.Persian, @"UTF-(8|16)|Windows-1256|NUL|CSV|0x[0-9A-F]+|unit_id|period|production", "");
            Assert.That(words, Does.Not.Match("[A-Za-z]"), factory.Name);
            Assert.That(refusal.Persian.Count(c => c is >= '\u0600' and <= '\u06FF'), Is.GreaterThan(10), factory.Name);
        }
    }
}
