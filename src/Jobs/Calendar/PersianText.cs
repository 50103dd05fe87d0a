using System.Globalization;
using System.Text;

namespace BatchEngine.Jobs.Calendar;

/// <summary>Persian names and digits for what people read, and the way back to ASCII digits for what they type.</summary>
public static class PersianText
{
    private static readonly string[] Months =
        ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"];

    public static string MonthName(int month) => Months[month - 1];

    public static string WeekdayName(DayOfWeek day) => day switch
    {
        DayOfWeek.Saturday => "شنبه",
        DayOfWeek.Sunday => "یکشنبه",
        DayOfWeek.Monday => "دوشنبه",
        DayOfWeek.Tuesday => "سه‌شنبه",
        DayOfWeek.Wednesday => "چهارشنبه",
        DayOfWeek.Thursday => "پنجشنبه",
        _ => "جمعه",
    };

    /// <summary>Writes ASCII digits of <paramref name="text"/> as Persian digits (۰-۹).</summary>
    public static string Digits(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(c is >= '0' and <= '9' ? (char)('۰' + (c - '0')) : c);
        }

        return builder.ToString();
    }

    public static string Digits(long number) => Digits(number.ToString(CultureInfo.InvariantCulture));

    /// <summary>A number grouped in thousands with the Persian separator: ۱۲٬۳۴۵.</summary>
    public static string Number(decimal number) =>
        Digits(number.ToString("#,0.###", CultureInfo.InvariantCulture).Replace(',', '٬').Replace('.', '٫'));

    /// <summary>Reads Persian (۰-۹) and Arabic-Indic (٠-٩) digits as ASCII digits.</summary>
    public static string ToAsciiDigits(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                >= '۰' and <= '۹' => (char)('0' + (c - '۰')),
                >= '٠' and <= '٩' => (char)('0' + (c - '٠')),
                _ => c,
            });
        }

        return builder.ToString();
    }
}
