using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using BatchEngine.Data.Calendar;
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

    /// <summary>Refuses a province code the register does not have, listing the codes it has.</summary>
    public static async Task RequireProvinceAsync(Data.Database database, string province)
    {
        var register = new Data.Register.RegisterStore(database);
        if (await register.FindProvinceAsync(province) is null)
        {
            var known = (await register.ProvincesAsync()).Select(p => p.Code);
            throw new UserErrorException($"There is no province '{province}'; known provinces: {string.Join(", ", known)}.");
        }
    }

    public static JalaliPeriod Period(string text) => JalaliPeriod.TryParse(text, out var period)
        ? period
        : throw new UserErrorException($"'{text}' is not a period; expected a Jalali year and month such as 1404-07.");

    /// <summary>An instant option (<c>--now</c> unless named), or the clock's now when it is absent.</summary>
    public static DateTimeOffset Instant(string? text, TehranClock clock, TimeProvider time, string option = "now")
    {
        if (text is null)
        {
            return time.GetUtcNow();
        }

        return InstantText.TryParse(text, clock, out var instant)
            ? instant
            : throw new UserErrorException($"--{option} '{text}' is not an instant; expected ISO 8601 with an offset (2025-11-01T09:00:00+03:30) or a Jalali Tehran time (1404-08-10T09:00).");
    }

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
