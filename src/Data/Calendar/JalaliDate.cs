using System.Globalization;

namespace BatchEngine.Data.Calendar;

/// <summary>A day of the Jalali (Solar Hijri) calendar.</summary>
public readonly record struct JalaliDate : IComparable<JalaliDate>
{
    public JalaliDate(int year, int month, int day)
    {
        if (month is < 1 or > 12 || day < 1 || day > JalaliPeriod.Persian.GetDaysInMonth(year, month))
        {
            throw new FormatException($"{year:D4}-{month:D2}-{day:D2} is not a day of the Jalali calendar.");
        }

        Year = year;
        Month = month;
        Day = day;
    }

    public int Year { get; }
    public int Month { get; }
    public int Day { get; }

    /// <summary>
    /// Reads YYYY-MM-DD or YYYY/MM/DD as people type them (Persian, Arabic-Indic or Latin digits, the dashes and slashes
    /// word processors write, invisible characters around); false for anything that is not a day of the calendar.
    /// </summary>
    public static bool TryParse(string? text, out JalaliDate date)
    {
        date = default;
        var parts = JalaliPeriod.Separators(PersianText.Code(text ?? "")).Split('-', '/');
        if (parts.Length != 3 || parts[0].Length != 4 || parts[1].Length is < 1 or > 2 || parts[2].Length is < 1 or > 2
            || !parts.All(p => p.All(char.IsAsciiDigit)))
        {
            return false;
        }

        var (y, m, d) = (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
        if (y < 1 || m is < 1 or > 12 || d < 1 || d > JalaliPeriod.Persian.GetDaysInMonth(y, m))
        {
            return false;
        }

        date = new JalaliDate(y, m, d);
        return true;
    }

    public static JalaliDate Parse(string text) =>
        TryParse(text, out var date) ? date : throw new FormatException($"'{text}' is not a Jalali date YYYY-MM-DD such as 1405-12-10.");

    public DateOnly ToGregorian() => DateOnly.FromDateTime(JalaliPeriod.Persian.ToDateTime(Year, Month, Day, 0, 0, 0, 0));

    public static JalaliDate FromGregorian(DateOnly date)
    {
        var dt = date.ToDateTime(TimeOnly.MinValue);
        var p = JalaliPeriod.Persian;
        return new JalaliDate(p.GetYear(dt), p.GetMonth(dt), p.GetDayOfMonth(dt));
    }

    public DayOfWeek DayOfWeek => ToGregorian().DayOfWeek;
    public JalaliPeriod Period => new(Year, Month);
    public JalaliDate AddDays(int days) => FromGregorian(ToGregorian().AddDays(days));

    /// <summary>The first day of the month after this one's month, <paramref name="day"/> days in (1-based).</summary>
    public static JalaliDate DayOfMonthAfter(JalaliPeriod period, int day)
    {
        var next = period.Next;
        return new JalaliDate(next.Year, next.Month, Math.Min(day, next.DaysInMonth));
    }

    public int CompareTo(JalaliDate other) => ToGregorian().CompareTo(other.ToGregorian());

    public static bool operator <(JalaliDate a, JalaliDate b) => a.CompareTo(b) < 0;
    public static bool operator >(JalaliDate a, JalaliDate b) => a.CompareTo(b) > 0;
    public static bool operator <=(JalaliDate a, JalaliDate b) => a.CompareTo(b) <= 0;
    public static bool operator >=(JalaliDate a, JalaliDate b) => a.CompareTo(b) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}-{Day:D2}");

    /// <summary>For people: "پنجشنبه ۱۰ مهر ۱۴۰۴".</summary>
    public string ToPersian(bool withWeekday = true) =>
        (withWeekday ? PersianText.WeekdayName(DayOfWeek) + " " : "") +
        $"{PersianText.Digits(Day)} {PersianText.MonthName(Month)} {PersianText.Digits(Year)}";
}
