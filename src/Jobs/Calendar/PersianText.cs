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

    /// <summary>
    /// What a person meant by a typed or exported value: ends trimmed of spaces, ZWNJ and direction marks, Persian and
    /// Arabic-Indic digits as ASCII, Arabic ي/ك as Persian ی/ک.
    /// </summary>
    public static string Clean(string text)
    {
        var trimmed = text.AsSpan().Trim(Invisible);
        if (trimmed.Length == text.Length && !trimmed.ContainsAnyInRange('\u0600', '\u06FF'))
        {
            return text;
        }

        var builder = new StringBuilder(trimmed.Length);
        foreach (var c in trimmed)
        {
            builder.Append(c switch
            {
                >= '۰' and <= '۹' => (char)('0' + (c - '۰')),
                >= '٠' and <= '٩' => (char)('0' + (c - '٠')),
                'ي' or 'ى' => 'ی',
                'ك' => 'ک',
                _ => c,
            });
        }

        return builder.ToString();
    }

    // Spaces (incl. no-break), ZWNJ, LRM/RLM and a stray byte order mark: Excel and Persian keyboards leave them at the ends.
    private const string Invisible = " \t\u00A0\u200C\u200E\u200F\uFEFF";
}
