using System.Globalization;

namespace BatchEngine.Data.Calendar;

/// <summary>How instants are written for machines (ISO 8601 with offset) and for people (Jalali, Tehran time).</summary>
public static class InstantText
{
    public static string Iso(DateTimeOffset instant) =>
        instant.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFzzz", CultureInfo.InvariantCulture);

    /// <summary>Tehran wall-clock time as a Jalali date and time: <c>1404-08-10T09:00</c>.</summary>
    public static string Jalali(DateTimeOffset instant, TehranClock clock)
    {
        var local = clock.ToTehran(instant);
        var date = JalaliDate.FromGregorian(DateOnly.FromDateTime(local.DateTime));
        return string.Create(CultureInfo.InvariantCulture, $"{date}T{local:HH:mm}");
    }

    /// <summary>
    /// Reads ISO 8601 with an offset (<c>2025-11-01T09:00:00+03:30</c>) or a Jalali Tehran wall-clock time
    /// (<c>1404-08-10T09:00</c>, <c>1404-08-10</c> for midnight); Persian digits are accepted.
    /// </summary>
    public static bool TryParse(string text, TehranClock clock, out DateTimeOffset instant)
    {
        text = PersianText.ToAsciiDigits(text.Trim());
        instant = default;
        var parts = text.Split('T', ' ');
        var date = parts[0].Split('-', '/');
        if (date.Length == 3 && int.TryParse(date[0], NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 1300 and <= 1500)
        {
            var time = TimeOnly.MinValue;
            if (parts.Length > 2 || (parts.Length == 2 && !TimeOnly.TryParseExact(parts[1], ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time)))
            {
                return false;
            }

            try
            {
                instant = clock.At(new JalaliDate(year, int.Parse(date[1], CultureInfo.InvariantCulture), int.Parse(date[2], CultureInfo.InvariantCulture)), time);
                return true;
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                return false;
            }
        }

        return DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK"],
                   CultureInfo.InvariantCulture, DateTimeStyles.None, out instant)
               && (text.EndsWith('Z') || text.LastIndexOfAny(['+', '-']) > 10);
    }

    /// <summary>For people: "پنجشنبه ۱۰ مهر ۱۴۰۴، ساعت ۰۹:۰۰".</summary>
    public static string Persian(DateTimeOffset instant, TehranClock clock)
    {
        var local = clock.ToTehran(instant);
        var date = JalaliDate.FromGregorian(DateOnly.FromDateTime(local.DateTime));
        return $"{date.ToPersian()}، ساعت {PersianText.Digits(local.ToString("HH:mm", CultureInfo.InvariantCulture))}";
    }
}
