using System.Text.Json;
using System.Text.Json.Serialization;
using BatchEngine.Data.Calendar;

namespace BatchEngine.Jobs.Calendar;

/// <summary>
/// The official holidays of the holiday file in <c>config/</c>: solar ones fixed by month and day, and the
/// lunar ones, which move every year, by full Jalali date.
/// </summary>
public sealed class HolidayCalendar
{
    private readonly Dictionary<(int Month, int Day), string> _fixed;
    private readonly Dictionary<JalaliDate, string> _dated;

    public HolidayCalendar(IEnumerable<(int Month, int Day, string Name)> fixedHolidays, IEnumerable<(JalaliDate Date, string Name)> datedHolidays)
    {
        _fixed = fixedHolidays.ToDictionary(h => (h.Month, h.Day), h => h.Name);
        _dated = datedHolidays.ToDictionary(h => h.Date, h => h.Name);
    }

    public static HolidayCalendar Empty { get; } = new([], []);

    /// <summary>The last dated (lunar) holiday listed: the file says nothing of the lunar holidays after it.</summary>
    public JalaliDate? DatedUntil => _dated.Count == 0 ? null : _dated.Keys.Max();

    /// <summary>The holiday's name, or null on an ordinary day.</summary>
    public string? NameOf(JalaliDate date) =>
        _dated.TryGetValue(date, out var name) ? name : _fixed.GetValueOrDefault((date.Month, date.Day));

    public static HolidayCalendar Load(string path)
    {
        HolidayFile? file;
        try
        {
            file = JsonSerializer.Deserialize<HolidayFile>(File.ReadAllText(path), new JsonSerializerOptions
            {
                ReadCommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
                PropertyNameCaseInsensitive = true,
            });
        }
        catch (JsonException e)
        {
            throw new FormatException($"The holiday file {path} is not valid JSON: {e.Message}", e);
        }

        if (file is null)
        {
            throw new FormatException($"The holiday file {path} is empty.");
        }

        return new HolidayCalendar(
            file.Fixed.Select(h => ParseFixed(path, h)),
            file.Dated.Select(h => ParseDated(path, h)));
    }

    private static (int, int, string) ParseFixed(string path, HolidayEntry entry)
    {
        var parts = entry.Date.Split('-');
        if (parts.Length == 2 && int.TryParse(parts[0], out var month) && int.TryParse(parts[1], out var day)
            && month is >= 1 and <= 12 && day is >= 1 and <= 31)
        {
            return (month, day, entry.Name);
        }

        throw new FormatException($"The holiday file {path} has fixed holiday '{entry.Date}' ({entry.Name}); expected MM-DD such as 01-13.");
    }

    private static (JalaliDate, string) ParseDated(string path, HolidayEntry entry)
    {
        var parts = entry.Date.Split('-');
        try
        {
            if (parts.Length == 3 && int.TryParse(parts[0], out var y) && int.TryParse(parts[1], out var m) && int.TryParse(parts[2], out var d))
            {
                return (new JalaliDate(y, m, d), entry.Name);
            }
        }
        catch (FormatException)
        {
        }

        throw new FormatException($"The holiday file {path} has dated holiday '{entry.Date}' ({entry.Name}); expected a Jalali date YYYY-MM-DD such as 1404-01-11.");
    }

    private sealed class HolidayFile
    {
        public List<HolidayEntry> Fixed { get; init; } = [];
        public List<HolidayEntry> Dated { get; init; } = [];
    }

    private sealed class HolidayEntry
    {
        [JsonRequired]
        public string Date { get; init; } = "";

        public string Name { get; init; } = "";
    }
}
