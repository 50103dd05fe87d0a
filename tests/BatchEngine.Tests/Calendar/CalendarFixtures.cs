using BatchEngine.Data.Calendar;
using BatchEngine.Jobs.Calendar;

namespace BatchEngine.Tests.Calendar;

/// <summary>Calendars built from the shipped holiday file, with the settings a test wants.</summary>
internal static class CalendarFixtures
{
    public static readonly HolidayCalendar ShippedHolidays = HolidayCalendar.Load(FindConfig("holidays.json"));
    public static readonly TehranClock Tehran = TehranClock.FromOperatingSystem();

    public static ReportingCalendar Create(Action<CalendarOptions>? configure = null, HolidayCalendar? holidays = null)
    {
        var options = new CalendarOptions();
        configure?.Invoke(options);
        return new ReportingCalendar(options, holidays ?? ShippedHolidays, Tehran);
    }

    public static string FindConfig(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "config", file);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"config/{file} not found above {AppContext.BaseDirectory}");
    }
}
