using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace BatchEngine.Data.Calendar;

/// <summary>A reporting period: one Jalali month, written <c>YYYY-MM</c> (in JSON too).</summary>
[JsonConverter(typeof(JsonText))]
public readonly partial record struct JalaliPeriod : IComparable<JalaliPeriod>
{
    internal static readonly PersianCalendar Persian = new();

    public JalaliPeriod(int year, int month)
    {
        if (year < 1300 || year > 1500 || month < 1 || month > 12)
        {
            throw new FormatException($"{year}-{month} is not a Jalali year and month between 1300-01 and 1500-12.");
        }

        Year = year;
        Month = month;
    }

    public int Year { get; }
    public int Month { get; }

    public int DaysInMonth => Persian.GetDaysInMonth(Year, Month);
    public JalaliPeriod Next => Month == 12 ? new(Year + 1, 1) : new(Year, Month + 1);
    public JalaliPeriod Previous => Month == 1 ? new(Year - 1, 12) : new(Year, Month - 1);
    public JalaliDate FirstDay => new(Year, Month, 1);
    public JalaliDate LastDay => new(Year, Month, DaysInMonth);

    /// <summary>
    /// Accepts <c>YYYY-MM</c>, <c>YYYY/MM</c>, <c>YYYY-M</c>, with Persian or Arabic-Indic digits too, and the dashes and
    /// slashes word processors put in place of <c>-</c> and <c>/</c> (en dash, minus sign, fullwidth forms).
    /// </summary>
    public static bool TryParse(string? text, out JalaliPeriod period)
    {
        period = default;
        var match = Pattern().Match(Separators(PersianText.Code(text ?? "")));
        if (!match.Success)
        {
            return false;
        }

        var year = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var month = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        if (month is < 1 or > 12 || year is < 1300 or > 1500)
        {
            return false;
        }

        period = new JalaliPeriod(year, month);
        return true;
    }

    public static JalaliPeriod Parse(string text) => TryParse(text, out var period)
        ? period
        : throw new FormatException($"'{text}' is not a period; expected a Jalali year and month such as 1404-07.");

    /// <summary>The last <paramref name="count"/> periods ending with this one, oldest first.</summary>
    public IReadOnlyList<JalaliPeriod> LastPeriods(int count)
    {
        var list = new List<JalaliPeriod>(count);
        var p = this;
        for (var i = 0; i < count; i++)
        {
            list.Add(p);
            p = p.Previous;
        }

        list.Reverse();
        return list;
    }

    public int CompareTo(JalaliPeriod other) => (Year * 12 + Month).CompareTo(other.Year * 12 + other.Month);

    public static bool operator <(JalaliPeriod a, JalaliPeriod b) => a.CompareTo(b) < 0;
    public static bool operator >(JalaliPeriod a, JalaliPeriod b) => a.CompareTo(b) > 0;
    public static bool operator <=(JalaliPeriod a, JalaliPeriod b) => a.CompareTo(b) <= 0;
    public static bool operator >=(JalaliPeriod a, JalaliPeriod b) => a.CompareTo(b) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}");

    /// <summary>For people, as files write it: "۱۴۰۴-۰۷".</summary>
    public string ToPersianDigits() => PersianText.Digits(ToString());

    /// <summary>For people: "مهر ۱۴۰۴".</summary>
    public string ToPersian() => $"{PersianText.MonthName(Month)} {PersianText.Digits(Year)}";

    /// <summary>The dashes and slashes word processors write, as <c>-</c> and <c>/</c>: dates and periods are read through it.</summary>
    internal static string Separators(string text) => string.Create(text.Length, text, (span, source) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = source[i] switch
            {
                (>= '\u2010' and <= '\u2015') or '\u2212' or '\uFE58' or '\uFE63' or '\uFF0D' => '-',
                '\u2044' or '\u2215' or '\uFF0F' => '/',
                var c => c,
            };
        }
    });

    private sealed class JsonText : JsonConverter<JalaliPeriod>
    {
        public override JalaliPeriod Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            TryParse(reader.GetString(), out var period) ? period : throw new JsonException("Expected a period such as 1404-07.");

        public override void Write(Utf8JsonWriter writer, JalaliPeriod value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }

    // ASCII digits only: \d would take fullwidth or Devanagari digits that no number parser reads.
    [GeneratedRegex(@"^([0-9]{4})[-/]([0-9]{1,2})$")]
    private static partial Regex Pattern();
}
