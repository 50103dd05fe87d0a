using System.Text;
using BatchEngine.Data.Calendar;
using BatchEngine.Jobs.Calendar;

namespace BatchEngine.Jobs.Notifications;

/// <summary>
/// Iranian mobile numbers: <c>09</c> and nine digits. Accepts <c>+989…</c>, <c>00989…</c>, <c>989…</c>, <c>9…</c>,
/// Persian and Arabic-Indic digits, spaces and dashes. The only place this rule lives.
/// </summary>
public static class MobileNumber
{
    /// <summary>The number as <c>09xxxxxxxxx</c>, or null when it is not a mobile number.</summary>
    public static string? Normalise(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var digits = new StringBuilder();
        var ascii = PersianText.ToAsciiDigits(text.Trim());
        for (var i = 0; i < ascii.Length; i++)
        {
            var c = ascii[i];
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (!(c is ' ' or '-' or '(' or ')' or '\u200c' || (c == '+' && i == 0)))
            {
                return null;
            }
        }

        var number = digits.ToString();
        if (number.StartsWith("0098", StringComparison.Ordinal))
        {
            number = "0" + number[4..];
        }
        else if (number.StartsWith("98", StringComparison.Ordinal) && number.Length == 12)
        {
            number = "0" + number[2..];
        }
        else if (number.Length == 10 && number[0] == '9')
        {
            number = "0" + number;
        }

        return number.Length == 11 && number.StartsWith("09", StringComparison.Ordinal) ? number : null;
    }
}
