using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Import;

namespace BatchEngine.Tests.Import;

/// <summary>The field rules of the import, called directly.</summary>
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
}
