using System.Buffers;
using System.Globalization;
using System.Text;

namespace BatchEngine.Data.Calendar;

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
        Digits(number.ToString("#,0.####", CultureInfo.InvariantCulture).Replace(',', '٬').Replace('.', '٫'));

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
    /// What a person meant by a typed or exported value: ends trimmed of spaces and invisible format characters,
    /// Persian and Arabic-Indic digits as ASCII, Arabic ي/ك as Persian ی/ک. Inside a name, ZWNJ and the like stay.
    /// </summary>
    public static string Clean(string text)
    {
        var trimmed = text.AsSpan().Trim(Trimmed);
        if (trimmed.Length == text.Length && !trimmed.ContainsAnyInRange('\u0600', '\u06FF'))
        {
            return text;
        }

        var builder = new StringBuilder(trimmed.Length);
        foreach (var c in trimmed)
        {
            builder.Append(Meant(c));
        }

        return builder.ToString();
    }

    /// <summary>
    /// An identifier, code, period or number as meant: <see cref="Clean"/>, and the invisible format characters that
    /// right-to-left editors and copy-paste leave <em>inside</em> it removed too (a licence number has no ZWNJ).
    /// </summary>
    public static string Code(string text)
    {
        var span = text.AsSpan();
        if (span.IndexOfAny(Invisible) < 0 && span.Trim(' ').Length == span.Length && !span.ContainsAnyInRange('\u0600', '\u06FF'))
        {
            return text;
        }

        var builder = new StringBuilder(span.Length);
        foreach (var c in span.Trim(Trimmed))
        {
            if (!Invisible.Contains(c))
            {
                builder.Append(Meant(c));
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// The first digit of <paramref name="text"/> that is not ASCII, Persian or Arabic-Indic (fullwidth, Devanagari, …),
    /// or null: such digits are refused by name rather than misread.
    /// </summary>
    public static char? ForeignDigit(string text)
    {
        if (!text.AsSpan().ContainsAnyExceptInRange('\0', '\u007F'))
        {
            return null;
        }

        foreach (var c in text)
        {
            if (c > '9' && char.IsDigit(c) && c is not (>= '۰' and <= '۹') and not (>= '٠' and <= '٩'))
            {
                return c;
            }
        }

        return null;
    }

    private static char Meant(char c) => c switch
    {
        >= '۰' and <= '۹' => (char)('0' + (c - '۰')),
        >= '٠' and <= '٩' => (char)('0' + (c - '٠')),
        'ي' or 'ى' => 'ی',
        'ك' => 'ک',
        _ => c,
    };

    // Invisible format characters: no-break space, zero-width space, ZWNJ, ZWJ, direction marks, embeddings and
    // isolates, word joiner, a stray byte order mark. Word and Excel on Persian text leave them anywhere.
    private const string InvisibleCharacters = "\u00A0\u200B\u200C\u200D\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2060\u2066\u2067\u2068\u2069\uFEFF";

    private static readonly SearchValues<char> Invisible = SearchValues.Create(InvisibleCharacters);

    // What is trimmed from the ends of any value: spaces, tabs and the invisible characters.
    private const string Trimmed = " \t" + InvisibleCharacters;
}
