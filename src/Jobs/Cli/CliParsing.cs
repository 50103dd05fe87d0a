using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using BatchEngine.Jobs.Calendar;

namespace BatchEngine.Jobs.Cli;

/// <summary>Reading option values, with the one-sentence message a user sees when one is wrong.</summary>
internal static class CliParsing
{
    /// <summary>Keeps Persian text readable in JSON output.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static JalaliPeriod Period(string text) => JalaliPeriod.TryParse(text, out var period)
        ? period
        : throw new UserErrorException($"'{text}' is not a period; expected a Jalali year and month such as 1404-07.");

    public static int PositiveInt(string? text, string option, int fallback)
    {
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(PersianText.ToAsciiDigits(text), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new UserErrorException($"--{option} '{text}' is not a whole number greater than zero.");
    }
}
