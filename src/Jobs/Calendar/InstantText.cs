using System.Globalization;

namespace BatchEngine.Jobs.Calendar;

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

    /// <summary>For people: "پنجشنبه ۱۰ مهر ۱۴۰۴، ساعت ۰۹:۰۰".</summary>
    public static string Persian(DateTimeOffset instant, TehranClock clock)
    {
        var local = clock.ToTehran(instant);
        var date = JalaliDate.FromGregorian(DateOnly.FromDateTime(local.DateTime));
        return $"{date.ToPersian()}، ساعت {PersianText.Digits(local.ToString("HH:mm", CultureInfo.InvariantCulture))}";
    }
}
