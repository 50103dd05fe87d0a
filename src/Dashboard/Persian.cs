using BatchEngine.Data.Calendar;
using BatchEngine.Jobs.Calendar;

namespace BatchEngine.Dashboard;

/// <summary>Numbers, periods and instants as people read them here: Persian digits, Jalali dates.</summary>
public static class Persian
{
    public static string Number(decimal? value) => value is { } v ? PersianText.Number(v) : "—";

    public static string Number(long value) => PersianText.Number(value);

    /// <summary>Persian alphabetical order (پ, چ, ژ, گ in their places, which code point order is not).</summary>
    public static readonly StringComparer Collation = StringComparer.Create(System.Globalization.CultureInfo.GetCultureInfo("fa-IR"), ignoreCase: false);

    public static string Period(string code) => JalaliPeriod.TryParse(code, out var period) ? period.ToPersian() : code;

    public static string Period(JalaliPeriod period) => period.ToPersian();

    /// <summary>What a person is told when the period they typed cannot be read.</summary>
    public static string UnreadPeriod(string? text) => $"دورهٔ «{text}» خوانده نشد؛ سال و ماه شمسی مانند ۱۴۰۵-۰۸ لازم است.";

    public static string Instant(DateTime? utc, TehranClock clock) =>
        utc is { } value ? InstantText.Persian(new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)), clock) : "—";

    public static string Percent(decimal share) => PersianText.Number(Math.Round(share * 100, 1)) + "٪";
}
